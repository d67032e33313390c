"""Request and response models of the API (separate from the optimizer's own types). Request
models refuse unknown fields; numbers refuse NaN and infinities; `seed` refuses booleans."""

from __future__ import annotations

import datetime as dt
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from optimizer.data.scenario import Rules, Weights
from optimizer.law.vocabulary import RunStatus

T = TypeVar("T")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


class ChangesIn(_In):
    """A what-if for one run: weights and rule switches to override (only those given)."""

    weights: Weights = Field(default_factory=Weights, description="Weights to override.")
    rules: Rules = Field(default_factory=Rules, description="Rule switches to override.")

    def as_dict(self) -> dict[str, dict[str, Any]]:
        return {"weights": self.weights.model_dump(mode="json", exclude_unset=True),
                "rules": self.rules.model_dump(mode="json", exclude_unset=True)}


class RunIn(_In):
    time_limit: float | None = Field(None, gt=0, le=86_400, allow_inf_nan=False, description=(
        "Seconds; default and cap from the service settings."))
    gap: float = Field(1e-3, ge=0, lt=1, allow_inf_nan=False, description="Relative gap to stop at.")
    seed: StrictInt = Field(0, ge=0, le=2_147_483_647)
    version: StrictInt | None = Field(None, ge=1, le=2_147_483_647,
                                      description="Scenario version to plan; default the latest.")
    changes: ChangesIn = Field(default_factory=ChangesIn)
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


class PlanOut(BaseModel):
    run_id: str
    summary: PlanSummaryOut
    plan: dict[str, Any]


class CompareOut(BaseModel):
    """Two plans side by side: their summaries, KPI differences (b − a) and the cases they
    treat differently."""

    a: str
    b: str
    summary_a: PlanSummaryOut
    summary_b: PlanSummaryOut
    objective_change: float | None
    kpi_changes: dict[str, float]
    cases_changed: int = Field(description="Cases with another mode or court in b than in a.")
    changed_case_ids: list[str] = Field(description="The first 100 of them.")


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
