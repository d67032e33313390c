"""What the candidate functions of every mode share: the case's triggers after the home-locality
adjustment, who may decide, which courts can borrow, and the home-locality rule itself."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.law.modes import HARD_TRIGGERS, Trigger

_HARD = int(HARD_TRIGGERS)


def in_home_locality(p: Problem, case: NDArray[np.int64], court: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Does `court` sit in the home locality of the case's debtor (county or prefecture by
    `interference_scope`, the whole prefecture or province for a debtor registered there)?"""
    scope = 6 if p.rules.interference_scope == "county" else 4
    return p.tree.in_home_locality(p.case_debtor_place[case], p.court_place[court], scope)


def top_k(key: NDArray[np.int64], cost: NDArray[np.float64], k: int) -> NDArray[np.bool_]:
    """Mask keeping the k cheapest rows of each key."""
    order = np.lexsort((cost, key))
    sk = key[order]
    first = np.r_[0, np.flatnonzero(np.diff(sk)) + 1]
    run_start = np.repeat(first, np.diff(np.r_[first, len(sk)]))
    rank = np.arange(len(sk)) - run_start
    keep = np.zeros(len(key), dtype=bool)
    keep[order[rank < k]] = True
    return keep


@dataclass(frozen=True)
class Context:
    """What every candidate function reads: the case's triggers after the home-locality
    adjustment, who may decide, and which courts can borrow officers."""

    p: Problem
    trig: NDArray[np.int64]
    interference: NDArray[np.bool_]  # flagged 不当干预 (wherever the case sits now)
    movable: NDArray[np.bool_]  # inside the district, not a 终本 candidate nor suspended
    must_move: NDArray[np.bool_]  # a hard trigger forces a change of court
    decider: NDArray[np.int64]  # the court one level up, or −1
    decider_ok: NDArray[np.bool_]  # movable with a decider inside the district
    can_borrow: NDArray[np.bool_]  # per court: some lender may lend to it

    def has(self, t: Trigger | int) -> NDArray[np.bool_]:
        return (self.trig & int(t)) != 0


def build_context(p: Problem, lend_to: NDArray[np.int64]) -> Context:
    c0 = p.case_court
    trig = p.triggers
    movable = p.in_district[c0] & ~p.not_planned
    decider = p.court_parent[c0]
    decider_ok = movable & (decider >= 0) & p.in_district[np.maximum(decider, 0)]
    # an interference case already outside its home locality has nothing to leave (it may
    # stay), but wherever it moves, it may not go back there (see `_lawful`)
    home = in_home_locality(p, np.arange(p.n_cases), c0)
    interf = (trig & int(Trigger.INTERFERENCE)) != 0
    trig = np.where(interf & ~home, trig & ~int(Trigger.INTERFERENCE), trig)
    can_borrow = np.zeros(p.n_courts, dtype=bool)
    can_borrow[lend_to] = True
    return Context(p, trig, interf & movable, movable, movable & ((trig & _HARD) != 0), decider,
                    decider_ok, can_borrow)
