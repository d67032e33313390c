"""Request and response schemas of the API (separate from the optimizer's own types)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ProblemOut(BaseModel):
    path: str
    record: str | None
    message: str


class ValidationOut(BaseModel):
    valid: bool
    problems: list[ProblemOut] = []
    courts: int = 0
    cases: int = 0


class ScenarioInfo(BaseModel):
    id: str
    name: str
    dispatcher: str
    courts: int
    cases: int
    has_plan: bool


class SolveIn(BaseModel):
    time_limit: float | None = Field(None, gt=0, description="Seconds; default from settings.")
    gap: float = Field(1e-3, ge=0, lt=1)
    seed: int = Field(0, ge=0)
    weights: dict[str, float | list[float]] = Field(
        default_factory=dict, description="Objective weights to override for this run."
    )


class PlanSummaryOut(BaseModel):
    status: str
    objective: float
    bound: float
    gap: float | None
    method: str
    cases_per_mode: dict[str, int]
    kpis: dict[str, Any]


class PlanOut(BaseModel):
    summary: PlanSummaryOut
    plan: dict[str, Any]
