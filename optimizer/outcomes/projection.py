"""What a plan does over time: the backlog projection of every district court with the plan and
without it, their difference, and a band (docs/outcomes.md).

A projection, not a forecast: the rates are the court's own last months or published defaults,
the assumptions are listed with it (`ASSUMPTIONS`), and the figure to read is **plan minus no
plan** — the baseline itself has no intrinsic value (the stance of the MoJ ready-reckoner).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from optimizer.data.outcome_defaults import DEFAULTS, SOURCES, Defaults
from optimizer.data.problem import Problem
from optimizer.law.errors import UserError
from optimizer.law.vocabulary import PROJECTION_LABELS
from optimizer.outcomes.calibrate import Calibration, calibrate, with_plan
from optimizer.outcomes.model import OUTCOMES, Run, indicators, run
from optimizer.results.plan import Plan

MAX_MONTHS = 60
#: what the projection assumes, printed with it
ASSUMPTIONS = (
    "预测而非预报：按各院近12个月数据或公开数据的默认值推算，结果以“有方案减无方案”的差值为准 "
    "a projection, not a forecast: read the difference plan − no plan",
    "无历史数据的法院视为按默认值处于稳态（无方案时案件量持平）a court without history is taken to be "
    "in the defaults' steady state (flat without a plan)",
    "收案按近12个月月均、不计季节 filings at last year's monthly mean, no seasonality",
    "工作量单位按件计 an open caseload's workload units are counted as cases",
    "交叉执行案件保持原立案日期（案龄）与结案速率 moved cases keep their age and their exit rates",
    "借调人员按借出法院人均结案能力×0.7计入借入法院，仅限规划期内 lent officers add 0.7 of the "
    "lender's per-officer capacity where they go, for the planning period",
    "执转破：移送时离开在办案件，30日后约20%不予受理而恢复执行 执转破 groups leave at the plan "
    "date; about 20 % come back after the 30 days",
    "超六个月指有财产案件案龄满六个月（未扣除第237条不计入期间）the six-month pool counts cases with "
    "property aged six months or more (a proxy: excluded periods are not netted)",
)


def kpi_label(key: str) -> str:
    """'pending_12m' → '未结案件 pending · 12个月后 after 12 months' (the plan's projected KPIs)."""
    what, _, months = key.rpartition("_")
    label = PROJECTION_LABELS[what].both() if what in PROJECTION_LABELS else what
    return f"{label} · {months[:-1]}个月后 after {months[:-1]} months"


@dataclass(frozen=True)
class Projection:
    """Plan and no plan for the district courts (rows), with the band of each."""

    court_ids: tuple[str, ...]
    court_names: tuple[str, ...]
    months: int
    plan: Run
    none: Run
    plan_low: Run  # exit rates (1 + band): fewer pending
    plan_high: Run  # exit rates (1 − band)
    none_low: Run
    none_high: Run
    from_history: NDArray[np.bool_]
    suspended_cases: int

    def at(self, month: int) -> int:
        return min(max(month, 0), self.months)

    def kpis(self) -> dict[str, Any]:
        """The plan's projected figures (district totals): pending and the six-month pool at 6
        and 12 months (or the horizon), plan and no plan."""
        out: dict[str, Any] = {"months": self.months}
        for m in sorted({6, 12, self.months} & set(range(1, self.months + 1))):
            for what in ("pending", "pool6"):
                plan = float(getattr(self.plan, what)[:, m].sum())
                none = float(getattr(self.none, what)[:, m].sum())
                out[f"{what}_{m}m"] = {"plan": round(plan), "none": round(none),
                                       "difference": round(plan - none)}
        return out


def project(p: Problem, plan: Plan | None, months: int = 12, d: Defaults = DEFAULTS,
            calibration: Calibration | None = None,
            officers: NDArray[np.int64] | None = None) -> Projection:
    """The projection of `p`'s district courts for `months` months under `plan` (None: the
    plan is empty, and plan equals no plan). `p` may be a what-if's problem: `officers` are then
    the status quo's (the scenario's), and the change of officers counts as part of the plan."""
    if not 1 <= months <= MAX_MONTHS:
        raise UserError(f"months: {months} is outside 1–{MAX_MONTHS}")
    c = calibration or calibrate(p, months, d, officers)
    planned = with_plan(c, p, plan, d) if plan is not None else c.inputs
    runs = [run(inp, scale) for inp in (planned, c.inputs)
            for scale in (1.0, 1 + c.band, 1 - c.band)]
    names = tuple(p.scenario.courts[j].name for j in c.courts.tolist())
    return Projection(tuple(p.court_ids[j] for j in c.courts.tolist()), names, months,
                      runs[0], runs[3], runs[1], runs[2], runs[4], runs[5], c.from_history,
                      int(planned.suspended.sum()))


def _series(r: Run, rows: int | slice) -> dict[str, list[float]]:
    def sums(a: NDArray[np.float64]) -> list[float]:
        x = a[rows].sum(axis=0) if isinstance(rows, slice) else a[rows]
        return np.round(x, 1).tolist()

    out = {"pending": sums(r.pending), "pool6": sums(r.pool6), "filings": sums(r.filings),
           "restorations": sums(r.restorations), "zhongben_stock": sums(r.zhongben_stock)}
    for k, name in enumerate(OUTCOMES):
        out[f"exits_{name}"] = sums(r.exits[:, k, :])
    return out


def _block(pr: Projection, rows: int | slice) -> dict[str, Any]:
    """One court (an index) or the district (a slice): series and indicators, plan, no plan,
    difference, and the band of the pending cases."""
    plan, none = _series(pr.plan, rows), _series(pr.none, rows)
    out: dict[str, Any] = {"plan": plan, "none": none,
                           "difference": {k: np.round(np.subtract(plan[k], none[k]), 1).tolist()
                                          for k in plan}}
    for key, runs in (("plan_band", (pr.plan_low, pr.plan_high)),
                      ("none_band", (pr.none_low, pr.none_high))):
        out[key] = {"low": _series(runs[0], rows)["pending"],
                    "high": _series(runs[1], rows)["pending"]}
    ind_plan, ind_none = indicators(pr.plan, rows), indicators(pr.none, rows)
    out["indicators"] = {k: {"plan": _num(ind_plan[k]), "none": _num(ind_none[k]),
                             "difference": _num(ind_plan[k] - ind_none[k])} for k in ind_plan}
    return out


def _num(x: Any) -> float | None:
    v = float(np.asarray(x))
    return round(v, 3) + 0.0 if np.isfinite(v) else None  # (+ 0.0: no "-0.0")


def to_dict(pr: Projection) -> dict[str, Any]:
    """The projection as JSON-ready data: the district, then each court."""
    courts = [{"court_id": cid, "name": name, "from_history": bool(h), **_block(pr, i)}
              for i, (cid, name, h) in enumerate(zip(pr.court_ids, pr.court_names,
                                                      pr.from_history.tolist(), strict=True))]
    return {"kind": "projection 预测（非预报）", "months": pr.months,
            "suspended_cases": pr.suspended_cases, "kpis": pr.kpis(),
            "assumptions": list(ASSUMPTIONS),
            "defaults": {k: {"value": s.value, "source": s.source} for k, s in SOURCES.items()},
            "district": _block(pr, slice(None)), "courts": courts}
