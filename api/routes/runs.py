"""Runs: queued for the workers (202), read or streamed while they go, cancelled, requeued;
their plans read and compared."""

from __future__ import annotations

import asyncio
import json
import zlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api import crud
from api.db.models import Run, RunPlan, RunWarmStart, utcnow
from api.deps import Caller, Limit, Offset, ReadSession, ServiceDep, WriteSession, checked_id, not_found
from api.errors import AUTH, responses
from api.results import finite, summary_of
from api.routes.convert import aware, run_out
from api.routes.files import stored_plan
from api.schemas import Page, PlanOut, RunIn, RunKind, RunOut, changes_document
from api.strict import StrictJSONRoute
from api.workbench import compare_in_child
from optimizer.law.errors import error_item
from optimizer.law.vocabulary import RUN_FINISHED, RUN_REQUEUEABLE, RunStatus
from optimizer.results.plan import Plan

router = APIRouter(tags=["runs"], route_class=StrictJSONRoute)


@router.post("/scenarios/{scenario_id}/runs", response_model=RunOut, status_code=202,
             responses=responses(*AUTH, 404, 409, 503))
def create_run(scenario_id: str, body: RunIn, who: Caller, session: WriteSession,
               service: ServiceDep) -> RunOut:
    """Queue a run of the scenario (latest version unless `version`); the workers solve it."""
    v = crud.scenario_version(session, who, checked_id(scenario_id, "scenario"), body.version)
    if v is None:
        raise not_found("scenario" if body.version is None else "scenario version")
    settings = service.settings
    limit = min(body.time_limit or settings.default_time_limit, settings.max_time_limit)
    run = crud.queue_run(session, who, v, {"time_limit": limit, "gap": body.gap, "seed": body.seed},
                         changes_document(body.changes),
                         warm_from=_warm_from(session, who, body.warm_start_run, v.scenario_id))
    return run_out(run, v.version)


def _warm_from(session: Any, who: Any, run_id: str | None, scenario_id: str) -> str | None:
    """The run a new run starts from: visible to the caller (else 404), of the same scenario
    (422) and finished with a warm start kept (409)."""
    if run_id is None:
        return None
    base = crud.visible_run(session, who, checked_id(run_id, "warm_start_run"))
    if base is None:
        raise not_found("warm-start run")
    if base.scenario_id != scenario_id:
        raise HTTPException(422, [error_item("warm_start_run", run_id, (
            "the warm-start run plans another scenario (热启动须为同一方案的运行)"))])
    if session.get(RunWarmStart, base.id) is None:
        raise HTTPException(409, "the warm-start run has no warm start: " + (
            "it finished before warm starts were kept" if base.status == RunStatus.DONE
            else f"it is {base.status}"))
    return str(base.id)


@router.get("/scenarios/{scenario_id}/runs", response_model=Page[RunOut], responses=responses(401, 404, 422))
def list_runs(scenario_id: str, who: Caller, session: ReadSession, limit: Limit = 50,
              offset: Offset = 0, kind: RunKind | None = None) -> Page[RunOut]:
    """The scenario's runs, newest first (only those of `kind` when given: `plan` for plans)."""
    v = crud.scenario_version(session, who, checked_id(scenario_id, "scenario"))
    if v is None:
        raise not_found("scenario")
    runs, total = crud.list_runs(session, v.scenario_id, limit, offset, kind)
    return Page[RunOut](items=[run_out(r, crud.run_version(session, r)) for r in runs],
                        total=total, limit=limit, offset=offset)


def _run(session: Any, who: Any, run_id: str) -> Run:
    run = crud.visible_run(session, who, checked_id(run_id, "run"))
    if run is None:
        raise not_found("run")
    return run


def _current(service: ServiceDep, who: Any, run_id: str) -> RunOut:
    """The run as stored, after marking it interrupted if its worker's lease has run out."""
    with service.reads() as s:
        run = _run(s, who, run_id)
        expired = run.status == RunStatus.RUNNING and (aware(run.lease_expires_at) or utcnow()) < utcnow()
    if expired:
        with service.writes.begin() as s:
            crud.interrupt_expired(s, run_id=run.id)
    with service.reads() as s:
        run = _run(s, who, run_id)
        return run_out(run, crud.run_version(s, run))


@router.get("/runs/{run_id}", response_model=RunOut, responses=responses(401, 404, 422))
def get_run(run_id: str, who: Caller, service: ServiceDep) -> RunOut:
    """Status, progress (phase, incumbent, bound, gap, elapsed), timings and the plan summary."""
    return _current(service, who, run_id)


@router.get("/runs/{run_id}/events", response_class=StreamingResponse, responses={
    200: {"description": "Server-sent events: `progress` with the run (as GET /runs/{id}) "
          "whenever it changes, then `end`.", "content": {"text/event-stream": {"schema": {
            "type": "object", "required": ["event", "data"], "properties": {
                "event": {"type": "string", "enum": ["progress", "end"]},
                "data": {"type": "string", "description": "JSON: the run (progress) or its status (end)."}}}}}},
    **responses(401, 404, 422)})
async def run_events(run_id: str, who: Caller, service: ServiceDep, request: Request) -> StreamingResponse:
    first = await run_in_threadpool(_current, service, who, run_id)  # 404 before streaming

    async def stream() -> AsyncIterator[str]:
        out, last, quiet = first, "", 0.0
        while True:
            text = out.model_dump_json()
            if text != last:
                yield f"event: progress\ndata: {text}\n\n"
                last, quiet = text, 0.0
            if out.status in RUN_FINISHED:
                yield f"event: end\ndata: {json.dumps({'status': out.status})}\n\n"
                return
            if quiet >= 15:
                yield ": still running\n\n"
                quiet = 0.0
            await asyncio.sleep(service.settings.progress_interval)
            quiet += service.settings.progress_interval
            if await request.is_disconnected():
                return
            out = await run_in_threadpool(_current, service, who, run_id)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"X-Accel-Buffering": "no"})


@router.post("/runs/{run_id}/cancel", response_model=RunOut, status_code=202,
             responses=responses(401, 404, 409, 422, 503))
def cancel_run(run_id: str, who: Caller, session: WriteSession) -> RunOut:
    """One outcome, stated by the answer: **202** — the run ends `cancelled` (a queued one at
    once; a running one within about a second, its worker polls the flag and kills the solver;
    whatever the solver finishes after this answer is discarded); **409** — the run had already
    ended, and the message says how. One conditional UPDATE decides, so a cancel racing the
    worker's finish cannot be acknowledged and then lose (the worker's finish locks the row)."""
    run = _run(session, who, run_id)
    if not crud.cancel_run(session, who, run):
        raise HTTPException(409, f"the run has already ended: {run.status}; nothing was cancelled "
                                 f"(运行已结束（{run.status}），未取消)")
    return run_out(run, crud.run_version(session, run))


@router.post("/runs/{run_id}/requeue", response_model=RunOut, status_code=202,
             responses=responses(401, 404, 409, 422, 503))
def requeue_run(run_id: str, who: Caller, session: WriteSession) -> RunOut:
    """Queue an interrupted, failed or cancelled run again, with the same parameters. One
    conditional UPDATE decides: of several requeues at once, one is answered 202 and the
    others 409 (the run is queued once)."""
    run = _run(session, who, run_id)
    if not crud.requeue_run(session, who, run):
        raise HTTPException(409, f"only {', '.join(RUN_REQUEUEABLE)} runs can be requeued; this one is "
                                 f"{run.status} (只有中断、失败或已取消的运行可重新排队)")
    return run_out(run, crud.run_version(session, run))


def _plan(session: Any, who: Any, run_id: str) -> tuple[Run, Plan]:
    run = _run(session, who, run_id)
    stored = session.get(RunPlan, run.id)
    if stored is None:
        raise HTTPException(409, f"the run has no plan (it is {run.status})")
    plan = Plan.from_json(zlib.decompress(stored.body))
    v = crud.scenario_version(session, who, run.scenario_id, crud.run_version(session, run))
    crud.audit(session, who, "plan.read", run.scenario_id, run.id, v.content_hash if v else None)
    return run, plan


@router.get("/runs/{run_id}/plan", response_model=PlanOut, responses=responses(401, 404, 409, 422))
def get_plan(run_id: str, who: Caller, session: WriteSession) -> PlanOut:
    """The run's plan (audited)."""
    run, plan = _plan(session, who, run_id)
    return PlanOut(run_id=run.id, summary=summary_of(plan), plan=finite(plan.to_dict()))


@router.get("/runs/{run_id}/compare/{other_run_id}", responses={
    200: {"description": "`courtplan compare A B --json`: objective, bound and each term (a, b, "
          "change), every KPI (a, b), the courts whose load changed, every case whose decision "
          "changed (mode and court before and after, with its reasons), staff moves added and "
          "removed, and warnings when the plans are of different scenarios or dates.",
          "content": {"application/json": {"schema": {"type": "object"}}}},
    **responses(401, 404, 409, 422, 503)})
def compare_runs(run_id: str, other_run_id: str, who: Caller, service: ServiceDep) -> Any:
    """Two runs' plans compared (e.g. the same scenario under two what-ifs): B against A, the
    document the CLI's `courtplan compare A B --json` gives."""
    _, plan_a, _ = stored_plan(service, who, run_id, "plan.compare")
    _, plan_b, _ = stored_plan(service, who, other_run_id, "plan.compare")
    return compare_in_child(service.settings, plan_a, plan_b)
