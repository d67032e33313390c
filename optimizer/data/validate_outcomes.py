"""Checks across records of the debtors, 终本库 and history blocks (docs/outcomes.md). Each
defect names its JSON path and record, in both languages where the rule is the law's."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import compress

from optimizer.data.case_columns import case_columns
from optimizer.data.scenario import Level, Scenario
from optimizer.data.scenario_outcomes import Consent
from optimizer.data.validate import Defect

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
#: 终本 needs more than three months since filing (终本规定第1条第4项, 2016)
ZHONGBEN_GATE_MONTHS = 3


def credit_code_check_digit(code17: str) -> str:
    """The 18th character of a 统一社会信用代码 (GB 32100-2015, modulus 31)."""
    total = sum(_CODE_CHARS.index(ch) * w for ch, w in zip(code17, _CODE_WEIGHTS, strict=True))
    return _CODE_CHARS[(31 - total % 31) % 31]


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day where it has none)."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    last = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def check_outcomes(s: Scenario) -> list[Defect]:
    """Every cross-record defect of the three optional blocks."""
    return _check_debtors(s) + _check_terminated(s) + _check_history(s)


def _dupes(path: str, keys: list[str]) -> list[Defect]:
    seen: Counter[str] = Counter()
    out = []
    for i, k in enumerate(keys):
        seen[k] += 1
        if seen[k] == 2:
            out.append(Defect(f"{path}[{i}]", k, f"'{k}' is listed twice (重复)"))
    return out


def _check_debtors(s: Scenario) -> list[Defect]:
    places = {p.id for p in s.places}
    levels = {c.id: c.level for c in s.courts}
    listed = {d.id for d in s.debtors}  # (the cases of the debtors listed: a few thousand)
    cases_of: dict[str, set[str]] = {}
    cols = case_columns(s)
    for i in compress(range(len(cols)), map(listed.__contains__, cols.debtor_id)):
        cases_of.setdefault(cols.debtor_id[i], set()).add(cols.id[i])
    for stock in s.terminated:
        for t in stock.cases:
            if t.debtor_id in listed:
                cases_of.setdefault(t.debtor_id, set()).add(t.id)
    out = _dupes("debtors", [d.id for d in s.debtors])
    for i, d in enumerate(s.debtors):
        where = f"debtors[{i}]"
        if d.id not in cases_of:
            out.append(Defect(where, d.id, f"debtor '{d.id}' has no case in the scenario (neither "
                                           "open nor in a 终本库)"))
        if d.place is not None and d.place not in places:
            out.append(Defect(f"{where}.place", d.id, f"place '{d.place}' is not defined"))
        if d.credit_code is not None:
            if d.kind == "natural_person":
                out.append(Defect(f"{where}.credit_code", d.id, "a natural person (自然人) has no "
                                  "统一社会信用代码"))
            elif credit_code_check_digit(d.credit_code[:17]) != d.credit_code[17]:
                want = credit_code_check_digit(d.credit_code[:17])
                out.append(Defect(f"{where}.credit_code", d.id,
                                  f"统一社会信用代码 check digit is '{d.credit_code[17]}', the first "
                                  f"17 characters give '{want}' (GB 32100-2015); 校验码错误"))
        court = d.bankruptcy_court
        if court is not None and levels.get(court) != Level.BASIC:
            why = "is not defined" if court not in levels else f"is {levels[court].value}"
            out.append(Defect(f"{where}.bankruptcy_court", d.id,
                              f"court '{court}' {why}: only a basic court needs the high court's "
                              "approval (经高级人民法院批准); leave it null for the intermediate court"))
        out += _check_consent(s, where, d.id, d.consent, cases_of.get(d.id, set()))
    return out


def _check_consent(s: Scenario, where: str, debtor: str, consent: Consent | None,
                   cases: set[str]) -> list[Defect]:
    if consent is None:
        return []
    out = []
    if consent.date > s.period.start:
        out.append(Defect(f"{where}.consent.date", debtor,
                          f"consent dated {consent.date}, after the plan date {s.period.start}"))
    if consent.by == "applicant" and consent.case is None:
        out.append(Defect(f"{where}.consent.case", debtor, "an applicant's consent names the case "
                          "(案号) whose applicant consented (申请执行人之一, 民诉法解释第511条)"))
    elif consent.case is not None and consent.case not in cases:
        out.append(Defect(f"{where}.consent.case", debtor,
                          f"case '{consent.case}' is not a case against debtor '{debtor}'"))
    return out


def _check_terminated(s: Scenario) -> list[Defect]:
    courts = {c.id for c in s.courts}
    open_ids = set(case_columns(s).id)
    out = _dupes("terminated", [t.court for t in s.terminated])
    seen: set[str] = set()
    for i, stock in enumerate(s.terminated):
        where = f"terminated[{i}]"
        if stock.court not in courts:
            out.append(Defect(f"{where}.court", stock.court,
                              f"court '{stock.court}' is not defined"))
        if stock.total is not None and stock.total < len(stock.cases):
            out.append(Defect(f"{where}.total", stock.court, f"total {stock.total} is below the "
                              f"{len(stock.cases)} cases listed"))
        for j, t in enumerate(stock.cases):
            at = f"{where}.cases[{j}]"
            if t.id in open_ids:
                out.append(Defect(at, t.id, "also listed as an open case (a restored case has a "
                                  "new 执恢 number)"))
            if t.id in seen:
                out.append(Defect(at, t.id, f"'{t.id}' is listed twice (重复)"))
            seen.add(t.id)
            if t.terminated > s.period.start:
                out.append(Defect(f"{at}.terminated", t.id, f"终本 on {t.terminated}, after the "
                                  f"plan date {s.period.start}"))
            elif add_months(t.filed, ZHONGBEN_GATE_MONTHS) > t.terminated:
                out.append(Defect(f"{at}.terminated", t.id,
                                  f"终本 on {t.terminated}, less than three months after filing "
                                  f"on {t.filed}: 终本 needs more than three months since filing "
                                  "(终本规定第1条第4项); 立案未满三个月不得终本"))
    return out


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _check_history(s: Scenario) -> list[Defect]:
    courts = {c.id for c in s.courts}
    start = s.period.start.year * 12 + s.period.start.month - 1
    out = _dupes("history", [h.court for h in s.history])
    for i, h in enumerate(s.history):
        where = f"history[{i}]"
        if h.court not in courts:
            out.append(Defect(f"{where}.court", h.court, f"court '{h.court}' is not defined"))
        idx = [_month_index(m.month) for m in h.months]
        for j in range(1, len(idx)):
            if idx[j] != idx[j - 1] + 1:
                out.append(Defect(f"{where}.months[{j}].month", h.court,
                                  f"{h.months[j].month} does not follow {h.months[j - 1].month}: "
                                  "months are consecutive, oldest first"))
                break
        if idx[-1] >= start:
            out.append(Defect(f"{where}.months[{len(idx) - 1}].month", h.court,
                              f"{h.months[-1].month} is not before the plan date's month "
                              f"({s.period.start:%Y-%m})"))
    return out
