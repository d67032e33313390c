"""Plausible debtors, 终本库 and last-twelve-month histories for a generated scenario.

They come from their own random stream (seeded by the scenario's seed), drawn after the cases,
so a preset's courts and cases are the same with or without them. The rates are the projection's
published defaults (`optimizer/data/outcome_defaults.py`, docs/outcomes.md): a court's history is
its steady state at today's open caseload with ±8 % monthly noise and two seasonal dips (the
Spring Festival in February, fewer filings; the year-end push in December, more closures).

No debtor is given a written consent to 执转破: consent is a party's act, rare and never
guessed; the screening of a generated scenario lists `consult` groups, and the named scenarios
of the tests show `transfer`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import numpy as np

from optimizer.data.generate.names import case_number
from optimizer.data.outcome_defaults import DEFAULTS, steady_state
from optimizer.data.validate_outcomes import add_months, credit_code_check_digit

_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_FILING_SEASON = np.array([1.05, 0.7, 1.1, 1.0, 1.0, 1.05, 1.0, 0.95, 1.0, 0.9, 1.05, 1.2])
_CLOSING_SEASON = np.array([0.9, 0.75, 1.0, 1.0, 1.0, 1.05, 1.0, 1.0, 1.0, 0.95, 1.05, 1.3])


def outcome_blocks(scenario: dict[str, Any], seed: int, start: dt.date) -> dict[str, Any]:
    """The `debtors`, `terminated` and `history` blocks for `scenario` (a generated dict)."""
    rng = np.random.default_rng([seed, 17])
    holders = sorted({k["court"] for k in scenario["cases"]})
    by_id = {c["id"]: c for c in scenario["courts"]}
    terminated = _terminated(rng, scenario, holders, by_id, start)
    return {"debtors": _debtors(rng, scenario, terminated),
            "terminated": terminated,
            "history": [_history(rng, by_id[c], start) for c in holders]}


def _terminated(rng: np.random.Generator, scenario: dict[str, Any], holders: list[str],
                by_id: dict[str, dict[str, Any]], start: dt.date) -> list[dict[str, Any]]:
    """Each holding court's 终本库: its steady-state size, and one to three listed 终本 cases for
    three in ten firms with related cases (the screening's signs of insolvency)."""
    cases_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for k in scenario["cases"]:
        cases_of[k["debtor_id"]].append(k)
    listed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    firms = [d for d, ks in cases_of.items()
             if len(ks) >= 2 and ks[0]["debtor"]["kind"] in ("company", "state_owned")]
    for d in firms:
        if rng.random() >= 0.3:
            continue
        for j in range(int(rng.integers(1, 4))):
            court = cases_of[d][j % len(cases_of[d])]["court"]
            filed = start - dt.timedelta(days=int(rng.integers(400, 1800)))
            ended = add_months(filed, 3) + dt.timedelta(days=int(rng.integers(1, 270)))
            listed[court].append({
                # serials above the open cases' (which stay below 50,000 a court a year)
                "id": case_number(by_id[court], filed.year, 50_001 + len(listed[court])),
                "debtor_id": d, "filed": filed.isoformat(),
                "terminated": min(ended, start - dt.timedelta(days=1)).isoformat(),
                "amount": float(round(rng.lognormal(12.5, 1.2), 2))})
    out = []
    for c in holders:
        stock = steady_state(float(by_id[c]["open_caseload"])).zhongben_stock
        total = max(_whole(stock * rng.uniform(0.8, 1.2)), len(listed[c]))
        out.append({"court": c, "total": total, "cases": listed[c]})
    return out


def _debtors(rng: np.random.Generator, scenario: dict[str, Any],
             terminated: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A record for each firm with related cases or a listed 终本 case: nine in ten private firms
    are 企业法人 (the others 合伙企业 and the like), state-owned ones all are; each with a valid
    统一社会信用代码 registered at its domicile."""
    first: dict[str, dict[str, Any]] = {}
    count: dict[str, int] = defaultdict(int)
    for k in scenario["cases"]:
        first.setdefault(k["debtor_id"], k)
        count[k["debtor_id"]] += 1
    with_zhongben = {t["debtor_id"] for stock in terminated for t in stock["cases"]}
    out = []
    for d in sorted(first):
        party = first[d]["debtor"]
        if party["kind"] not in ("company", "state_owned") or (
                count[d] < 2 and d not in with_zhongben):
            continue
        legal = party["kind"] == "state_owned" or rng.random() < 0.9
        body = "91" + party["place"][:6] + "".join(
            _CODE_CHARS[i] for i in rng.integers(0, len(_CODE_CHARS), size=9))
        out.append({"id": d, "kind": "enterprise_legal_person" if legal else "other_organisation",
                    "credit_code": body + credit_code_check_digit(body)})
    return out


def _history(rng: np.random.Generator, court: dict[str, Any], start: dt.date) -> dict[str, Any]:
    """Twelve months before `start` around the court's steady state, ending near today's
    open caseload."""
    steady = steady_state(float(court["open_caseload"]))
    shares = DEFAULTS.outcome_shares
    pending = float(court["open_caseload"]) * rng.uniform(0.9, 1.1)
    months = []
    for back in range(12, 0, -1):
        month = add_months(start.replace(day=1), -back)
        filed = steady.filings * _FILING_SEASON[month.month - 1] * rng.normal(1, 0.08)
        restored = steady.restorations * rng.normal(1, 0.08)
        closed = steady.exits * _CLOSING_SEASON[month.month - 1] * rng.normal(1, 0.08)
        closed = min(closed, pending + filed + restored)
        split = np.round(closed * shares).astype(int)
        pending = max(pending + filed + restored - split.sum(), 0.0)
        months.append({"month": f"{month:%Y-%m}", "filed": _whole(filed),
                       "restored": _whole(restored),
                       "closed_done": int(split[0]), "closed_terminated": int(split[1]),
                       "closed_other": int(split[2]), "pending_end": _whole(pending)})
    return {"court": court["id"], "months": months}


def _whole(x: float) -> int:
    """A count: rounded, never negative, a plain int (JSON)."""
    return int(np.rint(max(float(x), 0.0)))
