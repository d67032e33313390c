"""/metrics for the operator's scraper (its own token; off without one) with the run numbers read
from the database, request latency by route template; one JSON line per request when asked."""

from __future__ import annotations

import json
import logging
import re

import pytest
from fastapi.testclient import TestClient

from api.jobs import Worker
from api.main import create_app
from tests.api.conftest import JSON, auth, store

TOKEN = "metrics-token-0123456789abcdef"


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text (hand-parsed: no client library)."""
    shown = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = "^" + re.escape(name + (f"{{{shown}}}" if labels else "")) + r" (\S+)$"
    found = re.findall(pattern, text, re.M)
    assert len(found) == 1, (name, labels, found)
    return float(found[0])


@pytest.fixture()
def watched(service):
    service.settings.metrics_token = TOKEN
    service.settings.access_log = "json"
    with TestClient(create_app(service=service)) as c:
        yield c


def test_metrics_are_off_without_a_token_and_not_for_api_keys(client, keys, watched):
    assert client.get("/metrics", headers=auth(keys.admin)).status_code == 404  # no token configured
    assert watched.get("/metrics").status_code == 404
    assert watched.get("/metrics", headers=auth(keys.admin)).status_code == 404  # an API key is no token
    assert watched.get("/metrics", headers=auth(TOKEN + "x")).status_code == 404
    assert watched.get("/metrics", headers=auth(TOKEN)).status_code == 200
    assert "/metrics" not in watched.get("/openapi.json").json()["paths"]


def test_runs_queue_and_solve_seconds_come_from_the_database(watched, keys, service):
    sid = store(watched, keys.m)["id"]
    runs = [watched.post(f"/scenarios/{sid}/runs", json={"time_limit": 10}, headers=auth(keys.m)).json()["id"]
            for _ in range(3)]
    watched.post(f"/runs/{runs[2]}/cancel", headers=auth(keys.m))
    text = watched.get("/metrics", headers=auth(TOKEN)).text
    assert sample(text, "courtplan_runs", status="queued") == 2
    assert sample(text, "courtplan_runs", status="cancelled") == 1
    assert sample(text, "courtplan_runs", status="done") == 0
    assert sample(text, "courtplan_queue_length") == 2 and sample(text, "courtplan_queue_oldest_seconds") >= 0
    assert sample(text, "courtplan_scenarios") == 1
    assert sample(text, "courtplan_run_solve_seconds_count") == 0
    assert Worker(service.settings, service.engine).run(once=True) == 1
    text = watched.get("/metrics", headers=auth(TOKEN)).text
    done = watched.get(f"/runs/{runs[0]}", headers=auth(keys.m)).json()
    assert sample(text, "courtplan_runs", status="done") == 1 and sample(text, "courtplan_queue_length") == 1
    assert sample(text, "courtplan_run_solve_seconds_count") == 1
    assert sample(text, "courtplan_run_solve_seconds_sum") == pytest.approx(done["solve_seconds"])
    assert sample(text, "courtplan_run_solve_seconds_bucket", le="+Inf") == 1


def test_request_latency_by_route_template(watched, keys):
    sid = store(watched, keys.m)["id"]
    for _ in range(3):
        watched.get(f"/scenarios/{sid}", headers=auth(keys.m))
    watched.get(f"/scenarios/{'0' * 32}", headers=auth(keys.m))  # 404: its own series
    text = watched.get("/metrics", headers=auth(TOKEN)).text
    name = "courtplan_http_request_duration_seconds_count"
    assert sample(text, name, method="GET", route="/scenarios/{scenario_id}", status="200") >= 3
    assert sample(text, name, method="GET", route="/scenarios/{scenario_id}", status="404") >= 1
    assert sid not in text and keys.m not in text


def test_one_json_line_per_request(watched, keys):
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    handler = Collect()
    logging.getLogger("courtplan.access").addHandler(handler)
    try:
        sid = store(watched, keys.m)["id"]
        watched.get(f"/scenarios/{sid}", headers=auth(keys.m))
        watched.get("/scenarios", headers={"Authorization": "Bearer cp_0123456789ab_" + "x" * 43})
        watched.post("/scenarios", content=b"x" * 3_000_000, headers=auth(keys.m, **JSON))
    finally:
        logging.getLogger("courtplan.access").removeHandler(handler)
    entries = [json.loads(line) for line in lines]
    assert [(e["method"], e["route"], e["status"]) for e in entries] == [
        ("POST", "/scenarios", 201), ("GET", "/scenarios/{scenario_id}", 200), ("GET", "/scenarios", 401),
        ("POST", "(unmatched)", 413)]
    key_id = keys.m.split("_")[1]
    assert entries[0]["key"] == key_id and entries[1]["path"] == f"/scenarios/{sid}"
    assert entries[2]["key"] == "0123456789ab"  # as claimed: the 401 says it was not valid
    assert all(e["ms"] >= 0 and e["bytes"] > 0 and set(e) == {
        "time", "method", "path", "route", "status", "ms", "bytes", "key", "client"} for e in entries)
    assert not any(keys.m in line for line in lines)
