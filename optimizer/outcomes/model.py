"""The backlog projection's month step: an age-cohort flow with a capacity cap, all courts at once
(docs/outcomes.md, section 2).

State per court i: open cases x[i, c, a] by cohort c (0: with property or an act obligation,
1: without property) and age a in months (0…11, and a last bucket for 12 and more), and the
终本库 Z[i]. One month t:

    E[i,0,a] = λ[i]·x[i,0,a]                       with property: 执行完毕/和解 or other
    E[i,1,a] = h_z[i]·x[i,1,a]·[a ≥ 3]             without property: 终本, never before 3 months
    s[i]     = min(1, c[i,t] ÷ Σ E[i])              capacity cap, shared in proportion
    x'       = age(x − s·E)                         the last bucket absorbs the older ages
    x'[i,0,0] += A[i,t]·(1 − w[i]) + r[i]·Z[i]      filings with property, and 执恢
    x'[i,1,0] += A[i,t]·w[i]                         filings without property
    Z'[i]    = Z[i]·(1 − r[i] − d) + s·ΣE[i,1]

so that pending(t+1) = pending(t) + filings + restorations + returns − exits, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.data.outcome_defaults import AGES, ZHONGBEN_GATE

Array = NDArray[np.float64]
DONE, ZHONGBEN, OTHER = 0, 1, 2
OUTCOMES = ("done", "zhongben", "other")
_GATE = (np.arange(AGES) >= ZHONGBEN_GATE).astype(np.float64)


@dataclass(frozen=True)
class Inputs:
    """Everything one run needs, per court (n courts, H months)."""

    stock: Array  # (n, 2, AGES) open cases at the plan date, after the plan's moves
    filings: Array  # (n, H) first-execution filings
    no_property_share: Array  # (n,) share of filings without property (w)
    property_rate: Array  # (n,) λ
    zhongben_rate: Array  # (n,) h_z
    done_share: Array  # (n,) share of λ-exits that are 执行完毕/和解 (the rest: other)
    capacity: Array  # (n, H) closures a month the officers can make
    zhongben_stock: Array  # (n,) Z at the plan date
    restoration_rate: Array  # (n,) r
    retirement_rate: float  # d: leaves the 终本库 after five years
    held: Array  # (n, 2, AGES) suspended at the plan date, back after a month (not accepted)
    suspended: Array  # (n,) cases suspended for 执转破 at the plan date (left the stock)

    @property
    def months(self) -> int:
        return int(self.filings.shape[1])


@dataclass(frozen=True)
class Run:
    """One projection: levels at each month's end (index 0 = the plan date) and flows in each
    month."""

    pending: Array  # (n, H+1)
    pool6: Array  # (n, H+1) cases with property six months old or more (Art. 237 proxy)
    zhongben_stock: Array  # (n, H+1)
    exits: Array  # (n, 3, H) by DONE, ZHONGBEN, OTHER
    filings: Array  # (n, H)
    restorations: Array  # (n, H)
    returned: Array  # (n, H) 执转破 cases back after a refusal
    suspended: Array  # (n,) left at the plan date

    @property
    def arrivals(self) -> Array:
        return self.filings + self.restorations


def run(inp: Inputs, rate_scale: Array | float = 1.0) -> Run:
    """Project `inp` month by month (the loop runs over months, never over cases or courts);
    `rate_scale` multiplies the exit rates (the band)."""
    n, h = inp.filings.shape
    scale = np.broadcast_to(np.asarray(rate_scale, dtype=np.float64), (n,))
    lam = np.clip(inp.property_rate * scale, 0.0, 1.0)[:, None]
    hz = np.clip(inp.zhongben_rate * scale, 0.0, 1.0)[:, None] * _GATE[None, :]
    x = inp.stock.astype(np.float64, copy=True)
    z = inp.zhongben_stock.astype(np.float64, copy=True)
    pending = np.empty((n, h + 1))
    pool6 = np.empty((n, h + 1))
    zstock = np.empty((n, h + 1))
    exits = np.zeros((n, 3, h))
    restorations = np.zeros((n, h))
    returned = np.zeros((n, h))
    pending[:, 0], pool6[:, 0], zstock[:, 0] = x.sum(axis=(1, 2)), x[:, 0, 6:].sum(1), z
    w = inp.no_property_share
    for t in range(h):
        e_prop = lam * x[:, 0, :]
        e_none = hz * x[:, 1, :]
        demand = e_prop.sum(1) + e_none.sum(1)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            s = np.where(demand > inp.capacity[:, t],
                         np.maximum(inp.capacity[:, t], 0.0) / np.where(demand > 0, demand, 1), 1.0)
        x[:, 0, :] -= s[:, None] * e_prop
        x[:, 1, :] -= s[:, None] * e_none
        closed_prop = s * e_prop.sum(1)
        exits[:, DONE, t] = closed_prop * inp.done_share
        exits[:, OTHER, t] = closed_prop - exits[:, DONE, t]
        exits[:, ZHONGBEN, t] = s * e_none.sum(1)
        x[:, :, -1] += x[:, :, -2]  # ageing: the last bucket absorbs the one before it
        x[:, :, 1:-1] = x[:, :, :-2].copy()
        x[:, :, 0] = 0.0
        if t == 0:  # refused 执转破 groups come back after the 30 days (民诉法解释第512条)
            back = np.zeros_like(inp.held)
            back[:, :, 1:] = inp.held[:, :, :-1]
            back[:, :, -1] += inp.held[:, :, -1]
            x += back
            returned[:, 0] = inp.held.sum(axis=(1, 2))
        restorations[:, t] = inp.restoration_rate * z
        x[:, 0, 0] += inp.filings[:, t] * (1 - w) + restorations[:, t]
        x[:, 1, 0] += inp.filings[:, t] * w
        z = z * (1 - inp.restoration_rate - inp.retirement_rate) + exits[:, ZHONGBEN, t]
        pending[:, t + 1], pool6[:, t + 1], zstock[:, t + 1] = (
            x.sum(axis=(1, 2)), x[:, 0, 6:].sum(1), z)
    return Run(pending, pool6, zstock, exits, inp.filings.copy(), restorations, returned,
               inp.suspended.copy())


def indicators(r: Run, rows: NDArray[np.int64] | slice | int | None = None) -> dict[str, Array]:
    """Per court (`rows` None), for one court (an index) or summed over the courts `rows`
    selects (a district): clearance rate (resolved ÷ incoming, %), disposition time (365 ×
    pending at the end ÷ resolved a year, days) and the 终本 share of closures, over the whole
    horizon."""
    exits = r.exits.sum(axis=-1)  # (n, 3)
    incoming, pending = r.arrivals.sum(axis=-1), r.pending[:, -1]
    if rows is not None:
        exits, incoming, pending = exits[rows], incoming[rows], pending[rows]
        if not isinstance(rows, int | np.integer):
            exits, incoming, pending = exits.sum(axis=0), incoming.sum(), pending.sum()
    resolved = exits.sum(axis=-1)
    per_year = resolved * 12 / r.exits.shape[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return {
            "clearance_rate": np.where(incoming > 0, 100 * resolved / incoming, np.nan),
            "disposition_days": np.where(per_year > 0, 365 * pending / per_year, np.nan),
            "zhongben_share": np.where(resolved > 0, exits[..., ZHONGBEN] / resolved, np.nan),
        }
