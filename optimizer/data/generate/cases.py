"""The enforcement cases of a scenario: their courts, debtors, parties, assets and flags.

The random draws, in order: the holding courts and the debtors (see debtors.py); the per-case
attributes as whole arrays (`CaseDraws`); then case by case, the serial number, the applicant's
place, the assets, the workload of a complex case and the applicant's name. Changing that order
changes every scenario generated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np

from optimizer.data.generate.courts import CourtTree, add_far_places
from optimizer.data.generate.debtors import (
    DEBTOR_KINDS,
    Debtors,
    case_holders,
    draw_debtors,
    draw_holding_courts,
)
from optimizer.data.generate.names import case_number, company_name, debtor_name, person_name

ASSET_KINDS = ("deposit", "real_estate", "vehicle", "equity")
# chance of an interference flag by debtor kind: rare for persons, common for state bodies
INTERFERENCE_P = np.array([0.004, 0.03, 0.7, 0.75])


@dataclass(frozen=True)
class CaseDraws:
    """Per-case attributes drawn as whole arrays, one entry per case."""

    age: np.ndarray  # days since filing, lognormal around 210, 20–1500
    excluded: np.ndarray  # days that do not count toward the deadline (30 %: 0–59, ≤ half the age)
    amount: np.ndarray  # yuan, lognormal around 100,000
    n_assets: np.ndarray  # 0–4 assets
    passive: np.ndarray  # 8 % passive handling
    complex_: np.ndarray  # 3 %, and half of those above 5 million yuan
    act: np.ndarray  # 3 % act obligations (not money)
    app_person: np.ndarray  # 60 % of applicants are persons
    app_roll: np.ndarray  # places the applicant
    objects: np.ndarray  # 5 % of applicants object to a transfer
    requests: np.ndarray  # 8 % request escalation (kept where the case is older than 180 days)
    prior_roll: np.ndarray  # 3 % designated before, 3 % supervised with a missed deadline
    interference_roll: np.ndarray  # compared with INTERFERENCE_P of the debtor's kind

    @classmethod
    def draw(cls, rng: np.random.Generator, n: int) -> CaseDraws:
        """Draw the arrays for n cases, in the order of the fields."""
        age = np.clip(rng.lognormal(np.log(210), 0.65, size=n), 20, 1500).astype(int)
        excl = np.where(rng.random(n) < 0.3, rng.integers(0, 60, size=n), 0)
        excl = np.minimum(excl, age // 2)
        amount = np.round(np.exp(rng.normal(11.5, 1.4, size=n)), 2)
        n_assets = rng.choice(5, size=n, p=[0.28, 0.32, 0.22, 0.12, 0.06])
        passive = rng.random(n) < 0.08
        complex_ = (rng.random(n) < 0.03) | (amount > 5e6) & (rng.random(n) < 0.5)
        act = rng.random(n) < 0.03
        app_person = rng.random(n) < 0.6
        app_roll = rng.random(n)
        objects = rng.random(n) < 0.05
        requests = rng.random(n) < 0.08
        prior_roll = rng.random(n)
        interference_roll = rng.random(n)
        return cls(age, excl, amount, n_assets, passive, complex_, act, app_person, app_roll, objects,
                   requests, prior_roll, interference_roll)


def build_cases(tree: CourtTree, rng: np.random.Generator, n: int, start: dt.date) -> list[dict[str, Any]]:
    """n cases open at `start`, then each court's open caseload raised to cover its listed cases."""
    holders = case_holders(tree.courts)
    court_idx = draw_holding_courts(rng, holders, n)
    far = add_far_places(tree)
    debtors = draw_debtors(rng, holders, court_idx)
    draws = CaseDraws.draw(rng, n)
    writer = _CaseWriter(tree, rng, holders, far, debtors, draws, start)
    cases = [writer.case(k, int(court_idx[k])) for k in range(n)]
    _cover_listed_cases(tree.courts, cases)
    return cases


def _cover_listed_cases(courts: list[dict[str, Any]], cases: list[dict[str, Any]]) -> None:
    """Listed cases are part of each court's open caseload: raise it to 1.25 × their workload."""
    listed: dict[str, float] = {}
    for case in cases:
        listed[case["court"]] = listed.get(case["court"], 0.0) + case["workload"]
    for c in courts:
        c["open_caseload"] = round(max(c["open_caseload"], listed.get(c["id"], 0.0) * 1.25), 1)


def _home_county(courts: list[dict[str, Any]], court: dict[str, Any]) -> str:
    """The county a court's parties live in: a basic court's own; for an intermediate court, the
    first basic court's county in its prefecture."""
    if court["level"] == "basic":
        return str(court["place"])
    pref = str(court["place"])[:4]
    for c in courts:
        if c["level"] == "basic" and str(c["place"]).startswith(pref):
            return str(c["place"])
    return str(court["place"])


class _CaseWriter:
    """Writes the case records one by one, drawing the per-case values in a fixed order."""

    def __init__(self, tree: CourtTree, rng: np.random.Generator, holders: list[dict[str, Any]],
                 far: list[str], debtors: Debtors, draws: CaseDraws, start: dt.date):
        self.places = tree.places
        self.rng = rng
        self.holders = holders
        self.far = far
        self.debtors = debtors
        self.d = draws
        self.start = start
        self.county_of = [_home_county(tree.courts, c) for c in holders]
        basic = [c for c in tree.courts if c["level"] == "basic"]
        self.counties_in_pref: dict[str, list[str]] = {}
        for c in basic:
            self.counties_in_pref.setdefault(c["place"][:4], []).append(c["place"])
        self.all_counties = [c["place"] for c in basic]
        self.serial: dict[tuple[str, int], int] = {}

    def _prefecture_counties(self, county: str) -> list[str]:
        return self.counties_in_pref.get(county[:4], [county])

    def _pick(self, pool: list[str]) -> str:
        """One place of `pool`, uniformly (one draw)."""
        return pool[int(self.rng.integers(len(pool)))]

    def _next_serial(self, court: str, year: int) -> int:
        """The court's next serial number of the year: numbers advance by 1–3 (one draw), as
        other cases take the ones between."""
        key = (court, year)
        self.serial[key] = self.serial.get(key, 0) + int(self.rng.integers(1, 4))
        return self.serial[key]

    def _debtor_place(self, dbt: int, kind: str) -> str:
        """Where the debtor lives, from its home roll: 80 % (and every government) the county of
        its first court, 15 % another county of that prefecture, 5 % far away. Draws nothing."""
        anchor = self.county_of[int(self.debtors.first_court[dbt])]
        anchor_pref = self._prefecture_counties(anchor)
        roll = self.debtors.home_roll[dbt]
        if roll < 0.8 or kind == "government":
            return anchor
        if roll < 0.95 or not self.far:
            return anchor_pref[int(roll * 1000) % len(anchor_pref)]
        return self.far[int(roll * 1000) % len(self.far)]

    def _applicant_place(self, k: int, home: str) -> str:
        """Where the applicant lives: 70 % the court's county, 20 % a county of its prefecture,
        10 % far away (or anywhere when there is no far place); one draw unless at home."""
        if self.d.app_roll[k] < 0.7:
            return home
        if self.d.app_roll[k] < 0.9:
            return self._pick(self._prefecture_counties(home))
        return self._pick(self.far or self.all_counties)

    def _assets(self, k: int, debtor_place: str, home: str) -> list[dict[str, Any]]:
        """The debtor's assets known in case k. Per asset, draws where it lies (60 % the debtor's
        county, 25 % a county of the court's prefecture, 15 % far away), then its kind, then its
        value (lognormal around 130,000 yuan)."""
        assets = []
        for a in range(int(self.d.n_assets[k])):
            r = self.rng.random()
            if r < 0.6:
                place = debtor_place
            elif r < 0.85:
                place = self._pick(self._prefecture_counties(home))
            else:
                place = self._pick(self.far or self.all_counties)
            assets.append({
                "id": f"A{k:06d}-{a + 1}",
                "kind": ASSET_KINDS[int(self.rng.integers(4))],
                "place": place,
                "value": float(round(np.exp(self.rng.normal(11.8, 1.3)), 2)),
            })
        return assets

    def _workload(self, k: int) -> float:
        """Work relative to a plain case: complex 2 or 3 (one draw), above a million yuan 1.5,
        nothing to seize 0.5."""
        if self.d.complex_[k]:
            return float(self.rng.choice([2.0, 3.0]))
        if self.d.amount[k] > 1e6:
            return 1.5
        if self.d.n_assets[k] == 0:
            return 0.5
        return 1.0

    def _prior_action(self, k: int) -> str:
        if self.d.prior_roll[k] < 0.03:
            return "designated"
        if self.d.prior_roll[k] < 0.06:
            return "supervised_deadline_missed"
        return "none"

    def _applicant(self, k: int, place: str) -> dict[str, Any]:
        """The applicant: a person (two draws) or a firm of its county (one draw)."""
        if self.d.app_person[k]:
            return {"name": person_name(self.rng), "kind": "person", "place": place}
        return {"name": company_name(self.rng, self.places[place]["name"]), "kind": "company",
                "place": place}

    def case(self, k: int, holder: int) -> dict[str, Any]:
        """The record of case k, held by holder number `holder`."""
        d = self.d
        court = self.holders[holder]
        home = self.county_of[holder]
        filed = self.start - dt.timedelta(days=int(d.age[k]))
        serial = self._next_serial(court["id"], filed.year)
        dbt = int(self.debtors.of[k])
        dkind = int(self.debtors.kind[dbt])
        kind = DEBTOR_KINDS[dkind]
        dplace = self._debtor_place(dbt, kind)
        aplace = self._applicant_place(k, home)
        assets = self._assets(k, dplace, home)
        workload = self._workload(k)
        return {
            "id": case_number(court, filed.year, serial),
            "court": court["id"],
            "filed": filed.isoformat(),
            "excluded_days": int(d.excluded[k]),
            "amount": float(d.amount[k]),
            "workload": workload,
            "applicant": self._applicant(k, aplace),
            "debtor": {"name": debtor_name(dbt, kind, self.places[dplace]["name"]), "kind": kind,
                       "place": dplace},
            "debtor_id": f"D{dbt:07d}",
            "assets": assets,
            "act_obligation": bool(d.act[k]),
            "flags": {
                "interference": bool(d.interference_roll[k] < INTERFERENCE_P[dkind]),
                "passive_handling": bool(d.passive[k]),
                "complex": bool(d.complex_[k]),
            },
            "wish": {
                "objects_to_transfer": bool(d.objects[k]),
                "requests_escalation": bool(d.requests[k] and d.age[k] - d.excluded[k] > 180),
                "preferred_court": None,
            },
            "prior_action": self._prior_action(k),
        }
