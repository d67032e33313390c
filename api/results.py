"""Plans as the API shows them: summaries and JSON-safe numbers (NaN and infinities become
null). Comparing two plans is the workbench's (`api/workbench.py`)."""

from __future__ import annotations

import math
from typing import Any

from api.schemas import PlanSummaryOut
from optimizer.results.plan import Plan


def finite(x: Any) -> Any:
    """`x` with every NaN or infinite float replaced by None (JSON has neither)."""
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, dict):
        return {k: finite(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [finite(v) for v in x]
    return x


def summary_of(plan: Plan) -> PlanSummaryOut:
    return PlanSummaryOut(
        status=plan.status, objective=finite(plan.objective), bound=finite(plan.bound),
        gap=finite(plan.gap), method=plan.method,
        cases_per_mode=plan.kpis.get("cases_per_mode", {}), kpis=finite(plan.kpis))
