"""The workbench over HTTP answers what the CLI answers: for each route, the same scenario
version and plan given to `courtplan … --json` and to the route give the same document. Also:
the run body takes the library's full changes document (the officers example of
docs/service.md), and jobs that re-solve run as runs with progress."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest

from api.db.models import RunPlan, ScenarioBody, ScenarioVersion
from api.jobs import Worker
from optimizer.cli import main
from tests.api.conftest import auth, store

CASE_A, CASE_B = "（2025）浙1102执1号", "（2025）浙1121执2号"
NEW_CASE = {"id": "（2026）浙1102执9号", "court": "A", "filed": "2025-12-15", "amount": 50000.0,
            "workload": 1.0, "applicant": {"name": "李某", "kind": "person", "place": "331102"},
            "debtor": {"name": "某公司", "kind": "company", "place": "331102"}, "debtor_id": "D-new",
            "flags": {"interference": True}}


def _finished_run(client, keys, service, body: dict[str, Any] | None = None) -> tuple[str, str]:
    sid = store(client, keys.m)["id"]
    r = client.post(f"/scenarios/{sid}/runs", json=body or {"time_limit": 10}, headers=auth(keys.m))
    assert r.status_code == 202, r.text
    Worker(service.settings, service.engine).run(once=True)
    assert client.get(f"/runs/{r.json()['id']}", headers=auth(keys.m)).json()["status"] == "done"
    return sid, r.json()["id"]


def _files(service, run_id: str, tmp: Path) -> tuple[str, str]:
    """The run's stored scenario version and plan, as files for the CLI."""
    with service.reads() as s:
        plan = zlib.decompress(s.get(RunPlan, run_id).body)
        version = s.query(ScenarioVersion).one()
        body = zlib.decompress(s.get(ScenarioBody, version.id).body)
    (tmp / "scenario.json").write_bytes(body)
    (tmp / "plan.json").write_bytes(plan)
    return str(tmp / "scenario.json"), str(tmp / "plan.json")


def _cli(tmp: Path, *args: str) -> Any:
    out = tmp / "answer.json"
    assert main([*args, "--out", str(out)]) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_the_officers_example_of_the_docs_is_accepted_and_planned(client, keys, service):
    changes = {"officers": [{"court": "A", "add": 5}], "bar_receiving": ["C"],
               "forbid": [{"case": CASE_B, "court": "M"}], "weights": {"applicant_travel": 2}}
    _, rid = _finished_run(client, keys, service, {"time_limit": 10, "changes": changes})
    run = client.get(f"/runs/{rid}", headers=auth(keys.m)).json()
    assert run["changes"] == changes
    plan = client.get(f"/runs/{rid}/plan", headers=auth(keys.m)).json()["plan"]
    assert all(c["court_id"] != "C" or c["from_court_id"] == "C" for c in plan["cases"])
    assert next(c for c in plan["courts"] if c["court_id"] == "A")["officers"] >= 5


def test_unknown_change_names_are_refused_naming_them(client, keys):
    sid = store(client, keys.m)["id"]
    r = client.post(f"/scenarios/{sid}/runs", json={"changes": {"rules": {"no_such_rule": 1}}},
                    headers=auth(keys.m))
    assert r.status_code == 422 and "no_such_rule" in r.text
    r = client.post(f"/scenarios/{sid}/runs", json={"changes": {"officer": []}}, headers=auth(keys.m))
    assert r.status_code == 422 and "changes.officer" in r.json()["detail"][0]["path"]


def test_compare_is_the_cli_compare(client, keys, service, tmp_path):
    sid, a = _finished_run(client, keys, service)
    b = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 10, "changes": {
        "pins": [{"case": CASE_A, "mode": "designate", "court": "B"}]}}, headers=auth(keys.m)).json()["id"]
    Worker(service.settings, service.engine).run(once=True)
    with service.reads() as s:
        for rid in (a, b):
            (tmp_path / f"{rid}.json").write_bytes(zlib.decompress(s.get(RunPlan, rid).body))
    got = client.get(f"/runs/{a}/compare/{b}", headers=auth(keys.m))
    assert got.status_code == 200, got.text
    want = _cli(tmp_path, "compare", str(tmp_path / f"{a}.json"), str(tmp_path / f"{b}.json"))
    assert got.json() == want
    assert [c["case_id"] for c in want["cases"]] == [CASE_A] and want["cases"][0]["court_b"] == "B"


def test_explain_why_not_officers_recommend_are_the_cli_answers(client, keys, service, tmp_path):
    _, rid = _finished_run(client, keys, service)
    scenario, plan = _files(service, rid, tmp_path)
    h = auth(keys.m)
    got = client.get(f"/runs/{rid}/explain", params={"case": [CASE_A, CASE_B]}, headers=h)
    assert got.status_code == 200, got.text
    assert got.json() == _cli(tmp_path, "explain", scenario, plan, CASE_A, CASE_B, "--exact", "0")
    assert got.json()["cases"][0]["alternatives"], "the tiny case has lawful alternatives"
    got = client.get(f"/runs/{rid}/why-not", params={"case": CASE_A, "court": "M"}, headers=h)
    assert got.status_code == 200, got.text
    assert got.json() == _cli(tmp_path, "explain", scenario, plan, CASE_A, "--why-not", "M")
    got = client.get(f"/runs/{rid}/officers", headers=h)
    assert got.json() == _cli(tmp_path, "officers", scenario, plan, "--top", "0")
    (tmp_path / "case.json").write_text(json.dumps(NEW_CASE, ensure_ascii=False), encoding="utf-8")
    got = client.post(f"/runs/{rid}/recommend", json={"case": NEW_CASE, "k": 3}, headers=h)
    assert got.status_code == 200, got.text
    assert got.json() == _cli(tmp_path, "recommend", scenario, plan, str(tmp_path / "case.json"), "-k", "3")


def test_workbench_user_errors_name_the_field(client, keys, service):
    _, rid = _finished_run(client, keys, service)
    h = auth(keys.m)
    r = client.get(f"/runs/{rid}/explain", params={"case": "nope"}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["path"] == "case" and "nope" in r.text
    r = client.get(f"/runs/{rid}/why-not", params={"case": CASE_A, "court": "ZZ"}, headers=h)
    assert r.status_code == 422 and "ZZ" in r.text
    r = client.post(f"/runs/{rid}/recommend", json={"case": {**NEW_CASE, "court": "ZZ"}}, headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["path"].startswith("case.court")
    r = client.get(f"/runs/{rid}/explain", headers=h)
    assert r.status_code == 422 and r.json()["detail"][0]["path"] == "query.case"
    r = client.get(f"/runs/{rid}/result", headers=h)
    assert r.status_code == 409 and "/plan" in r.text


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_jobs_that_re_solve_are_the_cli_answers_with_progress(client, keys, service, tmp_path):
    sid, rid = _finished_run(client, keys, service)
    scenario, plan = _files(service, rid, tmp_path)
    h = auth(keys.m)
    jobs = {
        "explain": client.post(f"/runs/{rid}/explain", json={"cases": [CASE_A], "exact": 2,
                                                             "time_limit": 10}, headers=h),
        "officers": client.post(f"/runs/{rid}/officers", json={"top": 2, "time_limit": 10}, headers=h),
        "sweep": client.post(f"/scenarios/{sid}/sweeps", json={"vary": ["officers:A=0,1"],
                                                               "time_limit": 10}, headers=h),
    }
    for kind, r in jobs.items():
        assert r.status_code == 202, r.text
        assert r.json()["kind"] == kind and r.json()["status"] == "queued"
    assert Worker(service.settings, service.engine).run(idle_exit=0) == 3
    runs = {k: client.get(f"/runs/{r.json()['id']}", headers=h).json() for k, r in jobs.items()}
    for run in runs.values():
        progress = run["progress"]
        assert run["status"] == "done", run
        assert progress["pieces_total"] >= 1 and progress["pieces_done"] == progress["pieces_total"]
    answers = {k: client.get(f"/runs/{r.json()['id']}/result", headers=h).json() for k, r in jobs.items()}
    solve = ["--time-limit", "10", "--quiet"]
    assert answers["explain"] == _cli(tmp_path, "explain", scenario, plan, CASE_A, "--exact", "2", *solve)
    assert answers["explain"]["exact"][CASE_A], "the regrets were re-solved"
    officers = _cli(tmp_path, "officers", scenario, plan, "--top", "2", "--workers", "1", *solve)
    assert answers["officers"] == officers
    rows = _cli(tmp_path, "sweep", scenario, "--vary", "officers:A=0,1", "--workers", "1", *solve)
    timeless = [{k: v for k, v in row.items() if k != "seconds"} for row in rows]
    assert [{k: v for k, v in row.items() if k != "seconds"} for row in answers["sweep"]["rows"]] == timeless
    assert answers["sweep"]["chart_svg"].lstrip().startswith(("<?xml", "<svg"))
    plans = client.get(f"/scenarios/{sid}/runs", params={"kind": "plan"}, headers=h).json()
    assert plans["total"] == 1 and plans["items"][0]["id"] == rid
