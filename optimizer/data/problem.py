"""A validated scenario compiled into immutable numpy arrays.

Everything downstream (options, costs, solver, checks) reads these arrays, never the JSON.
Weights and rules are parameters: `Problem.replace` swaps them (or the scenario's staffing and
caseload) without recomputing the travel times, which dominate the build at national scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from optimizer.data.case_columns import case_columns, days
from optimizer.data.geography import travel_minutes
from optimizer.data.scenario import Level, PartyKind, PriorAction, Rules, Scenario, Weights
from optimizer.data.validate import courts_at_and_below
from optimizer.law.calendar import Calendar, national_calendar
from optimizer.law.clock import STATUTORY_MONTHS, clock_start, is_overdue, period_end
from optimizer.law.courts import BASIC, HIGH, INTERMEDIATE, SUPREME, CourtTree
from optimizer.law.modes import Trigger

if TYPE_CHECKING:
    from optimizer.data.screening import DebtorScreening

# case history (prior_action), as codes in `Problem.case_prior`
PRIOR_NONE, PRIOR_DEADLINE_MISSED, PRIOR_DESIGNATED = 0, 1, 2
_PRIOR: dict[str, int] = {PriorAction.NONE: PRIOR_NONE,
                          PriorAction.SUPERVISED_DEADLINE_MISSED: PRIOR_DEADLINE_MISSED,
                          PriorAction.DESIGNATED: PRIOR_DESIGNATED}
LEVEL_RANK = {Level.SUPREME: SUPREME, Level.HIGH: HIGH, Level.INTERMEDIATE: INTERMEDIATE,
              Level.BASIC: BASIC}


def _frozen(a: NDArray) -> NDArray:
    a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Problem:
    """Compiled arrays of one scenario. Build with `Problem.from_scenario`."""

    scenario: Scenario
    place_codes: tuple[str, ...]
    travel: NDArray[np.float32]  # (places, places) minutes
    court_ids: tuple[str, ...]
    court_level: NDArray[np.int8]
    court_parent: NDArray[np.int64]  # -1 at the top
    court_place: NDArray[np.int64]
    officers: NDArray[np.int64]
    teams: NDArray[np.int64]
    open_caseload: NDArray[np.float64]
    cases_per_officer: NDArray[np.float64]
    in_district: NDArray[np.bool_]
    case_court: NDArray[np.int64]
    case_workload: NDArray[np.float64]
    case_applicant_place: NDArray[np.int64]
    case_debtor_place: NDArray[np.int64]
    case_debtor: NDArray[np.int64]  # debtor index (links related cases)
    case_state_debtor: NDArray[np.bool_]
    case_clock_start: NDArray[np.datetime64]  # Art. 237 clock start: filing or property found
    case_excluded_days: NDArray[np.int64]  # periods not counted (执行程序解释 Art. 13)
    case_has_assets: NDArray[np.bool_]
    case_act: NDArray[np.bool_]
    case_objects: NDArray[np.bool_]
    case_preferred: NDArray[np.int64]  # court index or -1
    case_prior: NDArray[np.int8]  # PRIOR_NONE / PRIOR_DEADLINE_MISSED / PRIOR_DESIGNATED
    case_flags: NDArray[np.int64]  # Trigger bits from the file (passive, complex, request, ...)
    asset_case: NDArray[np.int64]
    asset_place: NDArray[np.int64]
    asset_share: NDArray[np.float64]  # share of the case's asset value
    #: debtors whose 执转破 transfer the planner overrode (changes `not_transfer`, or a pin)
    transfer_released: frozenset[str] = field(default=frozenset())

    @classmethod
    def from_scenario(cls, s: Scenario) -> Problem:
        places = [p.id for p in s.places]
        pidx = {p: i for i, p in enumerate(places)}
        lon = np.array([p.lon for p in s.places], dtype=np.float64)
        lat = np.array([p.lat for p in s.places], dtype=np.float64)
        travel = travel_minutes(lon, lat, s.rules.detour_factor, s.rules.speed_kmh)
        cidx = {c.id: i for i, c in enumerate(s.courts)}
        arrays = {**_court_arrays(s, pidx, cidx), **_case_arrays(s, pidx, cidx),
                  **_asset_arrays(s, pidx)}
        return cls(scenario=s, place_codes=tuple(places), travel=_frozen(travel),
                   court_ids=tuple(cidx),
                   **{k: _frozen(v) for k, v in arrays.items()})  # type: ignore[arg-type]

    def replace(self, *, weights: Weights | None = None, rules: Rules | None = None,
                officers: NDArray[np.int64] | None = None,
                open_caseload: NDArray[np.float64] | None = None,
                transfer_released: frozenset[str] | None = None) -> Problem:
        """The same problem under other weights or rules, or with other staffing or caseloads
        per court (a what-if), sharing every other array — travel times included. Rules that
        change the geometry (`detour_factor`, `speed_kmh`) rebuild it. The scenario is updated
        to match, so a plan of the variant reads and checks against its own scenario."""
        s = self.scenario
        new_rules = rules or s.rules
        update: dict[str, object] = {"weights": weights or s.weights, "rules": new_rules}
        arrays: dict[str, NDArray] = {}
        if officers is not None or open_caseload is not None:
            off = self.officers if officers is None else np.asarray(officers, dtype=np.int64)
            load = (self.open_caseload if open_caseload is None
                    else np.asarray(open_caseload, dtype=np.float64))
            if off.shape != self.officers.shape or load.shape != self.open_caseload.shape:
                raise ValueError("officers and open_caseload need one value per court")
            if np.any(off < 0) or not np.all(np.isfinite(load)) or np.any(load < 0):
                raise ValueError("officers and open caseloads must be finite and not negative")
            update["courts"] = tuple(
                c.model_copy(update={"officers": int(o), "open_caseload": float(x)})
                for c, o, x in zip(s.courts, off.tolist(), load.tolist(), strict=True))
            arrays = {"officers": _frozen(off.copy()), "open_caseload": _frozen(load.copy())}
        if transfer_released is not None:
            arrays["transfer_released"] = transfer_released  # type: ignore[assignment]
        scenario = s.model_copy(update=update)
        if (new_rules.detour_factor, new_rules.speed_kmh) != (s.rules.detour_factor,
                                                               s.rules.speed_kmh):
            return replace(Problem.from_scenario(scenario),
                           transfer_released=arrays.get("transfer_released",  # type: ignore[arg-type]
                                                        self.transfer_released))
        # a fresh instance: derived quantities (cached properties) depend on these
        return replace(self, scenario=scenario, **arrays)  # type: ignore[arg-type]

    # ---------- derived quantities ----------
    @property
    def weights(self) -> Weights:
        return self.scenario.weights

    @property
    def rules(self) -> Rules:
        return self.scenario.rules

    @cached_property
    def tree(self) -> CourtTree:
        return CourtTree(self.court_parent, self.court_level, self.court_place, self.place_codes)

    @cached_property
    def case_ids(self) -> tuple[str, ...]:
        """Each case's 案号, in case order."""
        return case_columns(self.scenario).id

    @property
    def n_cases(self) -> int:
        return len(self.case_court)

    @property
    def n_courts(self) -> int:
        return len(self.court_ids)

    @cached_property
    def capacity(self) -> NDArray[np.float64]:
        """Workload units each court's own officers carry in the period."""
        return self.officers * self.cases_per_officer

    @cached_property
    def utilisation_before(self) -> NDArray[np.float64]:
        cap = self.capacity
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(cap > 0, self.open_caseload / np.where(cap > 0, cap, 1), np.inf)

    @cached_property
    def understaffed_court(self) -> NDArray[np.bool_]:
        """Courts short of staff before the plan (执行力量不足: utilisation above
        `rules.understaffed_utilisation`): their cases may borrow officers (协同执行), and they
        lend none (协同 brings force to the court that lacks it)."""
        return _frozen(self.utilisation_before > self.rules.understaffed_utilisation)

    @cached_property
    def calendar(self) -> Calendar:
        """法定休假日: the shipped State Council arrangements with the scenario's additions."""
        c = self.scenario.calendar
        return national_calendar().with_days(c.holidays, c.working_days, c.covers_years)

    @cached_property
    def overdue(self) -> NDArray[np.bool_]:
        """Past the Art. 237 clock at the plan date (`period.start`), with property or an act
        obligation to execute (执行程序解释 Art. 10): six calendar months, a last day on a
        法定休假日 moving to the next working day (民事诉讼法第85条第3款)."""
        late = is_overdue(self.case_clock_start, self.case_excluded_days,
                          self.scenario.period.start, STATUTORY_MONTHS, self.calendar)
        return late & (self.case_has_assets | self.case_act)

    @cached_property
    def watch(self) -> NDArray[np.bool_]:
        """Past the planner's watch period for 督促 (`rules.watch_months`, 执行工作规定第74条第1款)
        but not past the statutory six months; all False when the watch is off."""
        months = self.rules.watch_months
        if months is None:
            return np.zeros(self.n_cases, dtype=bool)
        late = is_overdue(self.case_clock_start, self.case_excluded_days,
                          self.scenario.period.start, months, self.calendar)
        return late & (self.case_has_assets | self.case_act) & ~self.overdue

    def clock_end(self, months: int = STATUTORY_MONTHS) -> NDArray[np.datetime64]:
        """Each case's last day of the period (the Art. 237 clock by default), holidays counted."""
        return period_end(self.case_clock_start, months, self.case_excluded_days, self.calendar)

    @cached_property
    def early_request(self) -> NDArray[np.bool_]:
        """The applicant asked for the court one level up before the six months: a wish."""
        return ((self.case_flags & int(Trigger.REQUEST)) != 0) & ~self.overdue

    @cached_property
    def terminable(self) -> NDArray[np.bool_]:
        """终本 candidates: no property and no act obligation; not Art. 237 cases."""
        return ~self.case_has_assets & ~self.case_act

    @cached_property
    def screening(self) -> DebtorScreening:
        """执转破 screening of the district's debtor groups (`optimizer/data/screening.py`)."""
        from optimizer.data.screening import screen  # (it reads the scenario, not the arrays)

        return screen(self.scenario, self.case_debtor, self.case_court)

    @cached_property
    def suspended(self) -> NDArray[np.bool_]:
        """Cases of a debtor group sent to bankruptcy review (执转破 `transfer`): suspended
        (中止) in every court, neither moved, concentrated nor lent for (民诉法解释第511条),
        unless the planner overrode it (`transfer_released`). Only written consent can make a
        transfer, and consent lives in the debtors block: without one, nothing is suspended."""
        if not any(d.consent is not None for d in self.scenario.debtors):
            return _frozen(np.zeros(self.n_cases, dtype=bool))
        out = self.screening.transfer_cases()
        if self.transfer_released:
            released = np.array([x in self.transfer_released
                                 for x in case_columns(self.scenario).debtor_id], dtype=bool)
            out &= ~released
        return _frozen(out)

    @cached_property
    def not_planned(self) -> NDArray[np.bool_]:
        """Cases no mode may touch: 终本 candidates and suspended 执转破 groups."""
        return _frozen(self.terminable | self.suspended)

    @cached_property
    def triggers(self) -> NDArray[np.int64]:
        """Trigger bits per case, including the derived ones (overdue, understaffed, related)."""
        t = self.case_flags.copy()
        t |= self.overdue * int(Trigger.OVERDUE)
        t |= self.watch * int(Trigger.WATCH)
        # an applicant's request to the court one level up exists only past the six months
        # (民事诉讼法第237条; 执行程序解释第10条): before that it is a wish, not a trigger
        t &= ~np.where(self.overdue, 0, int(Trigger.REQUEST))
        t |= self.understaffed_court[self.case_court] * int(Trigger.UNDERSTAFFED)
        grp = self.related_groups[0]
        t = np.where(grp >= 0, t | int(Trigger.RELATED), t & ~int(Trigger.RELATED))
        # 终本 candidates and suspended 执转破 groups are not moved; cases outside the district
        # are nobody's decision here
        t[self.not_planned | ~self.in_district[self.case_court]] = 0
        return t

    @cached_property
    def related_groups(self) -> tuple[NDArray[np.int64], int]:
        """(group index per case or -1, number of groups): a debtor's non-终本 cases spread over
        at least `concentrate_min_courts` courts and numbering at least `concentrate_min_cases`."""
        r = self.rules
        eligible = ~self.not_planned & self.in_district[self.case_court]
        deb = np.where(eligible, self.case_debtor, -1)
        n_debt = int(self.case_debtor.max()) + 1 if self.n_cases else 0
        count = np.bincount(deb[deb >= 0], minlength=n_debt)
        pairs = np.unique(np.column_stack([deb, self.case_court])[deb >= 0], axis=0)
        courts = np.bincount(pairs[:, 0], minlength=n_debt) if len(pairs) else np.zeros(n_debt, int)
        ok = (count >= r.concentrate_min_cases) & (courts >= r.concentrate_min_courts)
        group_of_debtor = np.full(n_debt, -1, dtype=np.int64)
        group_of_debtor[ok] = np.arange(int(ok.sum()))
        grp = np.where(deb >= 0, group_of_debtor[np.maximum(deb, 0)], -1)
        return grp, int(ok.sum())


def _court_arrays(s: Scenario, pidx: dict[str, int], cidx: dict[str, int]) -> dict[str, NDArray]:
    district = courts_at_and_below(s, s.dispatcher)
    return {
        "court_level": np.array([LEVEL_RANK[c.level] for c in s.courts], dtype=np.int8),
        "court_parent": np.array([cidx[c.parent] if c.parent else -1 for c in s.courts],
                                 dtype=np.int64),
        "court_place": np.array([pidx[c.place] for c in s.courts], dtype=np.int64),
        "officers": np.array([c.officers for c in s.courts], dtype=np.int64),
        "teams": np.array([c.teams for c in s.courts], dtype=np.int64),
        "open_caseload": np.array([c.open_caseload for c in s.courts], dtype=np.float64),
        "cases_per_officer": np.array([c.cases_per_officer for c in s.courts], dtype=np.float64),
        "in_district": np.array([c.id in district for c in s.courts], dtype=bool),
    }


def _codes(values: tuple[str, ...], index: dict[str, int]) -> NDArray[np.int64]:
    return np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))


def _bools(values: tuple[bool, ...]) -> NDArray[np.bool_]:
    return np.array(values, dtype=bool)


def _case_arrays(s: Scenario, pidx: dict[str, int], cidx: dict[str, int]) -> dict[str, NDArray]:
    k = case_columns(s)
    n = len(k.court)
    flags = np.zeros(n, dtype=np.int64)
    flags |= _bools(k.passive_handling) * int(Trigger.PASSIVE)
    flags |= _bools(k.complex) * int(Trigger.COMPLEX)
    flags |= _bools(k.interference) * int(Trigger.INTERFERENCE)
    flags |= _bools(k.requests_escalation) * int(Trigger.REQUEST)
    prior = np.array([_PRIOR[x] for x in k.prior_action], dtype=np.int8)
    flags |= (prior == PRIOR_DEADLINE_MISSED) * int(Trigger.DEADLINE_MISSED)
    filed = days(k.filed)
    found = np.where(np.array([x is None for x in k.property_found], dtype=bool), filed,
                     days(k.property_found, missing=s.period.start))
    debtors: dict[str, int] = {}
    return {
        "case_court": _codes(k.court, cidx),
        "case_workload": np.array(k.workload, dtype=np.float64),
        "case_applicant_place": _codes(k.applicant_place, pidx),
        "case_debtor_place": _codes(k.debtor_place, pidx),
        "case_debtor": np.array([debtors.setdefault(x, len(debtors)) for x in k.debtor_id],
                                dtype=np.int64),
        "case_state_debtor": np.isin(np.array(k.debtor_kind, dtype=object),
                                     [PartyKind.STATE_OWNED.value, PartyKind.GOVERNMENT.value]),
        "case_clock_start": clock_start(filed, found, _bools(k.act_obligation)),
        "case_excluded_days": np.array(k.excluded_days, dtype=np.int64),
        "case_act": _bools(k.act_obligation),
        "case_objects": _bools(k.objects_to_transfer),
        "case_preferred": np.array([cidx[x] if x else -1 for x in k.preferred_court],
                                   dtype=np.int64),
        "case_prior": prior,
        "case_flags": flags,
    }


def _asset_arrays(s: Scenario, pidx: dict[str, int]) -> dict[str, NDArray]:
    cols = case_columns(s)
    n = len(cols)
    asset_case = cols.asset_case()
    asset_value = np.array(cols.asset_value, dtype=np.float64)
    a_place = _codes(cols.asset_place, pidx)
    n_assets = np.bincount(asset_case, minlength=n)
    total = np.bincount(asset_case, weights=asset_value, minlength=n)
    share = np.where(total[asset_case] > 0, asset_value / np.maximum(total[asset_case], 1e-300),
                     1.0 / np.maximum(n_assets[asset_case], 1))
    return {"asset_case": asset_case, "asset_place": np.array(a_place, dtype=np.int64),
            "asset_share": share, "case_has_assets": n_assets > 0}
