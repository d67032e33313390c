"""The planner's workbench over HTTP (`courtplan explain`, `officers`, `recommend`, `sweep`):
each answer is the document the CLI prints with --json for the same scenario, plan and question.

Answers that need no re-solve come back at once (read in a bounded child: `api/workbench.py`):
GET explain (estimates), GET why-not, GET officers (estimates), POST recommend. Answers that
re-solve are jobs, queued like runs (202, with progress, cancel and requeue): POST explain (exact
regrets), POST officers (exact falls), POST sweeps; GET /runs/{id}/result gives the answer.
Every read of a plan is audited, as the plan itself is.
"""

from __future__ import annotations

import zlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response

from api import crud
from api.db.models import Run, RunPlan, RunResult
from api.deps import Caller, ReadSession, ServiceDep, WriteSession, checked_id, not_found
from api.errors import AUTH, responses
from api.routes.convert import run_out
from api.routes.files import stored_plan
from api.schemas import ExactExplainIn, ExactOfficersIn, RecommendIn, RunOut, SweepIn
from api.strict import StrictJSONRoute
from api.workbench import ask
from optimizer.law.errors import UserError, error_item

router = APIRouter(tags=["workbench"], route_class=StrictJSONRoute)


def _seen_run(run_id: str, who: Caller, service: ServiceDep) -> str:
    """404 for a run the caller may not see — before the query or body is checked (a dependency
    runs first), so an answer never tells a run outside the district from one asked wrongly."""
    with service.reads() as s:
        if crud.visible_run(s, who, checked_id(run_id, "run")) is None:
            raise not_found("run")
    return run_id


def _seen_scenario(scenario_id: str, who: Caller, service: ServiceDep) -> str:
    with service.reads() as s:
        if crud.scenario_version(s, who, checked_id(scenario_id, "scenario")) is None:
            raise not_found("scenario")
    return scenario_id


SeenRun = Annotated[str, Depends(_seen_run)]
SeenScenario = Annotated[str, Depends(_seen_scenario)]
Cases = Annotated[list[Annotated[str, Query(min_length=1, max_length=200)]], Query(
    min_length=1, max_length=20, description="案号 of the cases asked (repeat: ?case=A&case=B).")]
ANSWER = {"description": "The CLI's --json document.", "content": {"application/json": {
    "schema": {"type": "object"}}}}
LISTED = {"description": "The CLI's --json document (one item per case).", "content": {
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}
READ = responses(401, 404, 409, 422, 503)


@router.get("/runs/{run_id}/explain", responses={200: ANSWER, **READ})
def explain_cases(run_id: SeenRun, case: Cases, who: Caller, service: ServiceDep) -> Any:
    """解释: why each case got its decision, and its lawful alternatives ranked by estimated
    extra cost (`courtplan explain SCENARIO PLAN CASE… --exact 0 --json`)."""
    _, plan, scenario = stored_plan(service, who, run_id, "plan.explain")
    return ask(service.settings, "explain", plan, scenario, {"cases": case})


@router.get("/runs/{run_id}/why-not", responses={200: LISTED, **READ})
def why_not_court(run_id: SeenRun, case: Cases, court: Annotated[str, Query(min_length=1, max_length=64)],
                  who: Caller, service: ServiceDep) -> Any:
    """为何不: the rule that shuts the court out for each case, with its article, or what going
    there would cost (`courtplan explain … CASE… --why-not COURT --json`)."""
    _, plan, scenario = stored_plan(service, who, run_id, "plan.why_not")
    return ask(service.settings, "why_not", plan, scenario, {"cases": case, "court": court})


@router.get("/runs/{run_id}/officers", responses={200: ANSWER, **READ})
def officer_estimates(run_id: SeenRun, who: Caller, service: ServiceDep) -> Any:
    """增员边际: every court's estimated objective fall with one more officer, and every lending
    pair's (`courtplan officers … --top 0 --json`; POST re-solves the top courts)."""
    _, plan, scenario = stored_plan(service, who, run_id, "plan.officers")
    return ask(service.settings, "officers", plan, scenario, {})


@router.post("/runs/{run_id}/recommend", responses={200: ANSWER, **responses(*AUTH, 404, 409, 503)})
def recommend_case(run_id: SeenRun, body: RecommendIn, who: Caller, service: ServiceDep) -> Any:
    """推荐: the best lawful (mode, court) options for a new case given the plan, without
    re-solving (`courtplan recommend … CASE.json -k K --json`). The case is checked like a
    scenario case (422 naming `case.…`)."""
    _, plan, scenario = stored_plan(service, who, run_id, "plan.recommend")
    return ask(service.settings, "recommend", plan, scenario, {"case": body.case, "k": body.k})


def _solve(service: ServiceDep, body: Any) -> dict[str, Any]:
    settings = service.settings
    return {"time_limit": min(body.time_limit or settings.default_time_limit, settings.max_time_limit),
            "gap": body.gap, "seed": body.seed}


def _planned(session: Any, who: Any, run_id: str) -> tuple[Run, Any]:
    """A finished plan run visible to the caller, and its scenario version (404, 409)."""
    base = crud.visible_run(session, who, checked_id(run_id, "run"))
    if base is None:
        raise not_found("run")
    if base.kind != "plan" or session.get(RunPlan, base.id) is None:
        raise HTTPException(409, f"the run has no plan (it is {base.status}"
                                 f"{'' if base.kind == 'plan' else ', a ' + base.kind + ' job'})")
    v = crud.scenario_version(session, who, base.scenario_id, crud.run_version(session, base))
    if v is None:
        raise not_found("scenario version")
    return base, v


JOB = responses(*AUTH, 404, 409, 503)


@router.post("/runs/{run_id}/explain", response_model=RunOut, status_code=202, responses=JOB)
def explain_exactly(run_id: SeenRun, body: ExactExplainIn, who: Caller, session: WriteSession,
                    service: ServiceDep) -> RunOut:
    """解释（精确）as a job: each case re-solved forced to each of its `exact` cheapest
    alternatives (`courtplan explain … CASE… --exact N --json`); the answer at /runs/{id}/result."""
    base, v = _planned(session, who, run_id)
    run = crud.queue_run(session, who, v, _solve(service, body), {}, kind="explain",
                         task={"base_run": base.id, "cases": body.cases, "exact": body.exact},
                         action="job.explain")
    return run_out(run, v.version)


@router.post("/runs/{run_id}/officers", response_model=RunOut, status_code=202, responses=JOB)
def officers_exactly(run_id: SeenRun, body: ExactOfficersIn, who: Caller, session: WriteSession,
                     service: ServiceDep) -> RunOut:
    """增员（精确）as a job: the top courts re-solved with one more officer each
    (`courtplan officers … --top N --workers 1 --json`)."""
    base, v = _planned(session, who, run_id)
    run = crud.queue_run(session, who, v, _solve(service, body), {}, kind="officers",
                         task={"base_run": base.id, "top": body.top}, action="job.officers")
    return run_out(run, v.version)


@router.post("/scenarios/{scenario_id}/sweeps", response_model=RunOut, status_code=202, responses=JOB)
def sweep_scenario(scenario_id: SeenScenario, body: SweepIn, who: Caller, session: WriteSession,
                   service: ServiceDep) -> RunOut:
    """扫描 as a job: every combination of the axes planned (`courtplan sweep … --vary … --workers 1
    --json`); the answer is the table, with a chart of `kpi` against the first axis."""
    from optimizer.workbench.sweep import grid, parse_axis

    v = crud.scenario_version(session, who, checked_id(scenario_id, "scenario"), body.version)
    if v is None:
        raise not_found("scenario" if body.version is None else "scenario version")
    axes = []
    for i, text in enumerate(body.vary):
        try:
            axes.append(parse_axis(text))
        except UserError as e:
            raise HTTPException(422, e.items(where=f"vary[{i}]")) from None
    if len(grid(axes)) > 64:
        raise HTTPException(422, [error_item("vary", None, (
            f"{len(grid(axes))} variants: at most 64 per sweep (split it)"))])
    run = crud.queue_run(session, who, v, _solve(service, body), {}, kind="sweep",
                         task={"vary": body.vary, "kpi": body.kpi}, action="job.sweep")
    return run_out(run, v.version)


@router.get("/runs/{run_id}/result", responses={200: ANSWER, **responses(401, 404, 409, 422)})
def job_result(run_id: str, who: Caller, session: ReadSession) -> Response:
    """A finished workbench job's answer (a plan run's answer is its plan: /runs/{id}/plan)."""
    run = crud.visible_run(session, who, checked_id(run_id, "run"))
    if run is None:
        raise not_found("run")
    stored = session.get(RunResult, run.id)
    if stored is None:
        raise HTTPException(409, "a plan run's answer is its plan (GET /runs/{id}/plan)"
                            if run.kind == "plan" else f"the job has no answer (it is {run.status})")
    return Response(zlib.decompress(stored.body), media_type="application/json")
