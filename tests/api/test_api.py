"""The HTTP API on both databases: scenarios as immutable versions, runs through a worker,
the error shape, user mistakes as 4xx, the audit log, and the edge's headers."""

from __future__ import annotations

import json
import logging
import math

import pytest

from api.jobs import Worker
from optimizer.data.read import parse_scenario
from optimizer.results.plan import Plan
from tests.api.conftest import JSON, TINY, auth, store
from tests.checker import check_plan

PARTY_NAMES = sorted({p["name"] for c in json.loads(TINY)["cases"] for p in (c["applicant"], c["debtor"])})


def work_once(service) -> None:
    assert Worker(service.settings, service.engine).run(once=True) == 1


def test_store_list_version_and_read(client, keys):
    first = store(client, keys.m)
    assert first["version"] == 1 and first["cases"] == 3 and len(first["content_hash"]) == 64
    edited = json.loads(TINY)
    edited["name"] = "测试场景（修改）"
    r = client.put(f"/scenarios/{first['id']}", content=json.dumps(edited), headers=auth(keys.m, **JSON))
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["content_hash"] != first["content_hash"]
    page = client.get("/scenarios?limit=10", headers=auth(keys.m)).json()
    assert page["total"] == 1 and [s["name"] for s in page["items"]] == ["测试场景（修改）"]
    versions = client.get(f"/scenarios/{first['id']}/versions", headers=auth(keys.m)).json()
    assert [v["version"] for v in versions["items"]] == [2, 1] and versions["items"][1]["name"] == "测试场景"
    old = client.get(f"/scenarios/{first['id']}/body?version=1", headers=auth(keys.m))
    assert parse_scenario(old.content).name == "测试场景"
    store(client, keys.m)
    two = client.get("/scenarios?limit=1&offset=1", headers=auth(keys.m)).json()
    assert two["total"] == 2 and len(two["items"]) == 1 and two["items"][0]["id"] == first["id"]


def test_run_is_queued_then_solved_by_a_worker_and_compared(client, keys, service):
    sid = store(client, keys.m)["id"]
    r = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 10, "seed": 1}, headers=auth(keys.m))
    assert r.status_code == 202 and r.json()["status"] == "queued"
    base = r.json()["id"]
    what_if = client.post(f"/scenarios/{sid}/runs", headers=auth(keys.m), json={
        "time_limit": 10, "changes": {"weights": {"load_slopes": [1000]}, "rules": {"max_utilisation": 1.2}}})
    assert what_if.json()["changes"] == {"weights": {"load_slopes": [1000.0]}, "rules": {"max_utilisation": 1.2}}
    work_once(service)
    work_once(service)
    run = client.get(f"/runs/{base}", headers=auth(keys.m)).json()
    assert run["status"] == "done" and run["summary"]["status"] in ("optimal", "within_gap")
    assert run["progress"]["phase"] == "done" and run["solve_seconds"] > 0 and run["attempts"] == 1
    plan = client.get(f"/runs/{base}/plan", headers=auth(keys.m)).json()
    assert not check_plan(parse_scenario(TINY), Plan.from_dict(plan["plan"]))
    cmp = client.get(f"/runs/{base}/compare/{what_if.json()['id']}", headers=auth(keys.m))
    assert cmp.status_code == 200 and cmp.json()["status_b"] in ("optimal", "within_gap")
    runs = client.get(f"/scenarios/{sid}/runs", headers=auth(keys.m)).json()
    assert runs["total"] == 2
    events = client.get(f"/runs/{base}/events", headers=auth(keys.m))
    assert events.headers["content-type"].startswith("text/event-stream")
    assert "event: progress" in events.text and events.text.rstrip().endswith('data: {"status": "done"}')


@pytest.mark.parametrize(("body", "where"), [
    (b'{"time_limit": NaN}', "time_limit"), (b'{"gap": NaN}', "gap"), (b'{"seed": false}', "seed"),
    (b'{"time_limit": 1e999}', "time_limit"), (b'{"gap": 2}', "gap"), (b'{"seed": -1}', "seed"),
    (b'{"changes": {"weights": {"load_slopes": []}}}', "load_slopes"),
    (b'{"changes": {"weights": {"nonsense": 1}}}', "nonsense"), (b'{"colour": "red"}', "colour"),
    (b'{"changes": {"rules": {"max_utilisation": -1}}}', "max_utilisation"),
    (b'{"version": 99}', "scenario version"),
])
def test_bad_run_parameters_are_refused_before_queueing(client, keys, body, where):
    sid = store(client, keys.m)["id"]
    r = client.post(f"/scenarios/{sid}/runs", content=body, headers=auth(keys.m, **JSON))
    assert r.status_code in (404, 422), r.text
    problems = r.json()["detail"]
    assert all(set(p) == {"path", "record", "message"} for p in problems)
    assert any(where in p["path"] + p["message"] for p in problems), problems
    assert client.get(f"/scenarios/{sid}/runs", headers=auth(keys.m)).json()["total"] == 0


def test_time_limit_is_capped_by_the_settings(client, keys, service):
    sid = store(client, keys.m)["id"]
    r = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 86_400}, headers=auth(keys.m))
    assert r.json()["params"]["time_limit"] == service.settings.max_time_limit


def test_keys_and_audit(client, keys, caplog):
    assert client.get("/scenarios").status_code == 401
    assert client.get("/scenarios", headers=auth("cp_000000000000_" + "x" * 43)).status_code == 401
    assert client.get("/audit", headers=auth(keys.m)).status_code == 404  # not an admin
    made = client.post("/keys", json={"court": "M", "label": "大屏"}, headers=auth(keys.admin))
    assert made.status_code == 201
    token = made.json()["token"]
    assert client.get("/scenarios", headers=auth(token)).status_code == 200
    listed = client.get("/keys", headers=auth(keys.admin)).json()
    assert listed["total"] == 3 and "token" not in json.dumps(listed) and token not in json.dumps(listed)
    assert {k["court"] for k in listed["items"]} == {"M"}  # the admin's own court's keys only
    assert client.post(f"/keys/{made.json()['id']}/revoke", headers=auth(keys.admin)).status_code == 200
    assert client.get("/scenarios", headers=auth(token)).status_code == 401
    with caplog.at_level(logging.DEBUG):
        sid = store(client, keys.m)["id"]
        rid = client.post(f"/scenarios/{sid}/runs", json={}, headers=auth(keys.m)).json()["id"]
        client.post(f"/runs/{rid}/cancel", headers=auth(keys.m))
    audit = client.get("/audit", headers=auth(keys.admin)).json()
    actions = [a["action"] for a in audit["items"]]
    assert actions[:3] == ["run.cancel", "run.create", "scenario.create"] and "key.revoke" in actions
    assert audit["items"][1]["content_hash"] == audit["items"][2]["content_hash"] is not None
    seen = json.dumps(audit, ensure_ascii=False) + caplog.text
    assert not [n for n in PARTY_NAMES if n in seen]


def test_security_headers_and_no_cors(client, keys):
    r = client.get("/scenarios", headers=auth(keys.m, Origin="https://evil.example"))
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer" and r.headers["cache-control"] == "no-store"
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/scenarios", headers={"Origin": "https://evil.example",
                                                "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_cross_origin_text_plain_post_starts_nothing(client, keys):
    sid = store(client, keys.m)["id"]
    for headers in ({"Content-Type": "text/plain"}, auth(keys.m, **{"Content-Type": "text/plain"}),
                    auth(keys.m, **{"Content-Type": "application/x-www-form-urlencoded"})):
        r = client.post(f"/scenarios/{sid}/runs", content=b'{"time_limit": 5}', headers=headers)
        assert r.status_code == 415, r.text
    assert client.post("/scenarios", content=TINY, headers=auth(keys.m, **{"Content-Type": "text/plain"})
                       ).status_code == 415
    assert client.get(f"/scenarios/{sid}/runs", headers=auth(keys.m)).json()["total"] == 0
    assert client.get("/scenarios", headers=auth(keys.m)).json()["total"] == 1


def test_run_states_conflict_and_requeue(client, keys, service):
    sid = store(client, keys.m)["id"]
    rid = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 5}, headers=auth(keys.m)).json()["id"]
    assert client.get(f"/runs/{rid}/plan", headers=auth(keys.m)).status_code == 409
    assert client.post(f"/runs/{rid}/requeue", headers=auth(keys.m)).status_code == 409
    assert client.post(f"/runs/{rid}/cancel", headers=auth(keys.m)).json()["status"] == "cancelled"
    assert client.post(f"/runs/{rid}/cancel", headers=auth(keys.m)).status_code == 409
    assert client.post(f"/runs/{rid}/requeue", headers=auth(keys.m)).json()["status"] == "queued"
    work_once(service)
    assert client.get(f"/runs/{rid}", headers=auth(keys.m)).json()["status"] == "done"


def test_plan_numbers_are_finite_json(client, keys, service):
    sid = store(client, keys.m)["id"]
    rid = client.post(f"/scenarios/{sid}/runs", json={}, headers=auth(keys.m)).json()["id"]
    work_once(service)
    text = client.get(f"/runs/{rid}/plan", headers=auth(keys.m)).text
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in a response"))
    assert not math.isnan(json.loads(text)["summary"]["objective"])


def test_a_what_if_run_starts_from_its_base_run(client, keys, service):
    sid = store(client, keys.m)["id"]
    base = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 10}, headers=auth(keys.m)).json()["id"]
    early = client.post(f"/scenarios/{sid}/runs", headers=auth(keys.m),
                        json={"time_limit": 10, "warm_start_run": base})
    assert early.status_code == 409 and "queued" in early.text  # not solved yet: nothing to start from
    work_once(service)
    what_if = client.post(f"/scenarios/{sid}/runs", headers=auth(keys.m), json={
        "time_limit": 10, "warm_start_run": base, "changes": {"weights": {"applicant_travel": 2}}})
    assert what_if.status_code == 202 and what_if.json()["warm_start_run"] == base
    work_once(service)
    run = client.get(f"/runs/{what_if.json()['id']}", headers=auth(keys.m)).json()
    assert run["status"] == "done" and run["warm_start_run"] == base
    plan = Plan.from_dict(client.get(f"/runs/{run['id']}/plan", headers=auth(keys.m)).json()["plan"])
    assert not check_plan(parse_scenario(TINY), plan)
    assert plan.terms.get("stability", 0.0) == 0.0  # a warm start charges nothing
    steps = [s for piece in plan.stats.pieces_detail for s in piece.steps] if plan.stats else []
    assert any("base plan" in s for s in steps), steps  # the solver started from the base run
    # a run the caller cannot see, or of another scenario, is no base
    other = store(client, keys.m)["id"]
    wrong = client.post(f"/scenarios/{other}/runs", headers=auth(keys.m),
                        json={"warm_start_run": base})
    assert wrong.status_code == 422 and "warm_start_run" in wrong.text
    hidden = client.post(f"/scenarios/{sid}/runs", headers=auth(keys.a), json={"warm_start_run": base})
    assert hidden.status_code == 404
    bad = client.post(f"/scenarios/{sid}/runs", headers=auth(keys.m), json={"warm_start_run": "x" * 32})
    assert bad.status_code == 404
