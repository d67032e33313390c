"""A planner's restrictions as arrays per case, court and pair: pins, cases that must not move,
forbidden courts, barred courts, concentration orders, fixed staff loans, and the previous
plan (for the stability cost). `build_options(p, r)` filters the option rows and group targets
with them; `build_model` fixes the loans as bounds on the z columns; the rule gate checks them
from the decision.

Made from a `ChangeSet` (`restrictions_from`); which change each entry came from is kept, so a
message can name it (`changes.pins[2]`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from optimizer.data.case_columns import case_columns
from optimizer.data.changes import ChangeSet, court_mask
from optimizer.data.problem import Problem
from optimizer.law.modes import MODE_BY_KEY, Mode, Trigger

if TYPE_CHECKING:
    from optimizer.model.options import Options

_NONE = -1


@dataclass(frozen=True)
class Restrictions:
    """Per case: pinned mode and court (−1: free), must not move; per court: barred from
    receiving / executing; per debtor: must / never concentrate; forbidden (case, court)
    pairs; fixed loans; the previous plan's mode and court per case (−1: none)."""

    pin_mode: NDArray[np.int64]
    pin_court: NDArray[np.int64]
    keep: NDArray[np.bool_]
    forbid_case: NDArray[np.int64]
    forbid_court: NDArray[np.int64]
    bar_receiving: NDArray[np.bool_]
    bar_executing: NDArray[np.bool_]
    concentrate: NDArray[np.bool_]  # per debtor index
    never_concentrate: NDArray[np.bool_]  # per debtor index
    loan_from: NDArray[np.int64]
    loan_to: NDArray[np.int64]
    loan_officers: NDArray[np.int64]
    prev_mode: NDArray[np.int64]
    prev_court: NDArray[np.int64]
    source: dict[tuple[str, int], str] = field(default_factory=dict)  # (kind, index) → change
    prev_lent: dict[tuple[int, int], int] = field(default_factory=dict)  # (from, to) → officers
    #: the previous plan costs `weights.stability` per changed case (`--previous`), or is only
    #: a warm start of the solver (`--warm-start`: nothing pinned, nothing charged)
    charge_stability: bool = True

    def allows(self, p: Problem, case: NDArray[np.int64], mode: NDArray[np.int64],
               court: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Which individual option rows the restrictions leave (pins, keep, forbid, bars)."""
        moved = court != p.case_court[case]
        pm, pc = self.pin_mode[case], self.pin_court[case]
        ok = (pm < 0) | ((pm == mode) & (pc == court))
        ok &= ~(self.keep[case] & moved)
        ok &= ~(moved & (self.bar_receiving[court] | self.bar_executing[court]))
        if len(self.forbid_case):
            ok &= ~_pairs_in(case, court, self.forbid_case, self.forbid_court, p.n_courts)
        return ok

    def allows_targets(self, p: Problem, tg: NDArray[np.int64], tc: NDArray[np.int64],
                       mc: NDArray[np.int64], mt: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Which group targets (rows of tg/tc, members mc/mt) the restrictions leave."""
        ok = ~(self.bar_receiving[tc] | self.bar_executing[tc])
        debtor = p.case_debtor[mc]
        ok &= ~np.bincount(mt, weights=self.never_concentrate[debtor],
                           minlength=len(tg)).astype(bool)
        target_court = tc[mt]
        pm, pc = self.pin_mode[mc], self.pin_court[mc]
        bad_member = (pm >= 0) & ((pm != int(Mode.CONCENTRATE)) | (pc != target_court))
        bad_member |= self.keep[mc] & (target_court != p.case_court[mc])
        if len(self.forbid_case):
            bad_member |= _pairs_in(mc, target_court, self.forbid_case, self.forbid_court,
                                    p.n_courts)
        ok &= ~np.bincount(mt, weights=bad_member, minlength=len(tg)).astype(bool)
        return ok

    def must_concentrate(self, p: Problem, case: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Cases ordered into a 集中执行: their debtor's order, or a pin of any case of their
        debtor to concentrate — all or none: pinning one member pulls the whole group (to the
        pinned court, the only target `allows_targets` leaves)."""
        pinned = np.zeros(len(self.concentrate), dtype=bool)
        pinned[p.case_debtor[self.pin_mode == int(Mode.CONCENTRATE)]] = True
        return (self.concentrate | pinned)[p.case_debtor[case]]

    def barred_cases(self, p: Problem) -> NDArray[np.bool_]:
        """Cases at a court barred from executing (they must leave where the law allows)."""
        return self.bar_executing[p.case_court]

    def stability(self, p: Problem, case: NDArray[np.int64], mode: NDArray[np.int64],
                  court: NDArray[np.int64]) -> NDArray[np.float64]:
        """The stability cost of each option: `weights.stability` where the case had a
        decision in the previous plan and this option differs from it."""
        if not self.charge_stability:
            return np.zeros(len(case))
        had = self.prev_mode[case] >= 0
        differs = (self.prev_mode[case] != mode) | (self.prev_court[case] != court)
        return (had & differs) * float(p.weights.stability)

    def loan_amount(self, lend_from: NDArray[np.int64], lend_to: NDArray[np.int64]
                    ) -> NDArray[np.int64]:
        """Officers fixed on each lending pair, or −1 where the solver chooses."""
        out = np.full(len(lend_from), _NONE, dtype=np.int64)
        for f, t, n in zip(self.loan_from.tolist(), self.loan_to.tolist(),
                           self.loan_officers.tolist(), strict=True):
            out[(lend_from == f) & (lend_to == t)] = n
        return out


def start_point(r: Restrictions | None, o: Options, opts: NDArray[np.int64],
                targets: NDArray[np.int64], lends: NDArray[np.int64]
                ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]] | None:
    """The previous plan's (x, y, z) values on a piece's columns (option rows `opts`, target
    rows `targets`, lending pairs `lends`), or None without a previous plan. A case whose
    previous option no longer exists gets no column set (the point is then not feasible and
    the solver ignores it)."""
    if r is None or not (r.prev_mode >= 0).any():
        return None
    case = o.case[opts]
    x = ((o.mode[opts] == r.prev_mode[case]) & (o.court[opts] == r.prev_court[case]))
    tc = o.target_court[o.member_target]
    miss = ~((r.prev_mode[o.member_case] == int(Mode.CONCENTRATE))
             & (r.prev_court[o.member_case] == tc))
    bad = np.bincount(o.member_target, weights=miss, minlength=len(o.target_group))
    y = (bad == 0) & (np.bincount(o.member_target, minlength=len(o.target_group)) > 0)
    z = np.array([r.prev_lent.get((f, t), 0) for f, t in
                  zip(o.lend_from[lends].tolist(), o.lend_to[lends].tolist(), strict=True)])
    if o.lend_fixed is not None:
        z = np.where(o.lend_fixed[lends] >= 0, o.lend_fixed[lends], z)
    return x.astype(np.float64), y[targets].astype(np.float64), z.astype(np.float64)


def _pairs_in(case: NDArray[np.int64], court: NDArray[np.int64], set_case: NDArray[np.int64],
              set_court: NDArray[np.int64], n_courts: int) -> NDArray[np.bool_]:
    return np.isin(case * n_courts + court, set_case * n_courts + set_court)


def empty(p: Problem) -> Restrictions:
    """No restrictions (what `build_options(p)` uses)."""
    return restrictions_from(p, ChangeSet())


def _id_indexes(p: Problem, ch: ChangeSet, by_case: bool
                ) -> tuple[dict[str, int], dict[str, int]]:
    """(case id → case, debtor id → debtor), each built only when something names one: a
    pass over the records costs 0.6 s at 300,000 cases, for every plan without changes."""
    kidx: dict[str, int] = {}
    if by_case or ch.pins or ch.keep or ch.forbid:
        kidx = {cid: i for i, cid in enumerate(p.case_ids)}
    didx: dict[str, int] = {}
    if ch.concentrate or ch.never_concentrate:
        for debtor_id, d in zip(case_columns(p.scenario).debtor_id, p.case_debtor.tolist(),
                                strict=True):
            didx.setdefault(debtor_id, d)
    return kidx, didx


def restrictions_from(p: Problem, ch: ChangeSet, previous: dict[str, tuple[str, str]] | None = None,
                      issued: dict[str, tuple[str, str]] | None = None,
                      previous_loans: dict[tuple[str, str], int] | None = None) -> Restrictions:
    """Arrays of a checked `ChangeSet` (see `ChangeSet.check`). `previous` maps a case id to
    its (mode key, court id) in the previous plan (the stability cost and the warm start);
    `issued` are the previous plan's decisions already served, pinned like the change set's
    pins; `previous_loans` the previous plan's staff moves (warm start only)."""
    n = p.n_cases
    cidx = {c: i for i, c in enumerate(p.court_ids)}
    kidx, didx = _id_indexes(p, ch, bool(issued or previous))
    n_debtors = int(p.case_debtor.max()) + 1 if n else 0
    source: dict[tuple[str, int], str] = {}
    pin_mode = np.full(n, _NONE, dtype=np.int64)
    pin_court = np.full(n, _NONE, dtype=np.int64)
    for j, (cid, (mk, court)) in enumerate((issued or {}).items()):
        i = kidx[cid]
        pin_mode[i], pin_court[i] = MODE_BY_KEY[mk], cidx[court]
        source[("pin", i)] = f"previous plan: issued decision {j} ({cid} {mk}@{court})"
    for j, pin in enumerate(ch.pins):
        i = kidx[pin.case]
        pin_mode[i], pin_court[i] = MODE_BY_KEY[pin.mode], cidx[pin.court]
        source[("pin", i)] = f"changes.pins[{j}]"
    keep = np.zeros(n, dtype=bool)
    for j, cid in enumerate(ch.keep):
        keep[kidx[cid]] = True
        source[("keep", kidx[cid])] = f"changes.keep[{j}]"
    conc = np.zeros(n_debtors, dtype=bool)
    never = np.zeros(n_debtors, dtype=bool)
    for j, d in enumerate(ch.concentrate):
        conc[didx[d]] = True
        source[("concentrate", didx[d])] = f"changes.concentrate[{j}]"
    for j, d in enumerate(ch.never_concentrate):
        never[didx[d]] = True
        source[("never_concentrate", didx[d])] = f"changes.never_concentrate[{j}]"
    prev_mode = np.full(n, _NONE, dtype=np.int64)
    prev_court = np.full(n, _NONE, dtype=np.int64)
    for cid, (mk, court) in (previous or {}).items():
        prev_mode[kidx[cid]], prev_court[kidx[cid]] = MODE_BY_KEY[mk], cidx[court]
    for j, c in enumerate(ch.bar_executing):
        source[("bar_executing", cidx[c])] = f"changes.bar_executing[{j}]"
    for j, c in enumerate(ch.bar_receiving):
        source[("bar_receiving", cidx[c])] = f"changes.bar_receiving[{j}]"
    for j in range(len(ch.forbid)):
        source[("forbid", j)] = f"changes.forbid[{j}]"
    return Restrictions(
        pin_mode=pin_mode, pin_court=pin_court, keep=keep,
        forbid_case=np.array([kidx[f.case] for f in ch.forbid], dtype=np.int64),
        forbid_court=np.array([cidx[f.court] for f in ch.forbid], dtype=np.int64),
        bar_receiving=court_mask(p, ch.bar_receiving), bar_executing=court_mask(p, ch.bar_executing),
        concentrate=conc, never_concentrate=never,
        loan_from=np.array([cidx[x.from_court] for x in ch.loans], dtype=np.int64),
        loan_to=np.array([cidx[x.to_court] for x in ch.loans], dtype=np.int64),
        loan_officers=np.array([x.officers for x in ch.loans], dtype=np.int64),
        prev_mode=prev_mode, prev_court=prev_court, source=source,
        prev_lent={(cidx[f], cidx[t]): n for (f, t), n in (previous_loans or {}).items()})


#: the trigger bit a barred court's cases are given in the options: like a missed 督促
#: deadline, only 指令/提级/集中 can take them elsewhere (a court that may not execute cannot be
#: supervised, helped by another team or lent officers)
BARRED_AS = int(Trigger.DEADLINE_MISSED)
