"""Request and response models of the API (separate from the optimizer's own types). Request
models refuse unknown fields and are strict (严格类型): a string is never taken for a number or a
boolean (`"time_limit": "60"`, `"admin": "yes"`: 422 naming the field), nor a number for a
boolean or a string; numbers refuse NaN and infinities. The changes document (the library's
`ChangeSet`) is validated as strictly, in JSON mode. api/strict.py refuses repeated keys."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    TypeAdapter,
    ValidationError,
    create_model,
)

from optimizer.data.changes import ChangeSet
from optimizer.data.scenario import Rules, Weights
from optimizer.law.vocabulary import RunStatus

#: a plan, or a workbench job that re-solves (its answer at GET /runs/{id}/result)
RunKind = Literal["plan", "explain", "officers", "sweep"]
T = TypeVar("T")


class _In(BaseModel):
    """A request body: unknown fields refused, every field strict (an int is still a number)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Problem(BaseModel):
    """One error: where (a path in the request or the scenario), which record, what is wrong."""

    path: str
    record: str | None
    message: str


class ErrorOut(BaseModel):
    """Every error response has this shape."""

    detail: list[Problem]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="How many there are in all (for the key).")
    limit: int
    offset: int


class ValidationOut(BaseModel):
    valid: bool
    problems: list[Problem] = []
    courts: int = 0
    cases: int = 0


class ScenarioOut(BaseModel):
    """Stored metadata of one scenario version (never its body)."""

    id: str
    version: int
    latest_version: int
    name: str
    dispatcher: str
    courts: int
    cases: int
    content_hash: str = Field(description="sha256 of the stored canonical JSON.")
    size_bytes: int
    created_at: dt.datetime
    created_by: str = Field(description="Id of the API key that stored this version.")


def _known_parameters(changes: ChangeSet) -> ChangeSet:
    """Weight and rule names, and each value's type and bounds, are checked when the run is
    asked for (422 naming them); values that depend on the scenario's other rules, by the worker
    (the run then fails naming the change)."""
    for what, model in (("weights", Weights), ("rules", Rules)):
        given = getattr(changes, what)
        unknown = sorted(set(given) - set(model.model_fields))
        if unknown:
            raise ValueError(f"unknown {what[:-1]}(s) {', '.join(unknown)}; known: "
                             f"{', '.join(model.model_fields)}")
        for name, value in given.items():
            field: Any = (model.model_fields[name].annotation, model.model_fields[name])
            one = create_model("One", **{name: field})
            try:
                one.model_validate_json(json.dumps({name: value}), strict=True)
            except ValidationError as e:
                raise ValueError(f"{what}.{name}: {e.errors()[0]['msg']}") from None
    return changes


_CHANGES = TypeAdapter(ChangeSet)


def _strict_changes(value: Any) -> Any:
    """The changes document validated strictly as the JSON it came as (JSON mode: arrays are
    the document's tuples, but "5" is not the number 5); its errors keep their field paths."""
    if isinstance(value, dict):
        return _CHANGES.validate_json(json.dumps(value), strict=True)
    return value


#: the library's changes document (`courtplan changes-schema`), as the CLI's --changes reads it
ChangesIn = Annotated[ChangeSet, BeforeValidator(_strict_changes), AfterValidator(_known_parameters)]


def changes_document(changes: ChangeSet) -> dict[str, Any]:
    """The changes as stored with the run (only what was given; the worker reads it back with
    `ChangeSet.model_validate`)."""
    return changes.model_dump(mode="json", by_alias=True, exclude_defaults=True)


class _Solve(_In):
    """How each re-solve of a workbench job runs."""

    time_limit: float | None = Field(None, gt=0, le=86_400, allow_inf_nan=False, description=(
        "Seconds per re-solve; default and cap from the service settings."))
    gap: float = Field(1e-3, ge=0, lt=1, allow_inf_nan=False, description="Relative gap to stop at.")
    seed: StrictInt = Field(0, ge=0, le=2_147_483_647)


class RunIn(_In):
    time_limit: float | None = Field(None, gt=0, le=86_400, allow_inf_nan=False, description=(
        "Seconds; default and cap from the service settings."))
    gap: float = Field(1e-3, ge=0, lt=1, allow_inf_nan=False, description="Relative gap to stop at.")
    seed: StrictInt = Field(0, ge=0, le=2_147_483_647)
    version: StrictInt | None = Field(None, ge=1, le=2_147_483_647,
                                      description="Scenario version to plan; default the latest.")
    changes: ChangesIn = Field(default_factory=ChangeSet, description=(
        "变更方案: the what-if, the same document as `courtplan solve --changes` (officers, "
        "bar_receiving, bar_executing, weights, rules, pins, keep, forbid, concentrate, "
        "never_concentrate, shocks, loans)."))
    warm_start_run: str | None = Field(None, max_length=64, description=(
        "热启动: a finished run of the same scenario to start from (its cuts, LP basis and "
        "officers) — a what-if variant of it then plans in about half the time; nothing is "
        "pinned or charged."))


class ProgressOut(BaseModel):
    phase: str | None = None
    message: str | None = None
    elapsed: float | None = None
    pieces_done: int = 0
    pieces_total: int = 0
    incumbent: float | None = None
    bound: float | None = None
    gap: float | None = None


class PlanSummaryOut(BaseModel):
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    method: str
    cases_per_mode: dict[str, int]
    kpis: dict[str, Any]


class RunOut(BaseModel):
    id: str
    scenario_id: str
    version: int
    status: RunStatus
    params: dict[str, Any]
    changes: dict[str, Any]
    progress: ProgressOut
    summary: PlanSummaryOut | None
    error: list[Problem] | None
    cancel_requested: bool
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    heartbeat_at: dt.datetime | None
    solve_seconds: float | None
    created_by: str
    warm_start_run: str | None = None
    kind: RunKind = "plan"
    task: dict[str, Any] | None = Field(None, description=(
        "A workbench job's question: the base run and the cases asked (explain), the courts "
        "re-solved (officers), the axes and KPI (sweep)."))


class PlanOut(BaseModel):
    run_id: str
    summary: PlanSummaryOut
    plan: dict[str, Any]


class ExactExplainIn(_Solve):
    """解释（精确）: re-solve each case forced to each of its `exact` cheapest alternatives."""

    cases: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=20, description="案号 of the cases asked.")
    exact: StrictInt = Field(3, ge=1, le=10, description="Alternatives re-solved per case.")


class ExactOfficersIn(_Solve):
    """增员（精确）: re-solve the `top` courts of the estimate, each with one more officer."""

    top: StrictInt = Field(5, ge=1, le=30, description="Courts re-solved.")


class SweepIn(_Solve):
    """扫描: every combination of the axes planned; a table and a chart of one KPI."""

    vary: list[Annotated[str, Field(min_length=3, max_length=2000)]] = Field(
        min_length=1, max_length=4, description=(
            "Axes as the CLI's --vary: officers:COURT=0,2 (officers added), weight:NAME=1,2, "
            "rule:NAME=1.2,none."))
    kpi: str = Field("objective", min_length=1, max_length=100,
                     description="The chart's KPI (objective, bound, gap, seconds or a KPI's name).")
    version: StrictInt | None = Field(None, ge=1, le=2_147_483_647,
                                      description="Scenario version; default the latest.")


class RecommendIn(_In):
    """推荐: the best lawful options of a new case, given the plan (no re-solve)."""

    case: dict[str, Any] = Field(description="The new case, a record like a scenario's `cases` item.")
    k: StrictInt = Field(5, ge=1, le=50, description="Options listed.")


class KeyIn(_In):
    court: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$")
    admin: bool = False
    label: str = Field("", max_length=200, pattern=r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$")


class KeyOut(BaseModel):
    id: str
    court: str
    admin: bool
    label: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class KeyCreated(KeyOut):
    token: str = Field(description="Shown once; only its hash is stored.")


class AuditOut(BaseModel):
    id: int
    at: dt.datetime
    key_id: str
    action: str
    scenario_id: str | None
    run_id: str | None
    content_hash: str | None
    subject: str | None = Field(None, description="The key a key action (key.create, key.revoke) concerns.")
