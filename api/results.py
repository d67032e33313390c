"""Plans as the API shows them: summaries, JSON-safe numbers (NaN and infinities become null),
and the comparison of two plans."""

from __future__ import annotations

import math
from typing import Any

from api.schemas import CompareOut, PlanSummaryOut
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


def _numbers(kpis: dict[str, Any], prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in kpis.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) and math.isfinite(value):
            out[prefix + key] = float(value)
        elif isinstance(value, dict):
            out.update(_numbers(value, f"{prefix}{key}."))
    return out


def compare(a_id: str, a: Plan, b_id: str, b: Plan) -> CompareOut:
    ka, kb = _numbers(a.kpis), _numbers(b.kpis)
    where_a = {c.case_id: (c.mode, c.court_id) for c in a.cases}
    changed = [c.case_id for c in b.cases if where_a.get(c.case_id) != (c.mode, c.court_id)]
    objective = b.objective - a.objective
    return CompareOut(
        a=a_id, b=b_id, summary_a=summary_of(a), summary_b=summary_of(b),
        objective_change=objective if math.isfinite(objective) else None,
        kpi_changes={k: kb[k] - ka[k] for k in sorted(ka.keys() & kb.keys()) if kb[k] != ka[k]},
        cases_changed=len(changed), changed_case_ids=changed[:100])
