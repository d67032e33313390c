"""A revoked key (吊销的密钥) is refused at once by every HTTP process, not only by the one that
revoked it: two real `courtplan serve` on one database (and one serve with two HTTP processes),
on both back ends. Each process has used the key just before, so nothing it kept may let it in."""

from __future__ import annotations

import httpx

from tests.api.served import cli, make_keys, service_env, serving


def _key_id(token: str) -> str:
    return token.split("_")[1]


def test_a_revoke_in_one_process_is_refused_at_once_by_another(settings, tmp_path):
    admin, user = make_keys(settings, ("M", True), ("M", False))
    env = service_env(settings)
    with serving(env, tmp_path / "a.log", workers=0) as a, serving(env, tmp_path / "b.log", workers=0) as b:
        h = {"Authorization": f"Bearer {user}"}
        assert a.get("/scenarios", headers=h).status_code == 200
        assert b.get("/scenarios", headers=h).status_code == 200  # B has just seen the key valid
        revoked = httpx.post(f"{a.base}/keys/{_key_id(user)}/revoke", headers={"Authorization": f"Bearer {admin}"})
        assert revoked.status_code == 200 and revoked.json()["revoked_at"]
        refused = b.get("/scenarios", headers=h)
        assert refused.status_code == 401, refused.text
        assert a.get("/scenarios", headers=h).status_code == 401


def test_a_revoke_from_the_cli_is_refused_at_once_by_every_http_process(settings, tmp_path):
    (user,) = make_keys(settings, ("M", False))
    env = service_env(settings)
    with serving(env, tmp_path / "serve.log", workers=0, http_processes=2) as served:
        h = {"Authorization": f"Bearer {user}"}
        # new connections land on either process: forty make both use the key
        assert all(served.get("/scenarios", headers=h).status_code == 200 for _ in range(40))
        done = cli(env, "keys", "revoke", _key_id(user))
        assert done.returncode == 0, done.stderr
        codes = [served.get("/scenarios", headers=h).status_code for _ in range(40)]
        assert set(codes) == {401}, codes
