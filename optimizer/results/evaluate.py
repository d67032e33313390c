"""Objective of a complete decision, computed from the decision itself (not from the solver)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import Mode
from optimizer.model.costs import CASE_TERMS, TERMS
from optimizer.model.decision import Decision
from optimizer.model.options import Options


@dataclass(frozen=True)
class Evaluation:
    mode: NDArray[np.int64]
    court: NDArray[np.int64]
    decider: NDArray[np.int64]  # court deciding each case's mode (−1 for keep)
    case_terms: NDArray[np.float64]  # (cases, CASE_TERMS)
    entrusted: NDArray[np.bool_]  # per asset
    load_before: NDArray[np.float64]
    load_after: NDArray[np.float64]
    staff_after: NDArray[np.int64]
    lent_out: NDArray[np.int64]
    borrowed: NDArray[np.int64]
    load_penalty: NDArray[np.float64]  # per court
    lending_cost: float

    @property
    def terms(self) -> dict[str, float]:
        out = dict(zip(CASE_TERMS, self.case_terms.sum(axis=0).tolist(), strict=True))
        out["load"] = float(self.load_penalty.sum())
        out["staff_lending"] = self.lending_cost
        return {k: out[k] for k in TERMS}

    @property
    def objective(self) -> float:
        return float(sum(self.terms.values()))


def band_penalty(p: Problem, courts: NDArray[np.int64], excess: NDArray[np.float64]) -> NDArray[np.float64]:
    """Convex piecewise-linear penalty of load above the target, per court."""
    r, w = p.rules, p.weights
    slopes = np.asarray(w.load_slopes, dtype=np.float64)
    width = r.load_band_width * p.capacity[courts]
    out = np.zeros(len(courts))
    rest = np.maximum(excess, 0.0)
    for b, slope in enumerate(slopes):
        part = rest if b == len(slopes) - 1 else np.minimum(rest, width)
        out += slope * part
        rest = rest - part
    return out


def evaluate(p: Problem, o: Options, d: Decision) -> Evaluation:
    n = p.n_cases
    mode = np.full(n, int(Mode.KEEP), dtype=np.int64)
    court = p.case_court.copy()
    decider = np.full(n, -1, dtype=np.int64)
    terms = np.zeros((n, len(CASE_TERMS)))
    entrusted = np.zeros(len(p.asset_case), dtype=bool)
    ind = np.flatnonzero(d.option >= 0)
    rows = d.option[ind]
    mode[ind] = o.mode[rows]
    court[ind] = o.court[rows]
    decider[ind] = o.decider[rows]
    terms[ind] = o.terms[rows]
    chosen = np.zeros(len(o.case), dtype=bool)
    chosen[rows] = True
    sel = chosen[o.assets.pair_option] & o.assets.entrusted
    entrusted[o.assets.pair_asset[sel]] = True
    # concentrated groups
    member_on = np.zeros(len(o.member_case), dtype=bool)
    on_targets = d.group_target[d.group_target >= 0]
    if len(on_targets):
        t_on = np.zeros(len(o.target_group), dtype=bool)
        t_on[on_targets] = True
        member_on = t_on[o.member_target]
        mc = o.member_case[member_on]
        mode[mc] = int(Mode.CONCENTRATE)
        court[mc] = o.target_court[o.member_target[member_on]]
        decider[mc] = o.target_decider[o.member_target[member_on]]
        terms[mc] = o.member_terms[member_on]
        sel = member_on[o.member_assets.pair_option] & o.member_assets.entrusted
        entrusted[o.member_assets.pair_asset[sel]] = True

    w = p.case_workload
    load_before = p.open_caseload.copy()
    load_after = (load_before - np.bincount(p.case_court, weights=w, minlength=p.n_courts)
                  + np.bincount(court, weights=w, minlength=p.n_courts))
    lent_out = np.bincount(o.lend_from, weights=d.lent, minlength=p.n_courts).astype(np.int64)
    borrowed = np.bincount(o.lend_to, weights=d.lent, minlength=p.n_courts).astype(np.int64)
    staff = p.officers - lent_out + borrowed
    tau = p.rules.target_utilisation
    excess = load_after - tau * p.cases_per_officer * staff
    courts = np.arange(p.n_courts)
    penalty = np.where(p.in_district, band_penalty(p, courts, excess), 0.0)
    return Evaluation(
        mode=mode, court=court, decider=decider, case_terms=terms, entrusted=entrusted,
        load_before=load_before, load_after=load_after, staff_after=staff,
        lent_out=lent_out, borrowed=borrowed, load_penalty=penalty,
        lending_cost=float(np.dot(d.lent, o.lend_cost)) if len(d.lent) else 0.0,
    )
