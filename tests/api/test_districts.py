"""A district model that holds (辖区), on SQLite and PostgreSQL: who sees the stored versions of a
scenario is not changed by a later version (a PUT changing the dispatcher or the chain of
superiors is refused, naming the field, unless an admin makes it — audited); an admin key's
powers stay inside its own court; the last admin key of a court cannot be revoked."""

from __future__ import annotations

import json
import threading
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from api.db.models import ApiKey, utcnow
from api.deps import Service
from api.security import new_key
from tests.api.conftest import JSON, TINY, Keys, auth


def _tree(high: bool = True, dispatcher: str = "M") -> bytes:
    """The tiny scenario with a high court H above M (or not), dispatched by `dispatcher`."""
    s = json.loads(TINY)
    if high:
        s["courts"].append({**s["courts"][0], "id": "H", "name": "浙江省高级人民法院", "level": "high",
                            "parent": None})
        s["courts"][0]["parent"] = "H"
    s["dispatcher"] = dispatcher
    return json.dumps(s, ensure_ascii=False).encode()


def _keys(service: Service, *specs: tuple[str, bool]) -> list[str]:
    with service.writes.begin() as s:
        return [new_key(s, court, is_admin)[1] for court, is_admin in specs]


def _store(client: TestClient, token: str, body: bytes) -> dict[str, Any]:
    r = client.post("/scenarios", content=body, headers=auth(token, **JSON))
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_put_dropping_the_high_court_is_refused_and_the_high_court_still_sees(
        client: TestClient, service: Service, keys: Keys) -> None:
    (h,) = _keys(service, ("H", False))
    sid = _store(client, keys.m, _tree())["id"]
    assert client.get(f"/scenarios/{sid}", headers=auth(h)).status_code == 200
    r = client.put(f"/scenarios/{sid}", content=_tree(high=False), headers=auth(keys.m, **JSON))
    assert r.status_code == 422, r.text
    [problem] = r.json()["detail"]
    assert problem["path"] == "courts[0].parent" and problem["record"] == "M", problem
    assert "new scenario" in problem["message"] and "新方案" in problem["message"]
    for version in ("", "?version=1"):
        assert client.get(f"/scenarios/{sid}{version}", headers=auth(h)).status_code == 200
    assert client.get(f"/scenarios/{sid}", headers=auth(keys.m)).json()["latest_version"] == 1
    same = client.put(f"/scenarios/{sid}", content=_tree(), headers=auth(keys.m, **JSON))  # same district
    assert same.status_code == 201 and same.json()["version"] == 2, same.text


def test_a_put_naming_another_dispatcher_is_refused_and_gives_it_nothing(
        client: TestClient, keys: Keys) -> None:
    sid = _store(client, keys.m, _tree())["id"]
    r = client.put(f"/scenarios/{sid}", content=_tree(dispatcher="A"), headers=auth(keys.m, **JSON))
    assert r.status_code == 422 and r.json()["detail"][0]["path"] == "dispatcher", r.text
    assert client.get(f"/scenarios/{sid}?version=1", headers=auth(keys.a)).status_code == 404
    assert client.get("/scenarios", headers=auth(keys.a)).json()["total"] == 0


def test_an_admin_may_change_the_district_and_it_is_audited(
        client: TestClient, service: Service, keys: Keys) -> None:
    (h,) = _keys(service, ("H", False))
    sid = _store(client, keys.m, _tree())["id"]
    r = client.put(f"/scenarios/{sid}", content=_tree(high=False), headers=auth(keys.admin, **JSON))
    assert r.status_code == 201, r.text
    assert client.get(f"/scenarios/{sid}", headers=auth(h)).status_code == 404  # the admin's act
    audit = client.get("/audit", headers=auth(keys.admin)).json()["items"]
    assert [a["action"] for a in audit[:2]] == ["scenario.redistrict", "scenario.update"], audit[:2]
    assert audit[0]["scenario_id"] == sid and audit[0]["content_hash"] == r.json()["content_hash"]


def test_admin_powers_stay_inside_the_own_court(client: TestClient, service: Service, keys: Keys) -> None:
    lishui_admin, high_admin, high_user = _keys(service, ("C331100", True), ("C330000", True), ("C330000", False))
    minted = client.post("/keys", json={"court": "C330000", "admin": True}, headers=auth(lishui_admin))
    assert minted.status_code == 422 and minted.json()["detail"][0]["path"] == "court", minted.text
    own = client.post("/keys", json={"court": "C331100", "label": "值班"}, headers=auth(lishui_admin))
    assert own.status_code == 201, own.text
    listed = client.get("/keys?limit=500", headers=auth(lishui_admin)).json()["items"]
    assert {k["court"] for k in listed} == {"C331100"} and len(listed) == 2
    high_ids = [k["id"] for k in client.get("/keys", headers=auth(high_admin)).json()["items"]]
    for key_id in high_ids:  # another court's keys: as if absent
        assert client.post(f"/keys/{key_id}/revoke", headers=auth(lishui_admin)).status_code == 404
    assert client.get("/scenarios", headers=auth(high_user)).status_code == 200  # not revoked
    audit = client.get("/audit?limit=500", headers=auth(lishui_admin)).json()["items"]
    assert [(a["action"], a["subject"]) for a in audit] == [("key.create", own.json()["id"])], audit


def test_the_last_admin_key_of_a_court_cannot_be_revoked(client: TestClient, keys: Keys) -> None:
    admin_id = client.get("/keys", headers=auth(keys.admin)).json()["items"][0]["id"]
    alone = client.post(f"/keys/{admin_id}/revoke", headers=auth(keys.admin))
    assert alone.status_code == 409 and "last admin key" in alone.text, alone.text
    second = client.post("/keys", json={"court": "M", "admin": True}, headers=auth(keys.admin)).json()
    assert client.post(f"/keys/{admin_id}/revoke", headers=auth(keys.admin)).status_code == 200  # itself
    last = client.post(f"/keys/{second['id']}/revoke", headers=auth(second["token"]))
    assert last.status_code == 409, last.text
    assert client.get("/audit", headers=auth(second["token"])).status_code == 200


def test_two_admins_revoking_each_other_at_once_leave_one(client: TestClient, service: Service) -> None:
    for _ in range(5):
        tokens = _keys(service, ("R", True), ("R", True))
        ids = [t.split("_")[1] for t in tokens]
        go = threading.Barrier(2)
        codes: list[int] = []

        def revoke(token: str, other: str, go: threading.Barrier = go, codes: list[int] = codes) -> None:
            go.wait()
            codes.append(client.post(f"/keys/{other}/revoke", headers=auth(token)).status_code)

        threads = [threading.Thread(target=revoke, args=(tokens[0], ids[1])),
                   threading.Thread(target=revoke, args=(tokens[1], ids[0]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        # (the loser: 409 when it was let in before the other's revoke, 401 when after)
        assert sorted(codes)[0] == 200 and sorted(codes)[1] in (401, 409), codes
        with service.writes.begin() as s:
            active = s.scalars(select(ApiKey.id).where(ApiKey.court == "R", ApiKey.revoked_at.is_(None))).all()
            assert len(active) == 1, (codes, active)
            # (the next round starts from no active admin of R)
            s.execute(update(ApiKey).where(ApiKey.court == "R").values(revoked_at=utcnow()))
