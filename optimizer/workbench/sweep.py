"""`sweep`: a grid of what-if variants of one scenario, solved in parallel processes.

Each axis varies one thing: the officers added to one court (`officers:C1=0,2,4`), an
objective weight (`weight:applicant_travel=1,2`) or a rule (`rule:max_utilisation=1.2,none`).
The grid is every combination; each variant is `Problem.replace` of the compiled scenario
(travel times shared) planned by `optimizer.pipeline.plan_problem` in parallel processes, in
two waves: the first variant of each group (variants differing only in the first axis), then
the others, each warm-started from its group's first plan (its cuts, LP basis and officers).
Each worker process compiles the scenario once.
The result is a table (status, objective, bound, gap and the KPIs per
variant) and, on request, a chart of one KPI against the first axis.
"""

from __future__ import annotations

import io
import itertools
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from optimizer.data.problem import Problem
from optimizer.data.read import read_scenario
from optimizer.law.errors import UserError
from optimizer.pipeline import Changes, plan_problem
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams
from optimizer.workbench.compare import flat_kpis

KINDS = ("officers", "weight", "rule")


@dataclass(frozen=True)
class Axis:
    kind: str  # officers | weight | rule
    name: str  # court id, weight name or rule name
    values: tuple[Any, ...]

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.name}"


def _value(kind: str, text: str) -> Any:
    text = text.strip()
    if kind == "officers":
        try:
            return int(text)
        except ValueError:
            raise UserError(f"--vary officers: {text!r} is not a whole number of officers") from None
    if text.lower() in ("none", "null"):
        return None
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    try:
        return float(text)
    except ValueError:
        return text


def parse_axis(text: str) -> Axis:
    """`KIND:NAME=V1,V2,…` → an `Axis` (values checked against the scenario later)."""
    head, sep, values = text.partition("=")
    kind, colon, name = head.partition(":")
    if not (sep and colon and name and values) or kind not in KINDS:
        raise UserError(f"--vary expects officers:COURT=…, weight:NAME=… or rule:NAME=…, "
                         f"got {text!r}")
    vals = tuple(_value(kind, v) for v in values.split(","))
    return Axis(kind, name, vals)


def variant(p: Problem, settings: dict[str, Any]) -> Problem:
    """The problem under one grid point: {"officers:C1": 2, "weight:x": 1.5, "rule:y": None}."""
    weights = {k.split(":", 1)[1]: v for k, v in settings.items() if k.startswith("weight:")}
    rules = {k.split(":", 1)[1]: v for k, v in settings.items() if k.startswith("rule:")}
    changes = Changes(weights=weights, rules=rules)
    officers = p.officers.copy()
    for key, add in settings.items():
        if key.startswith("officers:"):
            court = key.split(":", 1)[1]
            if court not in p.court_ids:
                raise UserError(f"--vary {key}: court '{court}' is not in the scenario")
            j = p.court_ids.index(court)
            if officers[j] + add < 0:
                raise UserError(f"--vary {key}: {add} would leave {court} with fewer than 0 officers")
            officers[j] += add
    changes.check(p)
    q = changes.apply(p)
    return q.replace(officers=officers) if np.any(officers != p.officers) else q


def grid(axes: list[Axis]) -> list[dict[str, Any]]:
    """Every combination of the axes' values, the first axis varying slowest."""
    return [dict(zip([a.label for a in axes], combo, strict=True))
            for combo in itertools.product(*[a.values for a in axes])]


_PROBLEM: Problem | None = None  # the compiled scenario of this worker process


def _init(source: Problem | str) -> None:
    global _PROBLEM
    _PROBLEM = source if isinstance(source, Problem) else Problem.from_scenario(read_scenario(source))


def _solve(settings: dict[str, Any], params: SolveParams,
           base: Plan | None = None) -> tuple[dict[str, Any], Plan, float]:
    assert _PROBLEM is not None, "worker not initialised"
    t0 = time.perf_counter()
    plan = plan_problem(variant(_PROBLEM, settings), None, params, warm_start=base)
    return settings, plan, time.perf_counter() - t0


def _waves(points: list[dict[str, Any]]) -> tuple[list[int], list[int]]:
    """(the first point of each group, the base each point starts from): a group is the points
    that differ only in the first axis; each starts from its group's first point."""
    first: dict[tuple[Any, ...], int] = {}
    base = []
    for k, s in enumerate(points):
        group = tuple(list(s.items())[1:])
        base.append(first.setdefault(group, k))
    return list(first.values()), base


def solve_grid(source: Problem | str | Path, points: list[dict[str, Any]], params: SolveParams,
               workers: int = 1, done: Callable[[int, int], None] | None = None,
               warm: bool = True) -> list[tuple[dict[str, Any], Plan, float]]:
    """Plan every grid point: (settings, plan, seconds), in grid order. `source` is a compiled
    problem or a scenario path (each worker then reads and compiles it once). Every point's
    settings are checked in this process first, so a bad axis fails before any solve.

    Two waves: the first point of each group (points differing only in the first axis) keeps
    its warm start (cuts, LP basis, officers; `solver/warm.py`), workers left idle meanwhile
    take other points cold; the rest then start where their group's first point ended — the
    same plans' quality, in less time. `warm=False`: one
    wave, every point cold (to measure the difference)."""
    src: Problem | str = source if isinstance(source, Problem) else str(source)
    check = src if isinstance(src, Problem) else Problem.from_scenario(read_scenario(src))
    for s in points:
        variant(check, s)
    heads, base_of = _waves(points) if warm else (list(range(len(points))), [])
    out: dict[int, tuple[dict[str, Any], Plan, float]] = {}
    starts: dict[int, Plan] = {}

    def collect(k: int, result: tuple[dict[str, Any], Plan, float]) -> None:
        settings, plan, seconds = result
        if plan.warm_starts:  # (only its warm start is read: sent to the workers, not the cases)
            starts[k] = replace(plan, cases=(), courts=())
        out[k] = (settings, replace(plan, warm_starts={}), seconds)
        if done:
            done(len(out), len(points))

    keep = replace(params, keep_warm_start=warm)
    rest = [k for k in range(len(points)) if k not in set(heads)]
    # workers the first wave leaves idle take other points at once, cold
    idle = rest[:max(min(workers, len(points)) - len(heads), 0)] if workers > 1 else []
    later = rest[len(idle):]
    if workers <= 1 or len(points) <= 1:
        _init(check)
        for k in heads:
            collect(k, _solve(points[k], keep))
        for k in later:
            collect(k, _solve(points[k], params, starts.get(base_of[k])))
        return [out[k] for k in range(len(points))]
    # a compiled problem is sent to each worker once; a path is read by each worker
    with ProcessPoolExecutor(max_workers=min(workers, len(points)), initializer=_init,
                             initargs=(src,)) as pool:
        first = [(k, pool.submit(_solve, points[k], keep)) for k in heads]
        first += [(k, pool.submit(_solve, points[k], params)) for k in idle]
        for k, f in first:
            collect(k, f.result())
        for k, f in [(k, pool.submit(_solve, points[k], params, starts.get(base_of[k])))
                     for k in later]:
            collect(k, f.result())
    return [out[k] for k in range(len(points))]


def sweep(source: Problem | str | Path, axes: list[Axis], params: SolveParams | None = None,
          workers: int = 1, done: Callable[[int, int], None] | None = None,
          warm: bool = True) -> list[dict[str, Any]]:
    """The table of a sweep: one row per variant, with its settings, status, objective, bound,
    gap, seconds and every KPI (nested ones as "a.b")."""
    params = params or SolveParams()
    rows = []
    for k, (settings, plan, seconds) in enumerate(solve_grid(source, grid(axes), params, workers, done, warm)):
        kpis = {f"kpi.{key}": v for key, v in flat_kpis(plan.kpis).items()
                if isinstance(v, int | float)}
        rows.append({"variant": k, **settings, "status": plan.status, "objective": plan.objective,
                     "bound": plan.bound, "gap": plan.gap, "seconds": round(seconds, 2), **kpis})
    return rows


def chart_svg(rows: list[dict[str, Any]], axes: list[Axis], kpi: str = "objective") -> str:
    """SVG (text kept as text) of `kpi` against the first axis, one line per combination of
    the other axes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    name = kpi.removeprefix("kpi.")  # the table's column name or the KPI's own
    key = name if name in ("objective", "bound", "gap", "seconds") else f"kpi.{name}"
    if rows and key not in rows[0]:
        known = ", ".join(k.removeprefix("kpi.") for k in rows[0] if k.startswith("kpi."))
        raise UserError(f"--kpi {kpi!r} is not a column of the sweep; known: objective, bound, "
                         f"gap, seconds, {known}")
    x_axis, others = axes[0], axes[1:]
    buf = io.StringIO()
    # CJK glyphs are missing from the layout font: the SVG keeps them as text all the same
    with matplotlib.rc_context({"svg.fonttype": "none"}), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig, ax = plt.subplots(figsize=(7, 4))
        for combo in itertools.product(*[a.values for a in others]):
            fixed = dict(zip([a.label for a in others], combo, strict=True))
            pts = [(r[x_axis.label], r[key]) for r in rows
                   if all(r[k] == v for k, v in fixed.items()) and r[x_axis.label] is not None]
            label = ", ".join(f"{k}={v}" for k, v in fixed.items()) or kpi
            ax.plot([x for x, _ in pts], np.asarray([y for _, y in pts], dtype=float), "o-",
                    label=label)
        ax.set_xlabel(x_axis.label)
        ax.set_ylabel(kpi)
        ax.set_title(f"扫描 sweep: {kpi} vs {x_axis.label}")
        ax.legend(fontsize="small")
        fig.tight_layout()
        fig.savefig(buf, format="svg")
    plt.close(fig)
    return buf.getvalue()
