"""Which court holds each case, and which debtor each case is against.

Most debtors have one case; 12 % of the cases belong to debtors with 2–30 related cases, which
sit at courts near each other — the situation cross-execution is for. The random draws, in order:
the holding courts; the related slots and their group sizes; where related cases move; the debtor
kinds (all debtors, then the repeat debtors again); the debtor home rolls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

DEBTOR_KINDS = ("person", "company", "state_owned", "government")


@dataclass(frozen=True)
class Debtors:
    """The debtors of n cases: `of[k]` is case k's debtor; per debtor, its `kind` (an index into
    DEBTOR_KINDS), `first_court` (holder index of its first case, near which it lives) and
    `home_roll` (a uniform draw that places its home)."""

    of: np.ndarray
    kind: np.ndarray
    first_court: np.ndarray
    home_roll: np.ndarray


def case_holders(courts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The courts cases sit at: basic courts, and intermediate courts when a high court can
    decide on them."""
    basic = [c for c in courts if c["level"] == "basic"]
    inter = [c for c in courts if c["level"] == "intermediate"]
    has_high = any(c["level"] == "high" for c in courts)
    return basic + (inter if has_high else [])


def draw_holding_courts(rng: np.random.Generator, holders: list[dict[str, Any]], n: int) -> np.ndarray:
    """The holder index of each of n cases, sorted: drawn in proportion to the open caseload, an
    intermediate court's at a quarter weight (it holds first-instance cases of large amounts)."""
    weight = np.array([c["open_caseload"] * (0.25 if c["level"] == "intermediate" else 1.0)
                       for c in holders])
    return np.sort(rng.choice(len(holders), size=n, p=weight / weight.sum()))


def draw_debtors(rng: np.random.Generator, holders: list[dict[str, Any]], court_idx: np.ndarray) -> Debtors:
    """The debtors of the cases; moves related cases in `court_idx` next to their group's first."""
    n = len(court_idx)
    debtor_of = np.full(n, -1)
    related_slots, anchor_slot, n_groups = _group_related_cases(rng, n, debtor_of)
    _move_related_cases(rng, holders, court_idx, related_slots, anchor_slot)
    singles = np.flatnonzero(debtor_of < 0)
    debtor_of[singles] = n_groups + np.arange(len(singles))
    n_debtors = n_groups + len(singles)
    kind = rng.choice(4, size=n_debtors, p=[0.5, 0.35, 0.1, 0.05])
    kind[:n_groups] = rng.choice(4, size=n_groups, p=[0.15, 0.55, 0.2, 0.1])  # repeat debtors: firms
    # a debtor's home is near the first court that holds one of its cases
    first_court = np.full(n_debtors, -1)
    order = np.arange(n)
    first_court[debtor_of[order[::-1]]] = court_idx[order[::-1]]
    return Debtors(of=debtor_of, kind=kind, first_court=first_court, home_roll=rng.random(n_debtors))


def _group_related_cases(rng: np.random.Generator, n: int,
                         debtor_of: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Draw 12 % of the case slots (a permutation) and cut them into groups of 2–30 (geometric
    sizes, one draw per group), one repeat debtor per group, numbered from 0 into `debtor_of`.
    Returns the related slots, each one's anchor (its group's first slot) and the group count."""
    n_related = int(n * 0.12)
    related_slots = rng.permutation(n)[:n_related]
    anchor_slot = np.empty(n_related, dtype=np.int64)
    i = 0
    d = 0
    while i < n_related:
        size = int(min(30, 2 + rng.geometric(0.25) - 1))
        debtor_of[related_slots[i:i + size]] = d
        anchor_slot[i:i + size] = related_slots[i]
        d += 1
        i += size
    return related_slots, anchor_slot, d


def _move_related_cases(rng: np.random.Generator, holders: list[dict[str, Any]], court_idx: np.ndarray,
                        related_slots: np.ndarray, anchor_slot: np.ndarray) -> None:
    """Move each related case (but its group's anchor) to a court near the anchor's: 70 % one in
    the same prefecture, 25 % one in the same province, 5 % any court. Draws a roll that picks the
    ring, then a uniform that picks the court in it, for every related slot."""
    n_related = len(related_slots)
    anchor_court = court_idx[anchor_slot]
    roll = rng.random(n_related)
    u = rng.random(n_related)
    new_court = anchor_court.copy()
    for digits, lo, hi in ((4, 0.0, 0.7), (2, 0.7, 0.95)):
        pkey = np.array([int(str(c["place"])[:digits]) for c in holders])
        order = np.argsort(pkey, kind="stable")
        sk = pkey[order]
        first = np.searchsorted(sk, pkey[anchor_court], side="left")
        count = np.searchsorted(sk, pkey[anchor_court], side="right") - first
        pick = order[first + (u * count).astype(np.int64)]
        sel = (roll >= lo) & (roll < hi)
        new_court[sel] = pick[sel]
    far_pick = (u * len(holders)).astype(np.int64)
    new_court[roll >= 0.95] = far_pick[roll >= 0.95]
    not_anchor = related_slots != anchor_slot
    court_idx[related_slots[not_anchor]] = new_court[not_anchor]
