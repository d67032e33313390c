"""Hostile input at the HTTP edge, and every id route answering 404 outside the key's district."""

from __future__ import annotations

import asyncio
import json
import os
import re
import stat

import pytest
from sqlalchemy import update

from api.db.models import ScenarioBody, ScenarioVersion
from api.security import EdgeMiddleware
from tests.api.conftest import JSON, TINY, auth, store


def _ids(client, keys, service):
    """A stored scenario, a finished run, and a key: real ids for every id route."""
    from api.jobs import Worker

    sid = store(client, keys.m)["id"]
    rid = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 5}, headers=auth(keys.m)).json()["id"]
    Worker(service.settings, service.engine).run(once=True)
    key_id = client.get("/keys", headers=auth(keys.admin)).json()["items"][1]["id"]
    return {"scenario_id": sid, "run_id": rid, "other_run_id": rid, "key_id": key_id}


def test_every_id_route_answers_404_outside_the_district(client, keys, service):
    ids = _ids(client, keys, service)
    paths = client.get("/openapi.json").json()["paths"]
    routes = [(m.upper(), p, op) for p, ops in paths.items() if "{" in p for m, op in ops.items()]
    assert len(routes) >= 12
    # required query parameters given real values, so that only the district can refuse
    case = json.loads(TINY)["cases"][0]
    real = {"case": case["id"], "court": "B"}
    bodies = {"/runs/{run_id}/explain": {"cases": [case["id"]], "time_limit": 5},
              "/scenarios/{scenario_id}/sweeps": {"vary": ["officers:B=0,1"], "time_limit": 5},
              "/runs/{run_id}/recommend": {"case": {**case, "id": "（2025）浙1102执99号"}}}
    for method, path, operation in routes:
        url = re.sub(r"\{(\w+)\}", lambda g: ids[g.group(1)], path)
        query = [(p["name"], real.get(p["name"], "1")) for p in operation.get("parameters", [])
                 if p["in"] == "query" and p.get("required")]
        url += "?" + "&".join(f"{name}={value}" for name, value in query) if query else ""
        body = TINY if method == "PUT" else json.dumps(bodies.get(path, {}), ensure_ascii=False).encode()
        for token in (keys.a, keys.z):  # a lower court, and a court outside the tree
            r = client.request(method, url, content=body, headers=auth(token, **JSON))
            assert r.status_code == 404, (method, path, r.status_code, r.text)
        ok = client.request(method, url, content=body, headers=auth(keys.admin, **JSON))
        assert ok.status_code < 400 or ok.status_code == 409, (method, path, ok.text)
    assert client.get("/scenarios", headers=auth(keys.z)).json() == {"items": [], "total": 0, "limit": 50,
                                                                     "offset": 0}


def test_storing_outside_the_own_district_is_refused(client, keys):
    r = client.post("/scenarios", content=TINY, headers=auth(keys.a, **JSON))
    assert r.status_code == 422 and r.json()["detail"][0]["path"] == "dispatcher"


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def test_deeply_nested_json_is_422_not_a_crash(client, keys):
    for levels in (1_000, 100_000):
        body = b'{"format_version": 1, "name": ' + deep(levels) + b"}"
        r = client.post("/scenarios", content=body, headers=auth(keys.m, **JSON))
        assert r.status_code == 422 and "nested deeper" in r.text, r.text[:300]
        v = client.post("/validate", content=body, headers=auth(keys.m, **JSON))
        assert v.status_code == 200 and not v.json()["valid"]
    sid = store(client, keys.m)["id"]
    r = client.post(f"/scenarios/{sid}/runs", content=b'{"changes": ' + deep(100_000) + b"}",
                    headers=auth(keys.m, **JSON))
    assert 400 <= r.status_code < 500 and r.json()["detail"][0]["message"]


def test_huge_numbers_and_control_characters(client, keys):
    sid = store(client, keys.m)["id"]
    for body in (b'{"seed": 1' + b"0" * 5000 + b"}", b'{"seed": 99999999999999999999}',
                 b'{"time_limit": 1' + b"0" * 400 + b"}", b'{"gap": -0.0000001}'):
        r = client.post(f"/scenarios/{sid}/runs", content=body, headers=auth(keys.m, **JSON))
        assert 400 <= r.status_code < 500, (body[:30], r.text)
        assert "Traceback" not in r.text
    for bad in ("%00", "%0a" + sid, sid + "%1b", "..%2f..%2fetc", "x" * 5000):
        assert client.get(f"/scenarios/{bad}", headers=auth(keys.m)).status_code == 404
        assert client.get(f"/runs/{bad}/plan", headers=auth(keys.m)).status_code == 404
    data = json.loads(TINY)
    data["courts"][1]["id"] = "A\x00\n"
    r = client.post("/scenarios", content=json.dumps(data), headers=auth(keys.m, **JSON))
    assert r.status_code == 422 and "\x00" not in r.text


def test_fifty_megabyte_name_refused_by_size(client, keys):
    data = json.loads(TINY)
    data["name"] = "名" * 17_000_000  # 51 MB as UTF-8
    body = json.dumps(data, ensure_ascii=False).encode()
    r = client.post("/scenarios", content=body, headers=auth(keys.m, **JSON))
    assert r.status_code == 413 and r.json()["detail"][0]["path"] == "(body)"

    def chunks():  # no Content-Length: counted while streaming
        for i in range(0, len(body), 1 << 20):
            yield body[i:i + (1 << 20)]

    r = client.post("/scenarios", content=chunks(), headers=auth(keys.m, **JSON))
    assert r.status_code == 413


def test_client_that_stops_sending_is_dropped():
    async def app(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read it all"})

    sent = []

    async def receive():
        if not sent:
            sent.append(1)
            return {"type": "http.request", "body": b"{", "more_body": True}
        await asyncio.sleep(3600)  # the client went quiet

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/scenarios", "headers": [
        (b"content-type", b"application/json"), (b"content-length", b"100")]}
    edge = EdgeMiddleware(app, max_body=1000, body_timeout=0.2)
    with pytest.raises(Exception) as caught:
        asyncio.run(asyncio.wait_for(edge(scope, receive, send), 5))
    assert getattr(caught.value, "status_code", None) == 408


def test_damaged_rows_do_not_break_listing_or_show_paths(client, keys, service):
    good = store(client, keys.m)
    bad = store(client, keys.m)
    with service.writes.begin() as s:
        vid = s.query(ScenarioVersion.id).filter(ScenarioVersion.scenario_id == bad["id"]).scalar()
        s.execute(update(ScenarioBody).where(ScenarioBody.version_id == vid).values(body=b"\x00garbage"))
    page = client.get("/scenarios", headers=auth(keys.m))
    assert page.status_code == 200 and {s["id"] for s in page.json()["items"]} == {good["id"], bad["id"]}
    rid = client.post(f"/scenarios/{bad['id']}/runs", json={}, headers=auth(keys.m)).json()["id"]
    from api.jobs import Worker

    Worker(service.settings, service.engine).run(once=True)
    run = client.get(f"/runs/{rid}", headers=auth(keys.m)).json()
    assert run["status"] == "failed" and "damaged" in run["error"][0]["message"]
    with pytest.raises(Exception):  # noqa: B017 - TestClient re-raises; the handler answers 500
        client.get(f"/scenarios/{bad['id']}/body", headers=auth(keys.m))
    for text in (page.text, json.dumps(run)):
        assert str(service.settings.data_dir) not in text and "/tmp" not in text


def test_stored_data_is_the_service_users_alone(client, keys, settings):
    if settings.database_url:
        pytest.skip("PostgreSQL keeps its own files")
    store(client, keys.m)
    d = settings.data_dir
    assert stat.S_IMODE(os.stat(d).st_mode) == 0o700
    files = [f for f in d.iterdir() if f.is_file()]
    assert any(f.name == "courtplan.sqlite3" for f in files)
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files), [(f, oct(f.stat().st_mode)) for f in files]


def test_docs_work_offline(client):
    r = client.get("/docs")
    assert r.status_code == 200
    assert not re.findall(r"https?://(?!127\.0\.0\.1|localhost)[^\s\"'<>]+", r.text)
    assert client.get("/openapi.json").json()["components"]["schemas"]["Scenario"]["title"] == "Scenario"
