"""The projection's defaults, each with its source (docs/outcomes.md, section 3), and the
steady state they imply for a court of a given open caseload.

Where a scenario carries a court's last months (`history`) its own rates replace these; where it
does not, the court is taken to be in the steady state of these rates at today's open caseload,
so that without a plan its projection is flat and a plan's effect is the difference.

The model's month (optimizer/outcomes/projection.py): exits leave the stock held at the month's
start, then the month's arrivals join age 0 — so with a constant exit rate h the steady state is
pending = inflow ÷ h. Bucket a holds cases a months old at the month's start; 终本 is possible
from bucket 3 (more than three months since filing). Two cohorts: cases with property (or an
obligation to act) close by 执行完毕/和解 or otherwise at a constant monthly rate λ; cases without
property close by 终本 from the third month at rate h_z — so the share of arrivals without
property is the 终本 share of closures, and only cases with property age into the six-month
(Art. 237) pool, as the law has it (docs/law.md rule 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

AGES = 13  # age buckets 0…11 months and a last one for twelve months and more
ZHONGBEN_GATE = 3  # first age bucket that may close by 终本 (终本规定第1条第4项)
DAYS_PER_MONTH = 365 / 12


@dataclass(frozen=True)
class Source:
    value: str
    source: str


@dataclass(frozen=True)
class Defaults:
    #: shares of closures: 执行完毕/和解, 终本, other (终结执行、销案、驳回、不予执行)
    outcome_shares: NDArray[np.float64]
    disposition_days: float  # 365 × pending ÷ closures a year, in the steady state
    restoration_rate: float  # share of the 终本库 restored (执恢) per month
    zhongben_years: float  # years a 终本 case stays in the 终本库 (the 5-year watch)
    lent_efficiency: float  # share of a lent officer's capacity that works where it goes
    acceptance_share: float  # 执转破 groups the receiving court accepts (others come back)
    zhongben_rate: float  # monthly 终本 rate of a case without property, from age 3
    band: float  # ± relative uncertainty of the exit rates, for the band

    @property
    def retirement_rate(self) -> float:
        return 1 / (12 * self.zhongben_years)


DEFAULTS = Defaults(outcome_shares=np.array([0.42, 0.35, 0.23]), disposition_days=90.0,
                    restoration_rate=0.01, zhongben_years=5.0, lent_efficiency=0.7,
                    acceptance_share=0.8, zhongben_rate=0.6, band=0.15)

#: each default, its value and where it comes from (printed by `courtplan project` and the docs)
SOURCES = {
    "outcome_shares.done": Source(
        "42 %", "执行完毕率 44.32 % (Q1 2025) and ≈40.1 % (2024, derived: −4.19 pp), SPC press "
        "conference 2025-04-07 (中新社 report)"),
    "outcome_shares.zhongben": Source(
        "35 %", "≈300万 new 终本 cases a year (SPC Q&A 2024-07-03, Q3) over ≈911.82万 closures "
        "(2024, SPC 2025-04-07) ≈ 33 % (derived), below the ≈40 % of cases without property "
        "(2016 statistic, 周星星 2020)"),
    "outcome_shares.other": Source("23 %", "the remainder (终结执行、销案、驳回、不予执行)"),
    "disposition_days": Source(
        "90 days", "assumption: published mean times to close are 49.79 days (Zhejiang H1 2024, "
        "chinacourt.org), 62.23 and 72.78 days (two basic courts, H1 2021); with 35 % closing by "
        "终本 no earlier than three months, the stock measure 365 × pending ÷ closures cannot go "
        "below about 80 days"),
    "restoration_rate": Source(
        "1 % of the 终本库 a month", "古田 (Fujian): 执恢 cases = 48 % of first-execution 终本 "
        "closures over 2020 – mid-2024 (derived; one court)"),
    "zhongben_years": Source(
        "5 years", "终本规定 (2016) Art. 9 [unverified]: the court queries every six months for "
        "five years after 终本"),
    "lent_efficiency": Source(
        "0.7", "assumption (travel, learning the borrower's files); no published figure"),
    "acceptance_share": Source(
        "80 %", "assumption: the receiving court rules on acceptance within 30 days (民诉法解释"
        "第512条); the rest come back and resume (第513条第2款); no published rate"),
    "zhongben_rate": Source(
        "60 % a month from the third month", "assumption: a case without property is closed by "
        "终本 soon after the three-month gate (终本规定第1条第4项); its share of filings is the "
        "终本 share of closures"),
    "band": Source("±15 % exit rates", "assumption; a court's own history narrows or widens it "
                   "by the spread of its monthly closure rate"),
}


def property_rate(disposition_months: NDArray[np.float64], no_property_share: NDArray[np.float64],
                  zhongben_rate: float) -> NDArray[np.float64]:
    """λ per court: the monthly exit rate of the cases with property such that the steady state
    holds `disposition_months` of arrivals pending. Each arrival with property stays 1/λ months
    on average (exits first, then arrivals), one without property 3 + 1/h_z (no 终本 before
    three months), so m = (1 − w)/λ + w·(3 + 1/h_z); clipped to 0.02–0.95 a month."""
    w = np.clip(np.asarray(no_property_share, dtype=np.float64), 0.0, 0.95)
    rest = np.asarray(disposition_months, dtype=np.float64) - w * (ZHONGBEN_GATE + 1 / zhongben_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = np.where(rest > 0, (1 - w) / np.maximum(rest, 1e-12), 0.95)
    return np.clip(lam, 0.02, 0.95)


@dataclass(frozen=True)
class SteadyState:
    """A court in the steady state of the defaults at `pending` open cases (per month)."""

    pending: float
    exits: float
    filings: float  # first-execution filings
    restorations: float  # 执恢
    zhongben_stock: float


def steady_state(pending: float, d: Defaults = DEFAULTS) -> SteadyState:
    w = float(d.outcome_shares[1])
    months = d.disposition_days / DAYS_PER_MONTH
    arrivals = pending / months
    zb_exits = arrivals * w
    stock = zb_exits / (d.restoration_rate + d.retirement_rate)
    restorations = d.restoration_rate * stock
    return SteadyState(pending, arrivals, arrivals - restorations, restorations, stock)


def age_shares(rate: NDArray[np.float64]) -> NDArray[np.float64]:
    """(courts, AGES): the steady-state share of a cohort's open cases in each age bucket, given
    its monthly exit rate by age `rate` (courts, AGES)."""
    survive = np.concatenate([np.ones((len(rate), 1)), np.cumprod(1 - rate, axis=1)[:, :-1]],
                             axis=1)
    survive[:, -1] /= np.maximum(rate[:, -1], 1e-12)  # the last bucket holds every older age
    total = survive.sum(axis=1, keepdims=True)
    return survive / np.where(total > 0, total, 1.0)
