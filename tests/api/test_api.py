"""The HTTP API: user mistakes are 404/422 with the record named; stored data stays intact."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.deps import get_settings
from api.main import app
from api.settings import Settings
from optimizer.data.read import parse_scenario
from optimizer.results.plan import Plan
from tests.checker import check_plan
from tests.conftest import DATA


@pytest.fixture()
def client(tmp_path):
    app.dependency_overrides[get_settings] = lambda: Settings(data_dir=tmp_path, max_body_bytes=10**6)
    yield TestClient(app)
    app.dependency_overrides.clear()


def tiny() -> bytes:
    return (DATA / "tiny.json").read_bytes()


def test_validate_good_and_bad(client):
    r = client.post("/validate", content=tiny())
    assert r.status_code == 200 and r.json()["valid"] and r.json()["cases"] == 3
    r = client.post("/validate", content=(DATA / "bad_unknown_court.json").read_bytes())
    assert r.status_code == 200 and not r.json()["valid"]
    assert r.json()["problems"][0]["record"] == "（2025）浙1121执2号"


def test_store_solve_and_fetch_plan(client):
    r = client.post("/scenarios", content=tiny())
    assert r.status_code == 201
    sid = r.json()["id"]
    assert client.get(f"/scenarios/{sid}").json()["has_plan"] is False
    r = client.post(f"/scenarios/{sid}/solve", json={"time_limit": 10, "seed": 1})
    assert r.status_code == 200
    out = r.json()
    assert out["summary"]["status"] in ("optimal", "within_gap")
    plan = Plan.from_dict(out["plan"])
    s = parse_scenario(tiny())
    assert not check_plan(s, plan)
    again = client.get(f"/scenarios/{sid}/plan").json()
    assert again["plan"]["objective"] == out["plan"]["objective"]
    assert [x["id"] for x in client.get("/scenarios").json()] == [sid]


def test_user_mistakes_are_404_or_422_never_500(client):
    assert client.get("/scenarios/nope").status_code == 404
    assert client.get("/scenarios/../../etc").status_code == 404
    assert client.get("/scenarios/abc/plan").status_code == 404
    r = client.post("/scenarios", content=(DATA / "bad_not_utf8.json").read_bytes())
    assert r.status_code == 422
    r = client.post("/scenarios", content=b"{not json")
    assert r.status_code == 422
    sid = client.post("/scenarios", content=tiny()).json()["id"]
    r = client.post(f"/scenarios/{sid}/solve", json={"weights": {"nonsense": 1}})
    assert r.status_code == 422 and "unknown weight" in r.text
    r = client.post(f"/scenarios/{sid}/solve", json={"gap": 2})
    assert r.status_code == 422
    r = client.post("/solve?gap=-1", content=tiny())
    assert r.status_code == 422


def test_refused_scenario_leaves_the_store_untouched(client, tmp_path):
    sid = client.post("/scenarios", content=tiny()).json()["id"]
    before = sorted(p.name for p in tmp_path.rglob("*"))
    r = client.post("/scenarios", content=(DATA / "bad_parent_cycle.json").read_bytes())
    assert r.status_code == 422 and any(d["record"] == "A" for d in r.json()["detail"])
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert client.get(f"/scenarios/{sid}").status_code == 200


def test_body_size_limit(client):
    big = json.dumps({"x": "y" * 2_000_000}).encode()
    assert client.post("/validate", content=big).status_code == 413


def test_solve_without_storing_keeps_chinese(client):
    r = client.post("/solve?time_limit=10", content=tiny())
    assert r.status_code == 200
    assert "（2025）浙1102执1号" in r.content.decode("utf-8")
    assert client.get("/schema").json()["title"] == "Scenario"
