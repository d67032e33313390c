"""Cancel and requeue have one outcome, stated in the answer, on SQLite and PostgreSQL: a cancel
answered 202 means the run ends `cancelled` (whatever its worker finishes after that), a cancel
answered 409 means the run had already ended (and the message says how); of concurrent
requeues of one run exactly one is answered 202, the others 409."""

from __future__ import annotations

import threading
from typing import Any

from fastapi.testclient import TestClient

from api.deps import Service
from api.jobs import Worker, claim
from tests.api.conftest import Keys, auth, store

SUMMARY = None  # the finish below stores no summary: these tests are about the run's status


def _running(client: TestClient, service: Service, keys: Keys, worker: Worker) -> str:
    """A run of the tiny scenario, claimed by `worker` (status running) but not solved."""
    sid = store(client, keys.m)["id"]
    made = client.post(f"/scenarios/{sid}/runs", json={}, headers=auth(keys.m))
    assert made.status_code == 202, made.text
    claimed = claim(service.writes, worker.name, 60)
    assert claimed is not None and claimed[0] == made.json()["id"]
    return str(made.json()["id"])


def _finish_done(worker: Worker, run_id: str) -> None:
    """What the worker does when the solver hands back a plan."""
    worker._finish(run_id, "done", summary=SUMMARY, plan=b'{"assignments": []}', elapsed=1.0)


def _status(client: TestClient, keys: Keys, run_id: str) -> dict[str, Any]:
    r = client.get(f"/runs/{run_id}", headers=auth(keys.m))
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_cancel_answered_202_ends_cancelled_even_when_the_solver_then_finishes(
        client: TestClient, service: Service, keys: Keys) -> None:
    worker = Worker(service.settings, service.engine, name="test-worker")
    run_id = _running(client, service, keys, worker)
    cancel = client.post(f"/runs/{run_id}/cancel", headers=auth(keys.m))
    assert cancel.status_code == 202, cancel.text
    assert cancel.json()["cancel_requested"] is True
    _finish_done(worker, run_id)  # the solver's plan arrives after the acknowledged cancel
    run = _status(client, keys, run_id)
    assert run["status"] == "cancelled", run
    assert client.get(f"/runs/{run_id}/plan", headers=auth(keys.m)).status_code == 409  # no plan kept


def test_a_cancel_after_the_run_ended_is_409_naming_how_it_ended(
        client: TestClient, service: Service, keys: Keys) -> None:
    worker = Worker(service.settings, service.engine, name="test-worker")
    run_id = _running(client, service, keys, worker)
    _finish_done(worker, run_id)
    cancel = client.post(f"/runs/{run_id}/cancel", headers=auth(keys.m))
    assert cancel.status_code == 409 and "done" in cancel.text, cancel.text
    assert _status(client, keys, run_id)["status"] == "done"


def test_a_cancel_racing_the_finish_has_one_outcome(client: TestClient, service: Service, keys: Keys) -> None:
    """The cancel and the worker's finish at the same moment, 15 times: 202 always ends
    `cancelled`, 409 always `done` — never a 202 and `done`."""
    worker = Worker(service.settings, service.engine, name="test-worker")
    outcomes = []
    for _ in range(15):
        run_id = _running(client, service, keys, worker)
        go = threading.Barrier(2)
        answer: dict[str, int] = {}

        def cancel(rid: str = run_id, gate: threading.Barrier = go, out: dict[str, int] = answer) -> None:
            gate.wait()
            out["code"] = client.post(f"/runs/{rid}/cancel", headers=auth(keys.m)).status_code

        def finish(rid: str = run_id, gate: threading.Barrier = go) -> None:
            gate.wait()
            _finish_done(worker, rid)

        threads = [threading.Thread(target=cancel), threading.Thread(target=finish)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        outcomes.append((answer.get("code"), _status(client, keys, run_id)["status"]))
    print(f"\n(cancel answer, final status): {outcomes}")
    assert set(outcomes) <= {(202, "cancelled"), (409, "done")}, outcomes


def test_concurrent_requeues_give_exactly_one_202(client: TestClient, service: Service, keys: Keys) -> None:
    """8 requeues of one cancelled run at once, 5 times: one 202, seven 409; the run queued
    once (one audit entry per 202)."""
    tallies = []
    for _ in range(5):
        sid = store(client, keys.m)["id"]
        run_id = client.post(f"/scenarios/{sid}/runs", json={}, headers=auth(keys.m)).json()["id"]
        assert client.post(f"/runs/{run_id}/cancel", headers=auth(keys.m)).status_code == 202
        go = threading.Barrier(8)
        codes: list[int] = []

        def requeue(rid: str = run_id, gate: threading.Barrier = go, out: list[int] = codes) -> None:
            gate.wait()
            out.append(client.post(f"/runs/{rid}/requeue", headers=auth(keys.m)).status_code)

        threads = [threading.Thread(target=requeue) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        audit = client.get("/audit?limit=500", headers=auth(keys.admin)).json()["items"]
        requeues = sum(1 for a in audit if a["action"] == "run.requeue" and a["run_id"] == run_id)
        tallies.append((sorted(codes), requeues))
        assert _status(client, keys, run_id)["status"] == "queued"
    print(f"\nrequeue answers, audited requeues: {tallies}")
    assert all(codes == [202] + [409] * 7 and audited == 1 for codes, audited in tallies), tallies
