"""Peers measured on the same options, costs and rules as the planner.

- `cpsat`: the plain formulation from the OR-Tools tutorial: one boolean per case × candidate,
  every row of the model as a linear constraint (scaled to integers), 2 workers, no hints;
- `highs`: HiGHS branch and cut on the same model, no warm start;
- `greedy`: what a planner does by hand: cases that must move go to the nearest lawful court
  with room; other cases take their cheapest lawful option if its court has room; no lending.
Every answer is scored by the planner's own evaluator (`optimizer.results.evaluate`).
"""

from __future__ import annotations

import itertools
import math
import time
from typing import Any

import numpy as np

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode
from optimizer.model.decision import Decision
from optimizer.model.options import Options, build_options
from optimizer.model.pieces import court_components, find_pieces
from optimizer.model.rows import Model, build_model
from optimizer.results.evaluate import evaluate
from optimizer.solver import highs
from optimizer.solver.baseline import baseline_decision, free_cases
from optimizer.solver.params import SolveParams

_COST_SCALE = 100.0
_ROW_SCALE = 10.0


def _cpsat(m: Model, time_limit: float, seed: int) -> tuple[np.ndarray | None, float]:
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    xs = []
    for j in range(m.n_cols):
        ub = m.upper[j]
        if m.integer[j]:
            xs.append(model.new_int_var(0, int(ub), f"v{j}"))
        else:  # band columns: load in tenths of a workload unit
            hi = int(ub * _ROW_SCALE) if math.isfinite(ub) else 10**9
            xs.append(model.new_int_var(0, hi, f"s{j}"))
    scale_col = np.where(m.integer, 1.0, 1.0 / _ROW_SCALE)  # value of one integer step
    cols = np.repeat(np.arange(m.n_cols), np.diff(m.a_start))
    order = np.argsort(m.a_index, kind="stable")
    rows, cs, vs = m.a_index[order], cols[order], m.a_value[order]
    bounds = np.searchsorted(rows, np.arange(m.n_rows + 1))
    for r in range(m.n_rows):
        sl = slice(bounds[r], bounds[r + 1])
        coef = np.round(vs[sl] * scale_col[cs[sl]] * _ROW_SCALE).astype(np.int64)
        expr = cp_model.LinearExpr.weighted_sum([xs[c] for c in cs[sl]], coef.tolist())
        lo, hi = m.row_lower[r], m.row_upper[r]
        if math.isfinite(hi):
            model.add(expr <= math.floor(hi * _ROW_SCALE + 1e-6))
        if math.isfinite(lo):
            model.add(expr >= math.ceil(lo * _ROW_SCALE - 1e-6))
    obj = np.round(m.cost * scale_col * _COST_SCALE).astype(np.int64)
    model.minimize(cp_model.LinearExpr.weighted_sum(xs, obj.tolist()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = seed
    st = solver.solve(model)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, -math.inf
    vals = np.array([solver.value(x) for x in xs], dtype=np.float64) * scale_col
    return vals, solver.best_objective_bound / _COST_SCALE


def _decision(p: Problem, o: Options, models: list[Model], values: list[np.ndarray | None]) -> Decision:
    base = baseline_decision(p, o)
    option, group_target, lent = base.option.copy(), base.group_target.copy(), base.lent.copy()
    for m, v in zip(models, values, strict=True):
        if v is None:
            continue
        v = np.round(v)
        pc, lay = m.piece, m.layout
        option[pc.cases] = -1
        on = np.flatnonzero(v[lay.x] > 0.5)
        option[o.case[pc.options[on]]] = pc.options[on]
        group_target[o.target_group[pc.targets]] = -1
        y_on = np.flatnonzero(v[lay.y] > 0.5)
        group_target[o.target_group[pc.targets[y_on]]] = pc.targets[y_on]
        lent[pc.lends] = v[lay.z].astype(np.int64)
    return Decision(option, group_target, lent)


def _greedy(p: Problem, o: Options) -> Decision:
    base = baseline_decision(p, o)
    option = base.option.copy()
    cost = o.cost  # a computed property: take it once
    load = p.open_caseload.copy()
    room = p.scenario.rules.target_utilisation * p.capacity
    keep_cost = np.full(p.n_cases, np.inf)
    k = o.mode == Mode.KEEP
    keep_cost[o.case[k]] = cost[k]
    travel = p.travel[p.case_applicant_place[o.case], p.court_place[o.court]]
    must = ~np.isfinite(keep_cost)
    # cases that must move first, then by what acting would save
    best_save = np.zeros(p.n_cases)
    np.minimum.at(best_save, o.case, np.where(np.isfinite(keep_cost[o.case]),
                                              cost - keep_cost[o.case], 0.0))
    order = np.lexsort((best_save, ~must))
    by_case = np.argsort(o.case, kind="stable")
    starts = np.searchsorted(o.case[by_case], np.arange(p.n_cases + 1))
    w = p.case_workload
    for i in order:
        rows = by_case[starts[i]:starts[i + 1]]
        if not len(rows):
            continue
        key = travel[rows] if must[i] else cost[rows]
        fit = [r for r in rows[np.argsort(key, kind="stable")]
               if o.court[r] == p.case_court[i] or load[o.court[r]] + w[i] <= room[o.court[r]]]
        pick = fit[0] if fit else rows[np.argmin(key)]
        if pick != option[i]:
            load[p.case_court[i]] -= w[i]
            load[o.court[pick]] += w[i]
            option[i] = pick
    return Decision(option, base.group_target, base.lent)


def _whole_components(p: Problem, o: Options) -> np.ndarray:
    """Components with debtor groups spanning them merged: peers solve the exact problem."""
    import networkx as nx

    comp, linking = court_components(p, o, free_cases(p, o), SolveParams().max_piece_cases)
    g = nx.Graph()
    g.add_nodes_from(range(int(comp.max()) + 1))
    for grp in linking.tolist():
        t = np.flatnonzero(o.target_group == grp)
        courts = np.r_[o.target_court[t], p.case_court[o.member_case[np.isin(o.member_target, t)]]]
        parts = np.unique(comp[courts]).tolist()
        g.add_edges_from(itertools.pairwise(parts))
    label = np.empty(int(comp.max()) + 1, dtype=np.int64)
    for k, nodes in enumerate(nx.connected_components(g)):
        label[list(nodes)] = k
    return label[comp]


def run_peer(p: Problem, peer: str, time_limit: float, seed: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    o = build_options(p)
    free = free_cases(p, o)
    pieces = find_pieces(p, o, free, _whole_components(p, o))
    models = [build_model(p, o, pc) for pc in pieces]
    t_build = time.perf_counter() - t0
    total_cols = max(sum(m.n_cols for m in models), 1)
    values: list[np.ndarray | None] = []
    bound_sum = 0.0
    status = "feasible"
    if peer == "greedy":
        d = _greedy(p, o)
        bound_sum = -math.inf
    else:
        for m in models:
            share = max(time_limit * m.n_cols / total_cols, 0.5)
            if peer == "cpsat":
                v, b = _cpsat(m, share, seed)
            elif peer == "highs":
                res = highs.run(m, True, share, 1e-3, seed)
                v, b = res.values, res.bound
            else:
                raise ValueError(f"unknown peer {peer!r}")
            values.append(v)
            bound_sum += b
        d = _decision(p, o, models, values)
        if any(v is None for v in values):
            status = "no solution in some pieces (baseline kept there)"
    ev = evaluate(p, o, d)
    # (the peers' own bounds cover the free part only, so they are not reported next to ours)
    del bound_sum
    return {"objective": ev.objective, "build_s": round(t_build, 2),
            "solve_s": round(time.perf_counter() - t0 - t_build, 2), "status": status}
