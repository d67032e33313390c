"""Rows → response models. Stored rows are not trusted blindly: a damaged progress or summary
shows as empty rather than breaking the response."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from pydantic import ValidationError

from api.db.models import AuditEntry, Run, ScenarioVersion
from api.schemas import AuditOut, PlanSummaryOut, Problem, ProgressOut, RunOut, ScenarioOut

log = logging.getLogger("courtplan.api")


def aware(t: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return t.replace(tzinfo=dt.UTC) if t is not None and t.tzinfo is None else t


def scenario_out(v: ScenarioVersion, latest: int) -> ScenarioOut:
    return ScenarioOut(id=v.scenario_id, version=v.version, latest_version=latest, name=v.name,
                       dispatcher=v.dispatcher, courts=v.courts, cases=v.cases,
                       content_hash=v.content_hash, size_bytes=v.size_bytes,
                       created_at=aware(v.created_at), created_by=v.created_by)


def _or_none(model: Any, data: Any, run_id: str) -> Any:
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError:
        log.warning("run %s: stored %s is damaged; shown empty", run_id, model.__name__)
        return None


def run_out(run: Run, version: int) -> RunOut:
    error = run.error if isinstance(run.error, list) else None
    return RunOut(
        id=run.id, scenario_id=run.scenario_id, version=version, status=run.status,
        params=run.params if isinstance(run.params, dict) else {},
        changes=run.changes if isinstance(run.changes, dict) else {},
        progress=_or_none(ProgressOut, run.progress, run.id) or ProgressOut(),
        summary=_or_none(PlanSummaryOut, run.summary, run.id),
        error=[p for p in (_or_none(Problem, e, run.id) for e in error or []) if p] if error else None,
        cancel_requested=run.cancel_requested, attempts=run.attempts, created_at=aware(run.created_at),
        started_at=aware(run.started_at), finished_at=aware(run.finished_at),
        heartbeat_at=aware(run.heartbeat_at), solve_seconds=run.solve_seconds, created_by=run.created_by,
        warm_start_run=run.warm_from, kind=run.kind or "plan",
        task=run.task if isinstance(run.task, dict) else None)


def audit_out(a: AuditEntry) -> AuditOut:
    return AuditOut(id=a.id, at=aware(a.at), key_id=a.key_id, action=a.action,
                    scenario_id=a.scenario_id, run_id=a.run_id, content_hash=a.content_hash,
                    subject=a.subject)
