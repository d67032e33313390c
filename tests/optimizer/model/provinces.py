"""A two-prefecture tree for the model tests: a high court over Lishui and Wenzhou.

H (浙江高院) ── M1 (丽水中院) ── A (莲都), B (青田)
            └─ M2 (温州中院) ── W1 (鹿城), W2 (瑞安)
"""

from __future__ import annotations

from typing import Any

from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from tests.builders import PLACES, case, court, scenario

EXTRA_PLACES = [
    {"id": "330000", "name": "浙江省", "lon": 120.153576, "lat": 30.287459},
    {"id": "330300", "name": "温州市", "lon": 120.672111, "lat": 28.000575},
    {"id": "330302", "name": "鹿城区", "lon": 120.674231, "lat": 28.003352},
    {"id": "330381", "name": "瑞安市", "lon": 120.646171, "lat": 27.779321},
]
HOME = {"H": "330000", "M1": "331100", "A": "331102", "B": "331121",
        "M2": "330300", "W1": "330302", "W2": "330381"}


def province_courts(**overrides: dict[str, Any]) -> list[dict[str, Any]]:
    courts = [
        court("H", "浙江省高级人民法院", "high", None, HOME["H"], officers=0, caseload=0),
        court("M1", "丽水市中级人民法院", "intermediate", "H", HOME["M1"], officers=0, caseload=0),
        court("A", "丽水市莲都区人民法院", "basic", "M1", HOME["A"]),
        court("B", "青田县人民法院", "basic", "M1", HOME["B"]),
        court("M2", "温州市中级人民法院", "intermediate", "H", HOME["M2"], officers=0, caseload=0),
        court("W1", "温州市鹿城区人民法院", "basic", "M2", HOME["W1"]),
        court("W2", "瑞安市人民法院", "basic", "M2", HOME["W2"]),
    ]
    for c in courts:
        c.update(overrides.get(c["id"], {}))
    return courts


def pcase(cid: str, court_id: str, **kw: Any) -> dict[str, Any]:
    """A case at `court_id` whose parties and assets sit in that court's county."""
    home = HOME[court_id]
    kw.setdefault("debtor_place", home)
    kw.setdefault("applicant_place", home)
    return case(cid, court_id, **kw)


def province(cases: list[dict[str, Any]], courts: list[dict[str, Any]] | None = None, *,
             weights: dict[str, Any] | None = None, rules: dict[str, Any] | None = None,
             dispatcher: str = "H") -> dict[str, Any]:
    data = scenario(cases, courts if courts is not None else province_courts(), weights=weights,
                    rules=rules, dispatcher=dispatcher)
    data["places"] = [*PLACES, *EXTRA_PLACES]
    return data


def compile_(data: dict[str, Any]) -> Problem:
    return Problem.from_scenario(parse_scenario(data))
