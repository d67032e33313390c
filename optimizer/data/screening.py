"""执转破 screening: one decision per debtor group of the district (docs/outcomes.md, section 1).

A debtor group is every open case against one debtor, at every court, with its 终本 cases. The
conditions (法发〔2017〕2号 item 2; 民诉法解释第511条) are read from what the court holds:

1. 企业法人: the debtors block's `kind`; without a record, a company or state-owned debtor of
   the cases is *indicated* only (its legal personality unconfirmed), so it can reach `consult`
   but never `transfer`;
2. insolvency indicated (不能清偿到期债务, and 资产不足以清偿 or 明显缺乏清偿能力): a case already
   closed by 终本, an open case whose investigation found no property, or claims above the
   property found with more than one case (bankruptcy is a collective procedure);
3. written consent (书面同意) of the debtor or of an applicant of one of its cases.

All three: `transfer`; 1 and 2 without consent: `consult` (ask the parties; nothing moves on
that ground); otherwise `not_applicable`. Vectorised over debtors: the national scenario
(300,000 cases) screens in well under the 2 s budget (benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from optimizer.data.case_columns import CaseColumns, case_columns
from optimizer.data.scenario import Level, Scenario
from optimizer.data.validate import courts_at_and_below
from optimizer.law.bankruptcy import (
    BASIS,
    CONSENT_TEXT,
    INDICATOR_TEXT,
    KIND_TEXT,
    Screening,
)

# condition codes per debtor
KIND_ENTERPRISE, KIND_INDICATED, KIND_PERSON, KIND_OTHER = 0, 1, 2, 3
KIND_KEYS = ("enterprise", "enterprise_indicated", "natural_person", "other")
IND_ZHONGBEN, IND_NO_PROPERTY, IND_SHORT = 1, 2, 4


@dataclass(frozen=True)
class DebtorScreening:
    """The screening of every debtor group inside the district, one row per debtor (arrays in
    `debtor_ids` order), and per open case its debtor's row (−1: not a group of the district)."""

    debtor_ids: tuple[str, ...]
    status: NDArray[np.int8]  # Screening
    kind: NDArray[np.int8]  # KIND_*
    indicators: NDArray[np.int8]  # IND_* bits
    consent: NDArray[np.bool_]
    open_cases: NDArray[np.int64]
    zhongben_cases: NDArray[np.int64]
    courts: NDArray[np.int64]  # distinct courts holding its open cases
    claims: NDArray[np.float64]  # yuan, open and 终本 cases
    assets: NDArray[np.float64]  # yuan, property found
    receiving_court: NDArray[np.int64]  # court index, −1 where the scenario has none
    case_row: NDArray[np.int64]  # per open case

    @property
    def n(self) -> int:
        return len(self.debtor_ids)

    def reason(self, row: int) -> str:
        return _reason(int(self.kind[row]), int(self.indicators[row]), bool(self.consent[row]),
                       int(self.status[row]))

    def basis(self, row: int) -> str:
        return BASIS[Screening(int(self.status[row]))]

    def transfer_cases(self) -> NDArray[np.bool_]:
        """Per open case: its debtor's group is to be transferred (suspended in every court)."""
        at = self.case_row
        return (at >= 0) & (self.status[np.maximum(at, 0)] == Screening.TRANSFER)

    def counts(self) -> dict[str, int]:
        return {s.key: int((self.status == s).sum()) for s in Screening}


@cache
def _reason(kind: int, ind: int, consent: bool, status: int) -> str:
    parts = [KIND_TEXT[KIND_KEYS[kind]]]
    if kind in (KIND_ENTERPRISE, KIND_INDICATED):
        shown = [INDICATOR_TEXT[k] for bit, k in ((IND_ZHONGBEN, "zhongben"),
                                                  (IND_NO_PROPERTY, "no_property"),
                                                  (IND_SHORT, "short")) if ind & bit]
        parts += shown or [INDICATOR_TEXT["none"]]
        if ind:
            parts.append(CONSENT_TEXT[consent])
        if consent and status == Screening.CONSULT:
            parts.append("企业法人身份待核实后方可移送 transfer once the legal personality is confirmed")
    return "；".join(parts)


def screen(s: Scenario, case_debtor: NDArray[np.int64] | None = None,
           case_court: NDArray[np.int64] | None = None) -> DebtorScreening:
    """Screen every debtor group of the scenario's district. `case_debtor` and `case_court`
    (`Problem`'s: each case's debtor numbered by first appearance, its court's index) save
    building them again."""
    cols = case_columns(s)
    court_index = {c.id: i for i, c in enumerate(s.courts)}
    district = courts_at_and_below(s, s.dispatcher)
    in_district = np.array([c.id in district for c in s.courts], dtype=bool)
    zb = [(t, stock.court) for stock in s.terminated for t in stock.cases]
    if case_debtor is None:
        first = {d: i for i, d in enumerate(dict.fromkeys(cols.debtor_id))}
        case_debtor = np.fromiter(map(first.__getitem__, cols.debtor_id), np.int64, len(cols.court))
    ids = _debtor_ids(cols.debtor_id, case_debtor, (t.debtor_id for t, _ in zb if t.debtor_id))
    wanted = {t.debtor_id for t, _ in zb if t.debtor_id} | {d.id for d in s.debtors}
    row_of = {d: i for i, d in enumerate(ids) if d in wanted} if wanted else {}
    n = len(ids)
    if case_court is None:
        case_court = np.fromiter(map(court_index.__getitem__, cols.court), np.int64, len(cols.court))
    zb_debtor = np.array([row_of[t.debtor_id] for t, _ in zb if t.debtor_id], dtype=np.int64)
    zb_court = np.array([court_index[c] for t, c in zb if t.debtor_id], dtype=np.int64)
    zb_amount = np.array([t.amount or 0.0 for t, _ in zb if t.debtor_id], dtype=np.float64)
    open_cases, zhongben, courts, claims, assets, no_property = _group_sums(
        cols, n, len(s.courts), case_debtor, case_court, zb_debtor, zb_amount)
    kind = _kinds(s, row_of, len(ids), case_debtor, cols.debtor_kind)
    consent = np.zeros(n, dtype=bool)
    for d in s.debtors:
        if d.id in row_of:
            consent[row_of[d.id]] = d.consent is not None
            if d.assets_found is not None:
                assets[row_of[d.id]] = d.assets_found
    ind = np.where(zhongben > 0, IND_ZHONGBEN, 0)
    ind |= np.where(no_property > 0, IND_NO_PROPERTY, 0)
    ind |= np.where((claims > assets) & (open_cases + zhongben >= 2), IND_SHORT, 0)
    firm = (kind == KIND_ENTERPRISE) | (kind == KIND_INDICATED)
    status = np.where(firm & (ind > 0), Screening.CONSULT, Screening.NOT_APPLICABLE)
    status = np.where((kind == KIND_ENTERPRISE) & (ind > 0) & consent, Screening.TRANSFER, status)
    inside = np.zeros(n, dtype=bool)
    inside[case_debtor[in_district[case_court]]] = True
    inside[zb_debtor[in_district[zb_court]]] = True
    keep = np.flatnonzero(inside)
    new_row = np.full(n, -1, dtype=np.int64)
    new_row[keep] = np.arange(len(keep))
    receiving = _receiving_courts(s, row_of, len(ids), case_debtor, cols.debtor_place,
                                  court_index)
    return DebtorScreening(
        debtor_ids=tuple(ids[i] for i in keep.tolist()), status=status[keep].astype(np.int8),
        kind=kind[keep], indicators=ind[keep].astype(np.int8), consent=consent[keep],
        open_cases=open_cases[keep].astype(np.int64), zhongben_cases=zhongben[keep].astype(np.int64),
        courts=courts[keep].astype(np.int64),
        claims=claims[keep].astype(np.float64),
        assets=assets[keep].astype(np.float64), receiving_court=receiving[keep],
        case_row=new_row[case_debtor])


def _group_sums(cols: CaseColumns, n: int, n_courts: int, case_debtor: NDArray[np.int64],
                case_court: NDArray[np.int64], zb_debtor: NDArray[np.int64],
                zb_amount: NDArray[np.float64]) -> tuple[NDArray[Any], ...]:
    """Per debtor: open cases, 终本 cases, courts holding its open cases, claims (open and 终本),
    property found on its open cases, and its open cases without property."""
    sizes = cols.asset_counts()
    values = np.bincount(cols.asset_case(), weights=np.array(cols.asset_value, dtype=np.float64),
                         minlength=len(sizes))
    no_property = ~((sizes > 0) | np.array(cols.act_obligation, bool))
    pairs = np.unique(case_debtor * max(n_courts, 1) + case_court)
    claims = (np.bincount(case_debtor, weights=np.array(cols.amount, dtype=np.float64),
                          minlength=n) + np.bincount(zb_debtor, weights=zb_amount, minlength=n))
    return (np.bincount(case_debtor, minlength=n).astype(np.float64),
            np.bincount(zb_debtor, minlength=n).astype(np.float64),
            np.bincount(pairs // max(n_courts, 1), minlength=n).astype(np.float64), claims,
            np.bincount(case_debtor, weights=values, minlength=n),
            np.bincount(case_debtor, weights=no_property, minlength=n))


def _debtor_ids(case_ids: tuple[str, ...], case_debtor: NDArray[np.int64],
                zhongben_ids: Iterator[str]) -> list[str]:
    """The debtor ids in row order: the open cases' by first appearance, then the 终本库's."""
    n_open = int(case_debtor.max()) + 1 if len(case_debtor) else 0
    first = np.full(n_open, -1, dtype=np.int64)
    first[case_debtor[::-1]] = np.arange(len(case_debtor))[::-1]
    ids = [case_ids[i] for i in first.tolist()]
    known = set(ids)
    for d in zhongben_ids:
        if d not in known:
            known.add(d)
            ids.append(d)
    return ids


def _kinds(s: Scenario, row_of: dict[str, int], n: int, case_debtor: NDArray[np.int64],
           party_kind: tuple[str, ...]) -> NDArray[np.int8]:
    """KIND_* per debtor: the debtors block where it has a record, else the cases' party kind
    (a company or state-owned enterprise is an indicated enterprise, unconfirmed)."""
    first = np.full(n, -1, dtype=np.int64)
    first[case_debtor[::-1]] = np.arange(len(case_debtor))[::-1]
    codes = {"company": KIND_INDICATED, "state_owned": KIND_INDICATED, "person": KIND_PERSON,
             "government": KIND_OTHER}
    by_case = np.fromiter(map(codes.__getitem__, party_kind), np.int8, len(party_kind))
    kind = np.full(n, KIND_OTHER, dtype=np.int8)
    kind[first >= 0] = by_case[first[first >= 0]]
    by_block = {"enterprise_legal_person": KIND_ENTERPRISE, "natural_person": KIND_PERSON,
                "other_organisation": KIND_OTHER}
    for d in s.debtors:
        if d.id in row_of:
            kind[row_of[d.id]] = by_block[d.kind]
    return kind


def _receiving_courts(s: Scenario, row_of: dict[str, int], n: int,
                      case_debtor: NDArray[np.int64], debtor_place: tuple[str, ...],
                      court_index: dict[str, int]) -> NDArray[np.int64]:
    """The court that would hear each debtor's bankruptcy: a basic court the high court approved
    (`bankruptcy_court`), else the intermediate court of the domicile's prefecture (the first
    four digits of the region code; −1 where the scenario has none)."""
    intermediate: dict[str, int] = {}
    for c in s.courts:
        if c.level == Level.INTERMEDIATE:
            intermediate.setdefault(c.place[:4], court_index[c.id])
    first = np.full(n, -1, dtype=np.int64)
    first[case_debtor[::-1]] = np.arange(len(case_debtor))[::-1]
    # by the prefecture (4 digits) of each case's debtor place, looked up once per prefecture
    prefecture, at = np.unique(np.array(debtor_place, dtype="U6").astype("U4"), return_inverse=True)
    court_of = np.array([intermediate.get(str(x), -1) for x in prefecture.tolist()] or [-1],
                        dtype=np.int64)
    out = np.full(n, -1, dtype=np.int64)
    known = first >= 0
    out[known] = court_of[at.reshape(-1)[first[known]]]
    for d in s.debtors:
        if d.id in row_of:
            if d.bankruptcy_court is not None:
                out[row_of[d.id]] = court_index[d.bankruptcy_court]
            elif d.place is not None:
                out[row_of[d.id]] = intermediate.get(d.place[:4], -1)
    return out
