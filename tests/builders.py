"""Small hand-made scenarios for tests: one intermediate court over a few basic courts.

Places are real Lishui counties, so travel times come from real coordinates.
"""

from __future__ import annotations

import copy
from typing import Any

PLACES = [
    {"id": "331100", "name": "丽水市", "lon": 119.922796, "lat": 28.46763},
    {"id": "331102", "name": "莲都区", "lon": 119.912626, "lat": 28.445928},
    {"id": "331121", "name": "青田县", "lon": 120.289478, "lat": 28.139837},
    {"id": "331122", "name": "缙云县", "lon": 120.091572, "lat": 28.659283},
    {"id": "331127", "name": "景宁畲族自治县", "lon": 119.635739, "lat": 27.9733},
]

#: Every weight zero: a test switches on exactly the terms it computes by hand.
ZERO_WEIGHTS = {
    "applicant_travel": 0.0, "debtor_travel": 0.0, "asset_travel": 0.0, "entrust_matter": 0.0,
    "change_court": 0.0, "applicant_objection": 0.0, "preferred_court_bonus": 0.0,
    "mode_internal": 0.0, "mode_supervise": 0.0, "mode_designate": 0.0,
    "mode_concentrate": 0.0, "mode_coordinate": 0.0, "mode_elevate": 0.0,
    "unresolved_passive": 0.0, "unresolved_overdue": 0.0, "unresolved_complex": 0.0,
    "unresolved_understaffed": 0.0, "unresolved_request": 0.0, "unresolved_related": 0.0,
    "load_slopes": [0.0, 0.0, 0.0], "officer_lending": 0.0, "officer_lending_fixed": 0.0,
}


def court(cid: str, name: str, level: str, parent: str | None, place: str, *,
          officers: int = 20, teams: int = 1, caseload: float = 100.0, cpo: float = 60.0) -> dict[str, Any]:
    return {"id": cid, "name": name, "level": level, "parent": parent, "place": place,
            "officers": officers, "teams": teams, "open_caseload": caseload,
            "cases_per_officer": cpo}


def base_courts(**overrides: dict[str, Any]) -> list[dict[str, Any]]:
    courts = [
        court("M", "丽水市中级人民法院", "intermediate", None, "331100", officers=0, caseload=0),
        court("A", "丽水市莲都区人民法院", "basic", "M", "331102"),
        court("B", "青田县人民法院", "basic", "M", "331121"),
        court("C", "缙云县人民法院", "basic", "M", "331122"),
    ]
    for c in courts:
        c.update(overrides.get(c["id"], {}))
    return courts


def case(cid: str, court_id: str, *, filed: str = "2025-12-01", workload: float = 1.0,
         debtor_place: str | None = None, debtor_kind: str = "company", debtor_id: str | None = None,
         applicant_place: str | None = None, assets: list[dict[str, Any]] | None = None,
         **flags: Any) -> dict[str, Any]:
    home = {"A": "331102", "B": "331121", "C": "331122", "M": "331100"}.get(court_id, "331102")
    out: dict[str, Any] = {
        "id": cid, "court": court_id, "filed": filed, "excluded_days": flags.pop("excluded_days", 0),
        "amount": 100000.0, "workload": workload,
        "applicant": {"name": "王某", "kind": "person", "place": applicant_place or home},
        "debtor": {"name": "某某建设有限公司", "kind": debtor_kind, "place": debtor_place or home},
        "debtor_id": debtor_id or f"D-{cid}",
        "assets": assets if assets is not None else [
            {"id": f"{cid}-A1", "kind": "deposit", "place": debtor_place or home, "value": 1000.0}],
        "act_obligation": flags.pop("act_obligation", False),
        "flags": {"interference": flags.pop("interference", False),
                  "passive_handling": flags.pop("passive", False),
                  "complex": flags.pop("complex", False)},
        "wish": {"objects_to_transfer": flags.pop("objects", False),
                 "requests_escalation": flags.pop("requests", False),
                 "preferred_court": flags.pop("preferred", None)},
        "prior_action": flags.pop("prior", "none"),
    }
    assert not flags, f"unknown case options {flags}"
    return out


def scenario(cases: list[dict[str, Any]], courts: list[dict[str, Any]] | None = None, *,
             weights: dict[str, Any] | None = None, rules: dict[str, Any] | None = None,
             dispatcher: str = "M") -> dict[str, Any]:
    return {
        "format_version": 1,
        "name": "测试场景",
        "dispatcher": dispatcher,
        "period": {"start": "2026-01-01", "end": "2026-06-30"},
        "places": copy.deepcopy(PLACES),
        "courts": courts if courts is not None else base_courts(),
        "cases": cases,
        "weights": {**ZERO_WEIGHTS, **(weights or {})},
        "rules": {"max_utilisation": None, **(rules or {})},
    }
