"""FastAPI app: validate, store, solve and fetch plans. User mistakes are 404/422, never 500."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from api.deps import SettingsDep, StoreDep
from api.schemas import PlanOut, PlanSummaryOut, ProblemOut, ScenarioInfo, SolveIn, ValidationOut
from optimizer.data.read import parse_scenario, read_scenario
from optimizer.data.scenario import Scenario
from optimizer.data.validate import ScenarioError
from optimizer.pipeline import Changes, plan_scenario
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams

app = FastAPI(title="courtplan", version="0.1.0",
              description="Cross-execution (交叉执行) planning for civil-judgment enforcement.")


@app.exception_handler(ScenarioError)
async def _scenario_error(_: Request, e: ScenarioError) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": [
        ProblemOut(path=d.path, record=d.record, message=d.message).model_dump()
        for d in e.defects]})


async def _body(request: Request, settings: SettingsDep) -> bytes:
    size = request.headers.get("content-length")
    if size is not None and int(size) > settings.max_body_bytes:
        raise HTTPException(413, f"scenario above {settings.max_body_bytes} bytes")
    body = await request.body()
    if len(body) > settings.max_body_bytes:
        raise HTTPException(413, f"scenario above {settings.max_body_bytes} bytes")
    return body


def _summary(plan: Plan) -> PlanSummaryOut:
    return PlanSummaryOut(
        status=plan.status, objective=plan.objective, bound=plan.bound,
        gap=plan.gap if math.isfinite(plan.gap) else None, method=plan.method,
        cases_per_mode=plan.kpis.get("cases_per_mode", {}), kpis=plan.kpis,
    )


def _plan_out(plan: Plan) -> PlanOut:
    d: dict[str, Any] = plan.to_dict()
    if not math.isfinite(plan.gap):
        d["gap"] = None
    return PlanOut(summary=_summary(plan), plan=d)


def _solve(s: Scenario, body: SolveIn, settings: SettingsDep) -> Plan:
    limit = min(body.time_limit or settings.default_time_limit, settings.max_time_limit)
    try:
        params = SolveParams(time_limit=limit, gap=body.gap, seed=body.seed)
        return plan_scenario(s, Changes(weights=body.weights), params)
    except ScenarioError:
        raise
    except ValueError as e:
        raise HTTPException(422, str(e)) from None


def _load(store: StoreDep, sid: str) -> Scenario:
    if not store.valid_id(sid) or not store.scenario_path(sid).exists():
        raise HTTPException(404, f"scenario '{sid}' not found")
    return read_scenario(store.scenario_path(sid))


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/schema")
def schema() -> dict[str, Any]:
    """JSON Schema of the scenario format."""
    return Scenario.model_json_schema()


@app.post("/validate", response_model=ValidationOut)
async def validate(request: Request, settings: SettingsDep) -> ValidationOut:
    """Check a scenario (request body) and list every problem; 200 either way."""
    body = await _body(request, settings)
    try:
        s = parse_scenario(body)
    except ScenarioError as e:
        return ValidationOut(valid=False, problems=[
            ProblemOut(path=d.path, record=d.record, message=d.message) for d in e.defects])
    return ValidationOut(valid=True, courts=len(s.courts), cases=len(s.cases))


@app.post("/scenarios", response_model=ScenarioInfo, status_code=201)
async def create_scenario(request: Request, settings: SettingsDep, store: StoreDep) -> ScenarioInfo:
    """Store a valid scenario (request body); invalid ones are refused with 422 and kept out."""
    body = await _body(request, settings)
    s = parse_scenario(body)
    sid = store.new_id()
    store.put_scenario(sid, s.model_dump_json())
    return ScenarioInfo(id=sid, name=s.name, dispatcher=s.dispatcher, courts=len(s.courts),
                        cases=len(s.cases), has_plan=False)


@app.get("/scenarios", response_model=list[ScenarioInfo])
def list_scenarios(store: StoreDep) -> list[ScenarioInfo]:
    return [get_scenario(sid, store) for sid in store.scenario_ids()]


@app.get("/scenarios/{sid}", response_model=ScenarioInfo)
def get_scenario(sid: str, store: StoreDep) -> ScenarioInfo:
    s = _load(store, sid)
    return ScenarioInfo(id=sid, name=s.name, dispatcher=s.dispatcher, courts=len(s.courts),
                        cases=len(s.cases), has_plan=store.plan_path(sid).exists())


@app.post("/scenarios/{sid}/solve", response_model=PlanOut)
def solve_stored(sid: str, body: SolveIn, store: StoreDep, settings: SettingsDep) -> PlanOut:
    """Plan a stored scenario; the plan is kept as its latest."""
    plan = _solve(_load(store, sid), body, settings)
    store.put_plan(sid, plan.to_json())
    return _plan_out(plan)


@app.get("/scenarios/{sid}/plan", response_model=PlanOut)
def get_plan(sid: str, store: StoreDep) -> PlanOut:
    if not store.valid_id(sid) or not store.plan_path(sid).exists():
        raise HTTPException(404, f"no plan for scenario '{sid}'")
    return _plan_out(Plan.from_json(store.plan_path(sid).read_bytes()))


@app.post("/solve", response_model=PlanOut)
async def solve_body(request: Request, settings: SettingsDep, time_limit: float | None = None,
                     gap: float = 1e-3, seed: int = 0) -> PlanOut:
    """Plan a scenario sent as the request body, without storing it."""
    body = await _body(request, settings)
    s = parse_scenario(body)
    try:
        params = SolveIn(time_limit=time_limit, gap=gap, seed=seed)
    except ValueError as e:
        raise HTTPException(422, str(e)) from None
    return _plan_out(_solve(s, params, settings))
