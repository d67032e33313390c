"""Confirmed means committed (确认即已保存): against a real `courtplan serve` over HTTP, on SQLite
and on PostgreSQL, every write the service acknowledges is stored before the acknowledgement —
readable by the next request (from another connection, so often another HTTP process), still
there after kill -9 straight after the answer — and a write the database cannot store answers
503 in the one error shape, never 201."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from api.settings import Settings
from tests.api.conftest import JSON, TINY
from tests.api.fresh import fresh_settings
from tests.api.served import Served, client, fill, kill9, make_keys, service_env, serving, small_disk, start

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture(params=["sqlite", "postgresql"])
def data(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """An empty database of each kind for one served process."""
    if request.param == "sqlite":
        yield Settings(data_dir=tmp_path / "data")
        return
    like = Settings(data_dir=tmp_path / "data", database_url=request.getfixturevalue("postgres_url"))
    with fresh_settings(like, tmp_path, "served") as settings:
        yield settings


def _answer(server: Served, token: str, method: str, url: str, **kwargs: object) -> httpx.Response | str:
    """The answer, or what went wrong when there was none (the connection reset, say)."""
    try:
        with client(server, token) as c:
            return c.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.TransportError as e:
        return f"no answer ({type(e).__name__})"


def _code(a: httpx.Response | str) -> int | str:
    return a.status_code if isinstance(a, httpx.Response) else a


def _one_error_shape(r: object) -> list[dict[str, object]]:
    body = r.json()  # type: ignore[attr-defined]
    assert set(body) == {"detail"} and body["detail"], body
    for problem in body["detail"]:
        assert set(problem) == {"path", "record", "message"}, problem
    return list(body["detail"])


def test_every_acknowledged_write_is_read_back_at_once(data: Settings, tmp_path: Path) -> None:
    """100 rounds of each kind of write, each read back by the very next request on another
    connection: a new scenario, its next version, a run, its cancel and requeue, a new key (used
    at once) and its revoke."""
    admin, key = make_keys(data, ("M", True), ("M", False))
    lost: dict[str, int] = {}

    def check(what: str, ok: bool) -> None:
        lost[what] = lost.get(what, 0) + (not ok)

    with serving(service_env(data), tmp_path / "serve.log", workers=0, http_processes=2) as server, \
            client(server, key) as w, client(server, key) as r, client(server, admin) as aw, \
            client(server, admin) as ar:
        for _ in range(100):
            made = w.post("/scenarios", content=TINY, headers=JSON)
            assert made.status_code == 201, made.text
            sid = made.json()["id"]
            check("scenario", r.get(f"/scenarios/{sid}").status_code == 200)
            edited = w.put(f"/scenarios/{sid}", content=TINY, headers=JSON)
            assert edited.status_code == 201, edited.text
            check("version", r.get(f"/scenarios/{sid}?version=2").status_code == 200)
            run = w.post(f"/scenarios/{sid}/runs", json={})
            assert run.status_code == 202, run.text
            rid = run.json()["id"]
            check("run", r.get(f"/runs/{rid}").status_code == 200)
            assert w.post(f"/runs/{rid}/cancel").status_code == 202
            check("cancel", r.get(f"/runs/{rid}").json().get("status") == "cancelled")
            assert w.post(f"/runs/{rid}/requeue").status_code == 202
            check("requeue", r.get(f"/runs/{rid}").json().get("status") == "queued")
            created = aw.post("/keys", json={"court": "M", "label": "round"})
            assert created.status_code == 201, created.text
            with client(server, created.json()["token"]) as new:
                check("key", new.get("/scenarios?limit=1").status_code == 200)
            assert aw.post(f"/keys/{created.json()['id']}/revoke").status_code == 200
            listed = {k["id"]: k for k in ar.get("/keys?limit=500&offset=0").json()["items"]}
            check("revoke", listed.get(created.json()["id"], {}).get("revoked_at") is not None)
    print(f"\nwrites not readable at once ({data.url().split(':')[0]}): {lost}")
    assert not any(lost.values()), f"acknowledged writes not readable by the next request: {lost}"


def test_an_acknowledged_write_survives_kill_9(data: Settings, tmp_path: Path) -> None:
    """kill -9 of the whole service straight after the 201 / 202: after a restart on the same
    data, the scenario and the run are there."""
    (key,) = make_keys(data, ("M", False))
    env, log = service_env(data), tmp_path / "serve.log"
    lost: list[str] = []
    for _ in range(3):
        server = start(env, log, workers=0, http_processes=2)
        try:
            with client(server, key) as c:
                made = c.post("/scenarios", content=TINY, headers=JSON)
                assert made.status_code == 201, made.text
                run = c.post(f"/scenarios/{made.json()['id']}/runs", json={})
                assert run.status_code == 202, run.text
        finally:
            kill9(server)
        sid, rid = made.json()["id"], run.json()["id"]
        with serving(env, log, workers=0, http_processes=2) as server, client(server, key) as c:
            lost += [f"scenario {sid}"] * (c.get(f"/scenarios/{sid}").status_code != 200)
            lost += [f"run {rid}"] * (c.get(f"/runs/{rid}").status_code != 200)
    print(f"\nlost after kill -9 ({data.url().split(':')[0]}): {len(lost)} of 6 {lost}")
    assert not lost, f"acknowledged, then gone after kill -9: {lost}"


def test_a_full_disk_answers_503_and_never_a_lost_201(tmp_path: Path) -> None:
    """SQLite on a full disk: each write answers 201 (and is then stored) or 503 with the one
    error shape naming the full disk; once space is freed, writes succeed again."""
    disk = tmp_path / "disk"
    with small_disk(disk):
        data = Settings(data_dir=disk / "data")
        (key,) = make_keys(data, ("M", False))
        with serving(service_env(data), tmp_path / "serve.log", workers=0, http_processes=2) as server, \
                client(server, key) as c:
            assert c.post("/scenarios", content=TINY, headers=JSON).status_code == 201  # the WAL exists
            filler = fill(disk)
            answers = [_answer(server, key, "POST", "/scenarios", content=TINY, headers=JSON) for _ in range(12)]
            os.remove(filler)
            codes = [_code(a) for a in answers]
            stored = [a.json()["id"] for a in answers if isinstance(a, httpx.Response) and a.status_code == 201]
            lost = [sid for sid in stored if c.get(f"/scenarios/{sid}").status_code != 200]
            print(f"\nanswers on a full disk: {codes}; acknowledged and lost: {len(lost)} of {len(stored)}")
            assert not lost, f"acknowledged on a full disk, then not stored: {lost}"
            assert set(codes) <= {201, 503} and 503 in codes, codes
            for a in answers:
                if isinstance(a, httpx.Response) and a.status_code == 503:
                    problems = _one_error_shape(a)
                    assert "磁盘已满" in problems[0]["message"] and "disk is full" in problems[0]["message"]
            again = c.post("/scenarios", content=TINY, headers=JSON)
            assert again.status_code == 201, again.text
            assert c.get(f"/scenarios/{again.json()['id']}").status_code == 200


def test_an_unreachable_database_answers_503(postgres_url: str, tmp_path: Path) -> None:
    """PostgreSQL refusing connections (its sessions ended, new ones not allowed): a write
    answers 503 with the one error shape, not 201 or 500; reachable again, writes succeed."""
    like = Settings(data_dir=tmp_path / "data", database_url=postgres_url)
    with fresh_settings(like, tmp_path, "gone") as data:
        (key,) = make_keys(data, ("M", False))
        name = make_url(data.url()).database
        admin = create_engine(make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        try:
            with serving(service_env(data), tmp_path / "serve.log", workers=0, http_processes=2) as server, \
                    client(server, key) as c:
                assert c.post("/scenarios", content=TINY, headers=JSON).status_code == 201
                with admin.connect() as a:
                    a.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
                    a.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = :n"), {"n": name})
                try:
                    refused = [_answer(server, key, "POST", "/scenarios", content=TINY, headers=JSON)
                               for _ in range(3)]
                    read = _answer(server, key, "GET", "/scenarios")
                finally:
                    with admin.connect() as a:
                        a.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
                print(f"\nanswers with the database unreachable: {[_code(r) for r in refused]}")
                assert [_code(r) for r in refused] == [503] * 3, [getattr(r, "text", r) for r in refused]
                assert "数据库" in _one_error_shape(refused[0])[0]["message"]
                # a read stored nothing: its 503 says what failed, not that "nothing was stored"
                assert _code(read) == 503, getattr(read, "text", read)
                message = _one_error_shape(read)[0]["message"]
                assert "无法连接数据库" in message and "stored" not in message and "未保存" not in message
                again = c.post("/scenarios", content=TINY, headers=JSON)
                assert again.status_code == 201, again.text
        finally:
            admin.dispose()
