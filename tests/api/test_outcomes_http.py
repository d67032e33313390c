"""GET /runs/{id}/projection and /runs/{id}/screening give the documents `courtplan project`
and `courtplan screen` give for the same scenario version and plan; bad horizons are 422."""

from __future__ import annotations

from tests.api.conftest import auth
from tests.api.test_workbench_http import _cli, _files, _finished_run


def test_projection_and_screening_are_the_cli_documents(client, keys, service, tmp_path):
    _, rid = _finished_run(client, keys, service)
    scenario, plan = _files(service, rid, tmp_path)
    r = client.get(f"/runs/{rid}/projection?months=6", headers=auth(keys.m))
    assert r.status_code == 200, r.text
    cli = _cli(tmp_path, "project", plan, "--scenario", scenario, "--months", "6")
    assert r.json() == cli
    assert r.json()["months"] == 6 and len(r.json()["district"]["plan"]["pending"]) == 7
    r = client.get(f"/runs/{rid}/screening?all=true", headers=auth(keys.m))
    assert r.status_code == 200, r.text
    assert r.json() == _cli(tmp_path, "screen", scenario, "--all")
    assert sum(r.json()["counts"].values()) == len(r.json()["groups"])


def test_a_bad_horizon_is_named(client, keys, service):
    _, rid = _finished_run(client, keys, service)
    r = client.get(f"/runs/{rid}/projection?months=0", headers=auth(keys.m))
    assert r.status_code == 422 and "months" in r.text
    assert client.get(f"/runs/{rid}/projection", headers=auth(keys.z)).status_code == 404


def test_a_what_if_runs_projection_is_the_one_its_plan_carries(client, keys, service):
    changes = {"officers": [{"court": "A", "set": 1}]}  # A then closes far fewer
    _, rid = _finished_run(client, keys, service, {"time_limit": 10, "changes": changes})
    plan = client.get(f"/runs/{rid}/plan", headers=auth(keys.m)).json()["plan"]
    r = client.get(f"/runs/{rid}/projection", headers=auth(keys.m))
    assert r.status_code == 200 and r.json()["kpis"] == plan["kpis"]["projection"]
    assert r.json()["kpis"]["pending_12m"]["difference"] > 0
