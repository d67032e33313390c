"""GET /vocabulary serves the one vocabulary (no key needed); a run's errors are a `UserError`'s
own items and nothing else is blamed on the user: a bug raising a plain `ValueError` in the
solver is a fault of the product, not "an error on `changes`"."""

from __future__ import annotations

from typing import Any

import pytest

from api import jobs
from optimizer.data.changes import ChangesError
from optimizer.law.vocabulary import RunStatus, served_vocabulary
from tests.api.conftest import TINY, auth


def test_vocabulary_is_served_without_a_key(client, keys):
    r = client.get("/vocabulary")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body == served_vocabulary()
    assert body["kpis"]["interference_cases"] == {"zh": "不当干预案件（已标记、已规划）",
                                                  "en": "interference cases (flagged, planned)"}
    assert body["run_statuses"][RunStatus.INTERRUPTED] == {"zh": "已中断", "en": "interrupted"}
    assert client.get("/vocabulary", headers=auth(keys.m)).json() == body


def _child(monkeypatch: pytest.MonkeyPatch, raised: Exception | None) -> list[dict[str, Any]]:
    """The errors a solving child reports when planning raises `raised` (None: it plans)."""
    if raised is not None:
        def plan_scenario(*_a: Any, **_k: Any) -> Any:
            raise raised

        monkeypatch.setattr("optimizer.pipeline.plan_scenario", plan_scenario)
    out = jobs._CTX.Queue()
    proc = jobs._CTX.Process(target=jobs._solve_child,
                             args=(TINY, {"time_limit": 10.0, "gap": 1e-3, "seed": 0}, {}, out))
    proc.start()
    try:
        while True:
            kind, payload = out.get(timeout=120)
            if kind != jobs._PROGRESS:
                return list(payload) if kind == jobs._ERROR else []
    finally:
        proc.join(10)


def test_a_change_that_does_not_fit_is_reported_on_changes(monkeypatch):
    errors = _child(monkeypatch, ChangesError("changes.pins[0]: case X is not in the scenario"))
    assert errors == [{"path": "changes", "record": None,
                       "message": "changes.pins[0]: case X is not in the scenario"}]


def test_a_plain_value_error_is_a_fault_not_the_users(monkeypatch):
    errors = _child(monkeypatch, ValueError("could not broadcast arrays"))
    assert [e["path"] for e in errors] == ["(run)"]
    assert "internal error" in errors[0]["message"] and "could not broadcast" not in errors[0]["message"]


def test_a_run_that_plans_reports_no_error(monkeypatch):
    assert _child(monkeypatch, None) == []
