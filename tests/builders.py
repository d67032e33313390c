"""Small hand-made scenarios for tests: one intermediate court over a few basic courts.

Places are real Lishui counties, so travel times come from real coordinates.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

PLACES = [
    {"id": "331100", "name": "丽水市", "lon": 119.922796, "lat": 28.46763},
    {"id": "331102", "name": "莲都区", "lon": 119.912626, "lat": 28.445928},
    {"id": "331121", "name": "青田县", "lon": 120.289478, "lat": 28.139837},
    {"id": "331122", "name": "缙云县", "lon": 120.091572, "lat": 28.659283},
    {"id": "331127", "name": "景宁畲族自治县", "lon": 119.635739, "lat": 27.9733},
]

#: Places of a second and third prefecture and of the province, for scenarios under the high court.
ZHEJIANG_PLACES = [
    {"id": "330000", "name": "浙江省", "lon": 120.153576, "lat": 30.287459},
    {"id": "330700", "name": "金华市", "lon": 119.649506, "lat": 29.089524},
    {"id": "330702", "name": "婺城区", "lon": 119.571, "lat": 29.0863},
    {"id": "330300", "name": "温州市", "lon": 120.672111, "lat": 28.000575},
    {"id": "330302", "name": "鹿城区", "lon": 120.655, "lat": 28.0152},
]

#: Where the parties of a case live by default: the county of the case's court.
HOME = {"A": "331102", "B": "331121", "C": "331122", "M": "331100", "J": "330702", "W": "330302"}

#: Every weight zero: a test switches on exactly the terms it computes by hand.
ZERO_WEIGHTS = {
    "applicant_travel": 0.0, "debtor_travel": 0.0, "asset_travel": 0.0, "entrust_matter": 0.0,
    "change_court": 0.0, "applicant_objection": 0.0, "preferred_court_bonus": 0.0,
    "mode_internal": 0.0, "mode_supervise": 0.0, "mode_designate": 0.0,
    "mode_concentrate": 0.0, "mode_coordinate": 0.0, "mode_elevate": 0.0,
    "unresolved_passive": 0.0, "unresolved_overdue": 0.0, "unresolved_complex": 0.0,
    "unresolved_understaffed": 0.0, "unresolved_request": 0.0, "unresolved_related": 0.0,
    "unresolved_watch": 0.0,
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


def zhejiang_courts(**overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """浙江高院 over two prefectures: 丽水 (M1: A 莲都, B 青田, C 缙云) and 金华 (M2: J 婺城).

    The intermediate courts have no officers of their own (no 提级 to them), like `base_courts`."""
    courts = [
        court("H", "浙江省高级人民法院", "high", None, "330000", officers=0, caseload=0),
        court("M1", "丽水市中级人民法院", "intermediate", "H", "331100", officers=0, caseload=0),
        court("A", "丽水市莲都区人民法院", "basic", "M1", "331102"),
        court("B", "青田县人民法院", "basic", "M1", "331121"),
        court("C", "缙云县人民法院", "basic", "M1", "331122"),
        court("M2", "金华市中级人民法院", "intermediate", "H", "330700", officers=0, caseload=0),
        court("J", "金华市婺城区人民法院", "basic", "M2", "330702"),
    ]
    for c in courts:
        c.update(overrides.get(c["id"], {}))
    return courts


def case(cid: str, court_id: str, *, filed: str = "2025-12-01", workload: float = 1.0,
         debtor_place: str | None = None, debtor_kind: str = "company", debtor_id: str | None = None,
         applicant_place: str | None = None, assets: list[dict[str, Any]] | None = None,
         **flags: Any) -> dict[str, Any]:
    home = HOME.get(court_id, "331102")
    property_found = flags.pop("property_found", None)
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
    if property_found is not None:  # only when asked: older scenario formats lack the field
        out["property_found"] = property_found
    assert not flags, f"unknown case options {flags}"
    return out


def scenario(cases: list[dict[str, Any]], courts: list[dict[str, Any]] | None = None, *,
             weights: dict[str, Any] | None = None, rules: dict[str, Any] | None = None,
             dispatcher: str = "M", start: str = "2026-01-01", end: str | None = None,
             places: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A scenario dict; `start` is the plan date (the Art. 237 clock date), `end` defaults to
    about six months later."""
    if end is None:
        end = (dt.date.fromisoformat(start) + dt.timedelta(days=180)).isoformat()
    return {
        "format_version": 1,
        "name": "测试场景",
        "dispatcher": dispatcher,
        "period": {"start": start, "end": end},
        "places": copy.deepcopy(places if places is not None else PLACES),
        "courts": courts if courts is not None else base_courts(),
        "cases": cases,
        "weights": {**ZERO_WEIGHTS, **(weights or {})},
        "rules": {"max_utilisation": None, **(rules or {})},
    }


def zhejiang_scenario(cases: list[dict[str, Any]], courts: list[dict[str, Any]] | None = None,
                      **kw: Any) -> dict[str, Any]:
    """`scenario` over `zhejiang_courts` with the high court H as dispatcher (unless given)."""
    kw.setdefault("dispatcher", "H")
    return scenario(cases, courts if courts is not None else zhejiang_courts(),
                    places=PLACES + ZHEJIANG_PLACES, **kw)


def two_prefecture_courts(**overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """A high court H over two intermediate courts: M1 (莲都 A, 缙云 B) and M2 (青田 C, 景宁 D)."""
    courts = [
        court("H", "浙江省高级人民法院", "high", None, "331100", officers=40, caseload=100),
        court("M1", "丽水市中级人民法院", "intermediate", "H", "331100", officers=30, caseload=100),
        court("M2", "青田中级人民法院", "intermediate", "H", "331121", officers=30, caseload=100),
        court("A", "丽水市莲都区人民法院", "basic", "M1", "331102"),
        court("B", "缙云县人民法院", "basic", "M1", "331122"),
        court("C", "青田县人民法院", "basic", "M2", "331121"),
        court("D", "景宁畲族自治县人民法院", "basic", "M2", "331127"),
    ]
    for c in courts:
        c.update(overrides.get(c["id"], {}))
    return courts
