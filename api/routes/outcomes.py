"""What a run's plan does over time (docs/outcomes.md): the backlog projection of every district
court with the plan and without it, and the 执转破 screening list — the documents `courtplan
project … --json` and `courtplan screen … --json` give, read in a bounded child."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.deps import Caller, ServiceDep
from api.errors import responses
from api.routes.files import stored_plan
from api.strict import StrictJSONRoute
from api.workbench import ask

router = APIRouter(tags=["outcomes"], route_class=StrictJSONRoute)
READ = responses(401, 404, 409, 422, 503)
DOCUMENT = {"content": {"application/json": {"schema": {"type": "object"}}}}


@router.get("/runs/{run_id}/projection", responses={200: {
    "description": "预测（非预报）: per court and for the district, month by month, pending, the "
                   "six-month pool, exits by outcome, filings, 执恢 and the 终本库 — plan, no plan "
                   "and their difference, with a band, the indicators (clearance rate, "
                   "disposition time, 终本 share), the assumptions and every default's source.",
    **DOCUMENT}, **READ})
def run_projection(run_id: str, who: Caller, service: ServiceDep,
                   months: Annotated[int, Query(ge=1, le=60, description="Horizon in months.")] = 12
                   ) -> Any:
    """The run's plan projected over `months` months under the run's own changes (`courtplan
    project PLAN --scenario S --months N --changes C --json`); audited as a read of the plan."""
    run, plan, scenario = stored_plan(service, who, run_id, "plan.projection")
    return ask(service.settings, "projection", plan, scenario,
               {"months": months, "changes": run.changes or {}})


@router.get("/runs/{run_id}/screening", responses={200: {
    "description": "执转破 screening: counts per status, then each debtor group of the district "
                   "(transfer, consult; with `all` the not-applicable ones too): status, reason, "
                   "basis, receiving court, its open cases, and whether the planner overrode it.",
    **DOCUMENT}, **READ})
def run_screening(run_id: str, who: Caller, service: ServiceDep,
                  all: Annotated[bool, Query(description="List not-applicable groups too.")] = False
                  ) -> Any:
    """The screening of the run's scenario version (`courtplan screen S --json`), with the
    plan's overrides."""
    _, plan, scenario = stored_plan(service, who, run_id, "plan.screening")
    return ask(service.settings, "screening", plan, scenario, {"all": all})
