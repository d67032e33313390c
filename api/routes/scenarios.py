"""Scenarios: validate, store (each edit a new immutable version), list, read."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from api import crud
from api.deps import Caller, Limit, Offset, ReadSession, WriteSession, checked_id, not_found
from api.errors import AUTH, responses
from api.offload import CheckedScenario, count_scenario_body, read_scenario_body
from api.routes.convert import scenario_out
from api.schemas import Page, Problem, ScenarioOut, ValidationOut
from api.strict import StrictJSONRoute
from optimizer.data.scenario import Scenario
from optimizer.data.validate import ScenarioError

router = APIRouter(tags=["scenarios"], route_class=StrictJSONRoute)
log = logging.getLogger("courtplan.api")
SCENARIO_BODY: dict[str, Any] = {"requestBody": {"required": True, "description": (
    "A scenario (the format of `GET /schema` and docs/scenario-format.md)."),
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}}}
Version = Annotated[int | None, Query(ge=1, le=2_147_483_647, description="Default: the latest.")]


async def _scenario(request: Request) -> Scenario | CheckedScenario:
    """The body read and checked; a large one in a bounded child process (api/offload.py)."""
    body = await request.body()  # bounded and timed by the edge middleware
    return await run_in_threadpool(read_scenario_body, request.app.state.service.settings, body)


@router.post("/validate", response_model=ValidationOut, openapi_extra=SCENARIO_BODY,
             responses=responses(*AUTH, 503))
async def validate(request: Request, _: Caller) -> ValidationOut:
    """Check a scenario and list every problem; 200 whether it is valid or not."""
    body = await request.body()
    try:
        courts, cases = await run_in_threadpool(count_scenario_body, request.app.state.service.settings, body)
    except ScenarioError as e:
        return ValidationOut(valid=False, problems=[
            Problem(path=d.path, record=d.record, message=d.message) for d in e.defects])
    return ValidationOut(valid=True, courts=courts, cases=cases)


@router.post("/scenarios", response_model=ScenarioOut, status_code=201, openapi_extra=SCENARIO_BODY,
             responses=responses(*AUTH, 503))
async def create_scenario(request: Request, who: Caller, session: WriteSession) -> ScenarioOut:
    """Store a valid scenario as version 1 of a new scenario; invalid ones are refused (422)."""
    s = await _scenario(request)
    v = await run_in_threadpool(crud.store_scenario, session, who, s)
    return scenario_out(v, v.version)


@router.put("/scenarios/{scenario_id}", response_model=ScenarioOut, status_code=201,
            openapi_extra=SCENARIO_BODY, responses=responses(*AUTH, 404, 503))
async def update_scenario(scenario_id: str, request: Request, who: Caller,
                          session: WriteSession) -> ScenarioOut:
    """Store an edited scenario as its next version; earlier versions and their runs stay."""
    sid = checked_id(scenario_id, "scenario")
    if await run_in_threadpool(crud.scenario_version, session, who, sid) is None:
        raise not_found("scenario")
    s = await _scenario(request)
    v = await run_in_threadpool(crud.store_scenario, session, who, s, sid)
    return scenario_out(v, v.version)


def _page(rows: list[Any], total: int, limit: int, offset: int) -> Page[ScenarioOut]:
    items = []
    for v, latest in rows:
        try:
            items.append(scenario_out(v, latest))
        except (ValidationError, TypeError, ValueError):  # a damaged row: left out, not fatal
            log.warning("scenario %s version %s: stored metadata is damaged", v.scenario_id, v.version)
    return Page[ScenarioOut](items=items, total=total, limit=limit, offset=offset)


@router.get("/scenarios", response_model=Page[ScenarioOut], responses=responses(401, 422))
def list_scenarios(who: Caller, session: ReadSession, limit: Limit = 50, offset: Offset = 0) -> Page[ScenarioOut]:
    """The scenarios the key may see (latest versions, newest first), from stored metadata."""
    rows, total = crud.list_scenarios(session, who, limit, offset)
    return _page(rows, total, limit, offset)


@router.get("/scenarios/{scenario_id}", response_model=ScenarioOut, responses=responses(401, 404, 422))
def get_scenario(scenario_id: str, who: Caller, session: ReadSession, version: Version = None) -> ScenarioOut:
    v = crud.scenario_version(session, who, checked_id(scenario_id, "scenario"), version)
    if v is None:
        raise not_found("scenario")
    latest = crud.scenario_version(session, who, v.scenario_id)
    return scenario_out(v, latest.version if latest else v.version)


@router.get("/scenarios/{scenario_id}/versions", response_model=Page[ScenarioOut],
            responses=responses(401, 404, 422))
def list_versions(scenario_id: str, who: Caller, session: ReadSession, limit: Limit = 50,
                  offset: Offset = 0) -> Page[ScenarioOut]:
    latest = crud.scenario_version(session, who, checked_id(scenario_id, "scenario"))
    if latest is None:
        raise not_found("scenario")
    rows, total = crud.list_versions(session, latest.scenario_id, limit, offset)
    return _page([(v, latest.version) for v in rows], total, limit, offset)


@router.get("/scenarios/{scenario_id}/body", responses={
    200: {"description": "The stored scenario (canonical JSON).",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}},
    **responses(401, 404, 422)})
def scenario_body(scenario_id: str, who: Caller, session: WriteSession, version: Version = None) -> Response:
    """The stored scenario itself (audited: it holds parties' names)."""
    v = crud.scenario_version(session, who, checked_id(scenario_id, "scenario"), version)
    if v is None:
        raise not_found("scenario")
    body = crud.scenario_body(session, v.id)
    crud.audit(session, who, "scenario.read", v.scenario_id, content_hash=v.content_hash)
    return Response(body, media_type="application/json")
