"""Objective of a complete decision, computed from the decision itself (not from the solver)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.model.costs import CASE_TERMS, TERMS, band_penalty
from optimizer.model.decision import Decision, assign
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


def evaluate(p: Problem, o: Options, d: Decision) -> Evaluation:
    a = assign(p, o, d)
    court = a.court
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
        mode=a.mode, court=court, decider=a.decider, case_terms=a.case_terms, entrusted=a.entrusted,
        load_before=load_before, load_after=load_after, staff_after=staff,
        lent_out=lent_out, borrowed=borrowed, load_penalty=penalty,
        lending_cost=float(np.dot(d.lent, o.lend_cost)) if len(d.lent) else 0.0,
    )
