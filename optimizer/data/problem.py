"""A validated scenario compiled into immutable numpy arrays, plus the legal vocabulary.

Everything downstream (options, costs, solver, checks) reads these arrays, never the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, IntFlag
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from optimizer.data.geography import travel_minutes
from optimizer.data.scenario import Level, PartyKind, PriorAction, Scenario
from optimizer.data.validate import district_of


class Mode(IntEnum):
    """Decision for one case. `.key` is the id used in output files."""

    KEEP = 0  # 不交叉
    INTERNAL = 1  # 内部交叉
    SUPERVISE = 2  # 督促执行
    DESIGNATE = 3  # 指令执行
    ELEVATE = 4  # 提级执行
    CONCENTRATE = 5  # 集中执行
    COORDINATE = 6  # 协同执行

    @property
    def key(self) -> str:
        return self.name.lower()

    @property
    def label(self) -> str:
        return MODE_LABELS[self]

    @classmethod
    def from_key(cls, key: str) -> Mode:
        return cls[key.upper()]


MODE_LABELS = {
    Mode.KEEP: "不交叉", Mode.INTERNAL: "内部交叉", Mode.SUPERVISE: "督促执行",
    Mode.DESIGNATE: "指令执行", Mode.ELEVATE: "提级执行", Mode.CONCENTRATE: "集中执行",
    Mode.COORDINATE: "协同执行",
}


class Trigger(IntFlag):
    """Reasons that make cross-execution necessary (必要性原则)."""

    PASSIVE = 1  # 消极执行
    OVERDUE = 2  # 超六个月未执行 (Art. 237), with property or an act obligation
    COMPLEX = 4  # 重大疑难复杂
    UNDERSTAFFED = 8  # 执行力量不足: court above the understaffed utilisation
    REQUEST = 16  # 申请执行人依第237条申请
    RELATED = 32  # 同一被执行人多案在不同法院
    INTERFERENCE = 64  # 不当干预: must leave the home locality (hard)
    DEADLINE_MISSED = 128  # 督促期满未执结: must be designated or elevated (hard)


TRIGGER_LABELS = {
    Trigger.PASSIVE: "消极执行", Trigger.OVERDUE: "超六个月未执行（第237条）",
    Trigger.COMPLEX: "重大疑难复杂", Trigger.UNDERSTAFFED: "执行力量不足",
    Trigger.REQUEST: "申请执行人申请上一级法院执行", Trigger.RELATED: "关联案件分散多院",
    Trigger.INTERFERENCE: "不当干预（地方保护）", Trigger.DEADLINE_MISSED: "督促期满未执结",
}

# which triggers a mode remedies; soft triggers left unremedied cost `unresolved_*`
REMEDIES: dict[Mode, Trigger] = {
    Mode.KEEP: Trigger(0),
    Mode.INTERNAL: Trigger.PASSIVE,
    Mode.SUPERVISE: Trigger.PASSIVE | Trigger.OVERDUE | Trigger.REQUEST,
    Mode.DESIGNATE: Trigger.PASSIVE | Trigger.OVERDUE | Trigger.UNDERSTAFFED | Trigger.REQUEST,
    Mode.ELEVATE: Trigger.PASSIVE | Trigger.OVERDUE | Trigger.COMPLEX | Trigger.UNDERSTAFFED
    | Trigger.REQUEST,
    Mode.CONCENTRATE: Trigger.PASSIVE | Trigger.OVERDUE | Trigger.COMPLEX | Trigger.UNDERSTAFFED
    | Trigger.RELATED,
    Mode.COORDINATE: Trigger.COMPLEX | Trigger.UNDERSTAFFED,
}
SOFT_TRIGGERS = (
    (Trigger.PASSIVE, "unresolved_passive"), (Trigger.OVERDUE, "unresolved_overdue"),
    (Trigger.COMPLEX, "unresolved_complex"), (Trigger.UNDERSTAFFED, "unresolved_understaffed"),
    (Trigger.REQUEST, "unresolved_request"), (Trigger.RELATED, "unresolved_related"),
)

LEVEL_RANK = {Level.SUPREME: 0, Level.HIGH: 1, Level.INTERMEDIATE: 2, Level.BASIC: 3}
_PRIOR: dict[str, int] = {PriorAction.NONE: 0, PriorAction.SUPERVISED_DEADLINE_MISSED: 1,
                          PriorAction.DESIGNATED: 2}


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
    case_net_age: NDArray[np.int64]
    case_has_assets: NDArray[np.bool_]
    case_act: NDArray[np.bool_]
    case_objects: NDArray[np.bool_]
    case_preferred: NDArray[np.int64]  # court index or -1
    case_prior: NDArray[np.int8]  # 0 none, 1 deadline missed, 2 designated
    case_flags: NDArray[np.int64]  # Trigger bits from the file (passive, complex, request, ...)
    asset_case: NDArray[np.int64]
    asset_place: NDArray[np.int64]
    asset_share: NDArray[np.float64]  # share of the case's asset value
    _cache: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_scenario(cls, s: Scenario) -> Problem:
        places = [p.id for p in s.places]
        pidx = {p: i for i, p in enumerate(places)}
        lon = np.array([p.lon for p in s.places], dtype=np.float64)
        lat = np.array([p.lat for p in s.places], dtype=np.float64)
        travel = travel_minutes(lon, lat, s.rules.detour_factor, s.rules.speed_kmh)
        cids = [c.id for c in s.courts]
        cidx = {c: i for i, c in enumerate(cids)}
        district = district_of(s, s.dispatcher)
        cs = s.cases
        n = len(cs)
        debtors: dict[str, int] = {}
        case_debtor = np.array([debtors.setdefault(k.debtor_id, len(debtors)) for k in cs],
                               dtype=np.int64)
        flags = np.zeros(n, dtype=np.int64)
        flags |= np.array([k.flags.passive_handling for k in cs], dtype=bool) * int(Trigger.PASSIVE)
        flags |= np.array([k.flags.complex for k in cs], dtype=bool) * int(Trigger.COMPLEX)
        flags |= np.array([k.flags.interference for k in cs], dtype=bool) * int(Trigger.INTERFERENCE)
        flags |= np.array([k.wish.requests_escalation for k in cs], dtype=bool) * int(Trigger.REQUEST)
        prior = np.array([_PRIOR[k.prior_action] for k in cs], dtype=np.int8)
        flags |= (prior == 1) * int(Trigger.DEADLINE_MISSED)
        start = s.period.start
        a_case, a_place, a_value = [], [], []
        for i, k in enumerate(cs):
            for a in k.assets:
                a_case.append(i)
                a_place.append(pidx[a.place])
                a_value.append(a.value)
        asset_case = np.array(a_case, dtype=np.int64)
        asset_value = np.array(a_value, dtype=np.float64)
        n_assets = np.bincount(asset_case, minlength=n)
        total = np.bincount(asset_case, weights=asset_value, minlength=n)
        share = np.where(total[asset_case] > 0, asset_value / np.maximum(total[asset_case], 1e-300),
                         1.0 / np.maximum(n_assets[asset_case], 1))
        return cls(
            scenario=s,
            place_codes=tuple(places),
            travel=_frozen(travel),
            court_ids=tuple(cids),
            court_level=_frozen(np.array([LEVEL_RANK[c.level] for c in s.courts], dtype=np.int8)),
            court_parent=_frozen(np.array([cidx[c.parent] if c.parent else -1 for c in s.courts],
                                          dtype=np.int64)),
            court_place=_frozen(np.array([pidx[c.place] for c in s.courts], dtype=np.int64)),
            officers=_frozen(np.array([c.officers for c in s.courts], dtype=np.int64)),
            teams=_frozen(np.array([c.teams for c in s.courts], dtype=np.int64)),
            open_caseload=_frozen(np.array([c.open_caseload for c in s.courts], dtype=np.float64)),
            cases_per_officer=_frozen(np.array([c.cases_per_officer for c in s.courts])),
            in_district=_frozen(np.array([c in district for c in cids], dtype=bool)),
            case_court=_frozen(np.array([cidx[k.court] for k in cs], dtype=np.int64)),
            case_workload=_frozen(np.array([k.workload for k in cs], dtype=np.float64)),
            case_applicant_place=_frozen(np.array([pidx[k.applicant.place] for k in cs],
                                                  dtype=np.int64)),
            case_debtor_place=_frozen(np.array([pidx[k.debtor.place] for k in cs], dtype=np.int64)),
            case_debtor=_frozen(case_debtor),
            case_state_debtor=_frozen(np.array(
                [k.debtor.kind in (PartyKind.STATE_OWNED, PartyKind.GOVERNMENT) for k in cs],
                dtype=bool)),
            case_net_age=_frozen(np.array([(start - k.filed).days - k.excluded_days for k in cs],
                                          dtype=np.int64)),
            case_has_assets=_frozen(n_assets > 0),
            case_act=_frozen(np.array([k.act_obligation for k in cs], dtype=bool)),
            case_objects=_frozen(np.array([k.wish.objects_to_transfer for k in cs], dtype=bool)),
            case_preferred=_frozen(np.array(
                [cidx[k.wish.preferred_court] if k.wish.preferred_court else -1 for k in cs],
                dtype=np.int64)),
            case_prior=_frozen(prior),
            case_flags=_frozen(flags),
            asset_case=_frozen(asset_case),
            asset_place=_frozen(np.array(a_place, dtype=np.int64)),
            asset_share=_frozen(share),
        )

    # ---------- derived quantities ----------
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
    def terminable(self) -> NDArray[np.bool_]:
        """终本 candidates: no property and no act obligation; not Art. 237 cases."""
        return ~self.case_has_assets & ~self.case_act

    @cached_property
    def triggers(self) -> NDArray[np.int64]:
        """Trigger bits per case, including the derived ones (overdue, understaffed, related)."""
        s = self.scenario
        t = self.case_flags.copy()
        overdue = (self.case_net_age > s.rules.overdue_days) & (self.case_has_assets | self.case_act)
        t |= overdue * int(Trigger.OVERDUE)
        short = self.utilisation_before[self.case_court] > s.rules.understaffed_utilisation
        t |= short * int(Trigger.UNDERSTAFFED)
        grp = self.related_groups()[0]
        t = np.where(grp >= 0, t | int(Trigger.RELATED), t & ~int(Trigger.RELATED))
        t[self.terminable] = 0
        return t

    def related_groups(self) -> tuple[NDArray[np.int64], int]:
        """(group index per case or -1, number of groups): a debtor's non-终本 cases spread over
        at least `concentrate_min_courts` courts and numbering at least `concentrate_min_cases`."""
        cached = self._cache.get("groups")
        if cached is not None:
            return cached  # type: ignore[return-value]
        r = self.scenario.rules
        eligible = ~self.terminable & self.in_district[self.case_court]
        deb = np.where(eligible, self.case_debtor, -1)
        n_debt = int(self.case_debtor.max()) + 1 if self.n_cases else 0
        count = np.bincount(deb[deb >= 0], minlength=n_debt)
        pairs = np.unique(np.column_stack([deb, self.case_court])[deb >= 0], axis=0)
        courts = np.bincount(pairs[:, 0], minlength=n_debt) if len(pairs) else np.zeros(n_debt, int)
        ok = (count >= r.concentrate_min_cases) & (courts >= r.concentrate_min_courts)
        group_of_debtor = np.full(n_debt, -1, dtype=np.int64)
        group_of_debtor[ok] = np.arange(int(ok.sum()))
        grp = np.where(deb >= 0, group_of_debtor[np.maximum(deb, 0)], -1)
        out = (grp, int(ok.sum()))
        self._cache["groups"] = out
        return out
