"""The projection's inputs for a scenario's district courts, with or without a plan
(docs/outcomes.md, sections 2 and 3).

Rates: from a court's `history` where the scenario has one (its mean monthly filings and 执恢,
its pending ÷ arrivals, its 终本 share and its spread of monthly closure rates), otherwise the
published defaults (`optimizer/data/outcome_defaults.py`), the court then taken to be in their
steady state at its open caseload. Stock: the listed cases at their own age and cohort, and the
rest of the open caseload spread over the ages of the steady state.

A plan acts at the plan date: its moved cases change court keeping their age, its lent officers
add capacity where they go (at `lent_efficiency`) for the planning period and take it from the
lender, and its suspended 执转破 groups leave the stock (a share comes back after the 30 days).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from optimizer.data.case_columns import case_columns, days
from optimizer.data.outcome_defaults import (
    AGES,
    DAYS_PER_MONTH,
    DEFAULTS,
    Defaults,
    age_shares,
    property_rate,
)
from optimizer.data.problem import Problem
from optimizer.law.bankruptcy import SUSPENDED_NOTE
from optimizer.outcomes.model import Inputs
from optimizer.results.plan import Plan

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Calibration:
    """The inputs without a plan, and what the plan's effects need (district courts only)."""

    courts: NDArray[np.int64]  # problem court index of each row
    inputs: Inputs
    band: Array  # (n,) ± relative uncertainty of the exit rates
    per_officer: Array  # (n,) capacity a month of one officer
    case_row: NDArray[np.int64]  # per case: its court's row (−1 outside the district)
    case_cohort: NDArray[np.int64]  # 0 with property or an act obligation, 1 without
    case_age: NDArray[np.int64]  # months at the plan date, the last bucket for 12 and more
    from_history: NDArray[np.bool_]  # (n,) rates from the court's own history
    officers: NDArray[np.int64]  # (n,) the status quo's officers (calibrated with)


def _history(p: Problem, rows: dict[str, int], n: int) -> dict[str, Array]:
    """Per row: mean monthly filings, 执恢 and closures by outcome, mean pending, and the
    spread of the monthly closure rate; NaN where the court has no history."""
    names = ("filed", "restored", "done", "zhongben", "other", "pending")
    out = {k: np.full(n, np.nan) for k in (*names, "spread")}
    blocks = [(rows[h.court], h.months) for h in p.scenario.history if h.court in rows]
    if not blocks:
        return out
    row = np.concatenate([np.full(len(ms), i) for i, ms in blocks])
    first = np.concatenate([np.arange(len(ms)) == 0 for _, ms in blocks])
    m = np.array([(x.filed, x.restored, x.closed_done, x.closed_terminated, x.closed_other,
                   x.pending_end) for _, ms in blocks for x in ms], dtype=np.float64)
    count = np.bincount(row, minlength=n)
    has = count > 0
    for j, k in enumerate(names):
        out[k][has] = (np.bincount(row, weights=m[:, j], minlength=n) / np.maximum(count, 1))[has]
    closed = m[:, 2:5].sum(1)
    # pending at each month's start: the month before's end (the first month's, from its flows)
    before = np.where(first, m[:, 5] + closed - m[:, 0] - m[:, 1], np.r_[0.0, m[:-1, 5]])
    ratio = closed / np.maximum(before + m[:, 0] + m[:, 1], 1.0)
    mean = np.bincount(row, weights=ratio, minlength=n) / np.maximum(count, 1)
    var = np.bincount(row, weights=ratio ** 2, minlength=n) / np.maximum(count, 1) - mean ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        spread = np.sqrt(np.maximum(var, 0.0)) / mean
    out["spread"][has] = np.where(mean > 0, spread, np.nan)[has]
    return out


def calibrate(p: Problem, months: int = 12, d: Defaults = DEFAULTS,
              officers: NDArray[np.int64] | None = None) -> Calibration:
    """The no-plan inputs of `p`'s district courts for `months` months, with the courts'
    `officers` of the status quo (default `p`'s; a what-if's own change of officers is then part
    of the plan, `with_plan`)."""
    courts = np.flatnonzero(p.in_district)
    staff = (p.officers if officers is None else np.asarray(officers))[courts].astype(np.float64)
    n = len(courts)
    rows = {p.court_ids[c]: i for i, c in enumerate(courts.tolist())}
    hist = _history(p, rows, n)
    has = ~np.isnan(hist["filed"])
    pending0 = p.open_caseload[courts].astype(np.float64)
    closed = hist["done"] + hist["zhongben"] + hist["other"]
    arrivals_h = hist["filed"] + hist["restored"]
    default_m = d.disposition_days / DAYS_PER_MONTH
    m = np.where(has & (arrivals_h > 0), hist["pending"] / np.maximum(arrivals_h, 1e-9), default_m)
    z = np.where(has & (closed > 0), hist["zhongben"] / np.maximum(closed, 1e-9),
                 d.outcome_shares[1])
    shares = d.outcome_shares
    done_share = np.where(has & (closed - hist["zhongben"] > 0),
                          hist["done"] / np.maximum(closed - hist["zhongben"], 1e-9),
                          shares[0] / (shares[0] + shares[2]))
    arrivals = np.where(has, arrivals_h, pending0 / default_m)
    zstock = _zhongben_stock(p, rows, n, z * arrivals, d)
    r = np.where(has & (zstock > 0), np.clip(hist["restored"] / np.maximum(zstock, 1e-9), 0, 0.1),
                 d.restoration_rate)
    filings = np.where(has, hist["filed"], np.maximum(arrivals - r * zstock, 0.0))
    w = np.clip(z * arrivals / np.maximum(filings, 1e-9), 0.0, 0.95)
    hz = np.full(n, d.zhongben_rate)
    lam = property_rate(m, z, d.zhongben_rate)
    exits_ref = np.where(has, closed, arrivals)
    carry = staff * p.cases_per_officer[courts]  # workload units the officers can carry
    util = np.where(carry > 0, pending0 / np.maximum(carry, 1e-9), 1.0)
    # the observed exits are what the officers could close: a court with slack (utilisation
    # u < 1) could close 1/u times as many; an overloaded one (u > 1) closes at its capacity,
    # its cases would leave u times as fast with the officers to do it (the cap then binds, and
    # the observed rate results: more officers, or fewer cases, show)
    capacity = exits_ref / np.clip(util, 0.05, 1.0)
    boost = np.clip(util, 1.0, 20.0)
    case_row, cohort, age = _case_columns(p, rows)
    stock = _stock(pending0, lam, hz, z, case_row, cohort, age)
    band = np.where(has & np.isfinite(hist["spread"]), np.clip(hist["spread"], 0.05, 0.5), d.band)
    inputs = Inputs(stock=stock, filings=np.repeat(filings[:, None], months, axis=1),
                    no_property_share=w, property_rate=np.minimum(lam * boost, 0.95),
                    zhongben_rate=np.minimum(hz * boost, 1.0),
                    done_share=done_share, capacity=np.repeat(capacity[:, None], months, axis=1),
                    zhongben_stock=zstock, restoration_rate=r,
                    retirement_rate=d.retirement_rate, held=np.zeros_like(stock),
                    suspended=np.zeros(n))
    per_officer = np.where(staff > 0, capacity / np.maximum(staff, 1), 0.0)
    if (staff > 0).any():  # a court without officers gains what a typical one closes
        per_officer = np.where(staff > 0, per_officer, np.median(per_officer[staff > 0]))
    return Calibration(courts, inputs, band, per_officer, case_row, cohort, age, has,
                       staff.astype(np.int64))


def _zhongben_stock(p: Problem, rows: dict[str, int], n: int, zb_exits: Array,
                    d: Defaults) -> Array:
    """Z per row: the 终本库 total (or its listed cases), else the steady state of its exits."""
    out = zb_exits / (d.restoration_rate + d.retirement_rate)
    for stock in p.scenario.terminated:
        i = rows.get(stock.court)
        if i is not None:
            out[i] = stock.total if stock.total is not None else len(stock.cases)
    return out


def _case_columns(p: Problem, rows: dict[str, int]
                  ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    index = np.array([rows.get(c, -1) for c in p.court_ids], dtype=np.int64)
    case_row = index[p.case_court] if p.n_cases else np.zeros(0, dtype=np.int64)
    cohort = (~(p.case_has_assets | p.case_act)).astype(np.int64)
    filed = days(case_columns(p.scenario).filed)
    elapsed = (np.datetime64(p.scenario.period.start, "D") - filed).astype(np.int64)
    age = np.minimum((elapsed / DAYS_PER_MONTH).astype(np.int64), AGES - 1)
    return case_row, cohort, np.maximum(age, 0)


def _stock(pending0: Array, lam: Array, hz: Array, z: Array,
           case_row: NDArray[np.int64], cohort: NDArray[np.int64], age: NDArray[np.int64]
           ) -> Array:
    """(n, 2, AGES): the listed cases where they are, the rest of the open caseload in the
    steady state's cohorts and ages."""
    n = len(pending0)
    x = np.zeros((n, 2, AGES))
    inside = case_row >= 0
    np.add.at(x, (case_row[inside], cohort[inside], age[inside]), 1.0)
    rest = np.maximum(pending0 - x.sum(axis=(1, 2)), 0.0)
    gate = (np.arange(AGES) >= 3).astype(np.float64)
    prop = age_shares(np.repeat(lam[:, None], AGES, axis=1))
    none = age_shares(hz[:, None] * gate[None, :])
    held_prop = (1 - z) / np.maximum(lam, 1e-9)  # months pending per arrival, each cohort
    held_none = z * (3 + 1 / np.maximum(hz, 1e-9))
    share_prop = held_prop / np.maximum(held_prop + held_none, 1e-12)
    x[:, 0, :] += (rest * share_prop)[:, None] * prop
    x[:, 1, :] += (rest * (1 - share_prop))[:, None] * none
    return x


def _plan_columns(p: Problem, plan: Plan, rows: dict[str, int]
                  ) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Per case of `p`: the row of the court the plan gives it (−1 outside the district or not
    in the plan), and whether the plan records it as suspended for 执转破."""
    ids = [k.case_id for k in plan.cases]
    court_row = np.fromiter((rows.get(k.court_id, -1) for k in plan.cases), np.int64, len(ids))
    suspended = np.fromiter((k.note == SUSPENDED_NOTE for k in plan.cases), bool, len(ids))
    if tuple(ids) == p.case_ids:  # a plan of this scenario lists its cases in their order
        return court_row, suspended
    at = {cid: i for i, cid in enumerate(ids)}
    where = np.fromiter((at.get(cid, -1) for cid in p.case_ids), np.int64, p.n_cases)
    found = where >= 0
    target = np.full(p.n_cases, -1, dtype=np.int64)
    target[found] = court_row[where[found]]
    return target, found & suspended[np.maximum(where, 0)]


def with_plan(c: Calibration, p: Problem, plan: Plan, d: Defaults = DEFAULTS) -> Inputs:
    """The inputs under `plan`: its moves, its loans and its 执转破 suspensions."""
    inp = c.inputs
    stock = inp.stock.copy()
    rows = {p.court_ids[j]: i for i, j in enumerate(c.courts.tolist())}
    target, off = _plan_columns(p, plan, rows)
    moved = (c.case_row >= 0) & (target >= 0) & (target != c.case_row)
    np.add.at(stock, (c.case_row[moved], c.case_cohort[moved], c.case_age[moved]), -1.0)
    np.add.at(stock, (target[moved], c.case_cohort[moved], c.case_age[moved]), 1.0)
    off &= c.case_row >= 0
    gone = np.zeros_like(stock)
    np.add.at(gone, (c.case_row[off], c.case_cohort[off], c.case_age[off]), 1.0)
    stock = np.maximum(stock - gone, 0.0)
    zstock = inp.zhongben_stock.copy()
    debtors = {p.scenario.cases[i].debtor_id for i in np.flatnonzero(off).tolist()}
    for stock_block in p.scenario.terminated:
        i = rows.get(stock_block.court)
        if i is not None and debtors:
            listed = sum(t.debtor_id in debtors for t in stock_block.cases)
            zstock[i] = max(zstock[i] - d.acceptance_share * listed, 0.0)
    capacity = inp.capacity.copy()
    # the what-if's change of officers (changes.officers), for the whole horizon
    capacity += ((p.officers[c.courts] - c.officers) * c.per_officer)[:, None]
    period = max(1, math.ceil((p.scenario.period.end - p.scenario.period.start).days
                              / DAYS_PER_MONTH))
    span = min(period, inp.months)
    for move in plan.staff_moves:
        lender, borrower = rows.get(move.from_court), rows.get(move.to_court)
        if lender is None or borrower is None:
            continue
        q = c.per_officer[lender]
        capacity[lender, :span] -= move.officers * q
        capacity[borrower, :span] += move.officers * q * d.lent_efficiency
    return replace(inp, stock=stock, capacity=np.maximum(capacity, 0.0),
                   zhongben_stock=zstock, held=gone * (1 - d.acceptance_share),
                   suspended=gone.sum(axis=(1, 2)))
