"""Checks across records of a scenario; each defect names its JSON path and record id."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from optimizer.data.case_columns import CaseColumns, case_columns, days
from optimizer.data.identity import case_number_keys
from optimizer.data.scenario import Case, Court, Level, Scenario
from optimizer.law.errors import ErrorItem, UserError, error_item

# a court's parent must be exactly one level up (基层 → 中级 → 高级 → 最高)
PARENT_LEVEL = {
    Level.BASIC: Level.INTERMEDIATE,
    Level.INTERMEDIATE: Level.HIGH,
    Level.HIGH: Level.SUPREME,
}


@dataclass(frozen=True, slots=True)
class Defect:
    """One defect in a scenario: where it is, which record, what is wrong."""

    path: str
    record: str | None
    message: str

    def __str__(self) -> str:
        who = f" {self.record}" if self.record else ""
        return f"{self.path}{who}: {self.message}"


class ScenarioError(UserError):
    """A scenario that cannot be used; carries every defect found (one error item each)."""

    path = "scenario"

    def __init__(self, defects: list[Defect]):
        self.defects = defects
        shown = "\n".join(f"  - {d}" for d in defects[:50])
        more = f"\n  … and {len(defects) - 50} more" if len(defects) > 50 else ""
        super().__init__(f"{len(defects)} defect(s) in the scenario:\n{shown}{more}")

    def items(self, where: str = "scenario") -> list[ErrorItem]:
        return [error_item(d.path, d.record, d.message) for d in self.defects]


def _article(level: Level | None) -> str:
    if level is None:
        return "no"
    return ("an " if level.value[0] in "aeiou" else "a ") + level.value


def _duplicates(kind: str, ids: list[str]) -> list[Defect]:
    if len(set(ids)) == len(ids):  # (the usual answer, without a loop over 300,000 cases)
        return []
    counts = Counter(ids)
    seen: set[str] = set()
    out = []
    for i, x in enumerate(ids):
        if counts[x] > 1:
            if x in seen:
                out.append(Defect(f"{kind}[{i}]", x, f"duplicate id '{x}'"))
            seen.add(x)
    return out


def _same_case_number_written_twice(case_ids: list[str]) -> list[Defect]:
    """Two cases whose numbers differ only in width, brackets, spaces or invisible characters
    （（２０２５）浙１１０２执１号 and (2025)浙1102执1号) are one case entered twice: the import
    treats them as one, so the format refuses them too (exact repeats are `_duplicates`'s)."""
    keys = case_number_keys(case_ids)
    if len(set(keys)) == len(set(case_ids)):  # no two different numbers share a key
        return []
    first_by_key: dict[str, str] = {}
    out = []
    for i, (case_id, key) in enumerate(zip(case_ids, keys, strict=True)):
        first = first_by_key.setdefault(key, case_id)
        if first != case_id:
            out.append(Defect(f"cases[{i}]", case_id,
                              f"case number '{case_id}' is the same case as '{first}' "
                              f"written another way (width, brackets or invisible characters); "
                              f"案号与「{first}」为同一案件（全角/半角、括号或不可见字符不同）"))
    return out


def _reaches_cycle(court_by_id: dict[str, Court]) -> dict[str, bool]:
    """For each court id, whether following parents from it runs into a cycle (linear time)."""
    out: dict[str, bool] = {}
    for start in court_by_id:
        path: list[str] = []
        on_path: set[str] = set()
        x: str | None = start
        while x is not None and x in court_by_id and x not in out:
            if x in on_path:  # closed a cycle: everything on the path reaches it
                break
            path.append(x)
            on_path.add(x)
            x = court_by_id[x].parent
        hit = x is not None and (x in on_path or out.get(x, False))
        for y in path:
            out[y] = hit
    return out


def courts_at_and_below(scenario: Scenario, root: str) -> set[str]:
    """Court ids in the district of `root` (辖区): itself and all courts below it — downwards,
    where the API's `dispatcher_and_superiors` (who may see a scenario) goes up."""
    children: dict[str, list[str]] = {}
    for c in scenario.courts:
        if c.parent is not None:
            children.setdefault(c.parent, []).append(c.id)
    out, stack = set(), [root]
    while stack:
        x = stack.pop()
        if x in out:
            continue
        out.add(x)
        stack.extend(children.get(x, ()))
    return out


def check_scenario(s: Scenario) -> list[Defect]:
    """Every cross-record defect of `s` (empty when it is usable)."""
    court_by_id = {c.id: c for c in s.courts}
    case_ids = list(case_columns(s).id)
    defects: list[Defect] = []
    defects += _duplicates("places", [p.id for p in s.places])
    defects += _duplicates("courts", [c.id for c in s.courts])
    defects += _duplicates("cases", case_ids)
    defects += _same_case_number_written_twice(case_ids)
    if s.period.end < s.period.start:
        defects.append(Defect("period.end", None,
                              f"end {s.period.end} is before start {s.period.start}"))
    defects += _check_courts(s, court_by_id)
    district: set[str] = set()
    if s.dispatcher not in court_by_id:
        defects.append(Defect("dispatcher", None,
                              f"dispatching court '{s.dispatcher}' is not defined"))
    elif not any(d.path.endswith(".parent") for d in defects):
        district = courts_at_and_below(s, s.dispatcher)
    place_ids = {p.id for p in s.places}
    quick = _cases_at_a_glance(s, place_ids, court_by_id, district)
    if quick is not None:
        listed, n_in_district = quick
    else:  # some case has a defect: the loop names each one, in order
        listed, n_in_district = defaultdict(float), 0
        for i, k in enumerate(s.cases):
            if k.court in court_by_id:
                listed[k.court] += k.workload
                n_in_district += k.court in district
            defects += _check_case(s, i, k, place_ids, court_by_id)
    defects += _check_staffing(s, listed, district)
    both = sorted(set(s.calendar.holidays) & set(s.calendar.working_days))
    defects += [Defect("calendar.working_days", None,
                       f"{d.isoformat()} is listed both as a holiday and as a working day")
                for d in both]
    if s.debtors or s.terminated or s.history:
        from optimizer.data.validate_outcomes import check_outcomes  # (it imports this module)
        defects += check_outcomes(s)
    if s.dispatcher in court_by_id and district and n_in_district == 0:
        defects.append(Defect("dispatcher", s.dispatcher,
                              f"the district of '{s.dispatcher}' holds no case to plan"))
    return defects


def _cases_at_a_glance(s: Scenario, place_ids: set[str], court_by_id: dict[str, Court],
                       district: set[str]) -> tuple[dict[str, float], int] | None:
    """(listed workload per court, cases in the district) when no case has a defect that
    `_check_case` would name, checked as columns (a loop over 300,000 cases costs seconds);
    None when some case has one."""
    cols = case_columns(s)
    courts, n = cols.court, len(cols.court)
    preferred = set(cols.preferred_court) - {None}
    if not (set(courts) <= court_by_id.keys() and preferred <= court_by_id.keys()
            and set(cols.applicant_place) | set(cols.debtor_place)
            | set(cols.asset_place) <= place_ids):
        return None
    if not _asset_ids_unique_per_case(cols):
        return None
    start = np.datetime64(s.period.start, "D")
    filed = days(cols.filed)
    found = days(cols.property_found, missing=s.period.start)
    excluded = np.array(cols.excluded_days, dtype=np.int64)
    if n and not ((filed <= start).all() and (filed <= found).all() and (found <= start).all()
                  and (excluded <= (start - filed).astype(np.int64)).all()):
        return None
    index = {c: i for i, c in enumerate(court_by_id)}
    at = np.array([index[c] for c in courts], dtype=np.int64)
    load = np.bincount(at, weights=np.array(cols.workload, dtype=np.float64),
                       minlength=len(index))
    listed: dict[str, float] = defaultdict(float)
    for c in set(courts):
        listed[c] = float(load[index[c]])
    inside = np.array([c in district for c in index], dtype=bool)
    return listed, int(inside[at].sum())


def _asset_ids_unique_per_case(cols: CaseColumns) -> bool:
    """Whether no case lists one asset id twice (the pairs (case, asset id) are all distinct)."""
    if len(set(cols.asset_id)) == len(cols.asset_id):  # (ids are usually unique overall)
        return True
    return len(set(zip(cols.asset_case().tolist(), cols.asset_id, strict=True))) == len(
        cols.asset_id)


def _check_courts(s: Scenario, court_by_id: dict[str, Court]) -> list[Defect]:
    """Places and parents defined, parents one level up, no parent cycles."""
    place_ids = {p.id for p in s.places}
    out: list[Defect] = []
    for i, c in enumerate(s.courts):
        where = f"courts[{i}]"
        if c.place not in place_ids:
            out.append(Defect(f"{where}.place", c.id, f"place '{c.place}' is not defined"))
        if c.parent is None:
            continue
        parent = court_by_id.get(c.parent)
        if parent is None:
            out.append(Defect(f"{where}.parent", c.id, f"parent court '{c.parent}' is not defined"))
        elif PARENT_LEVEL.get(c.level) != parent.level:
            want = PARENT_LEVEL.get(c.level)
            out.append(Defect(
                f"{where}.parent", c.id,
                f"a {c.level.value} court's parent must be {_article(want)} court, "
                f"but '{parent.id}' is {parent.level.value}",
            ))
    # parent cycles: each chain is walked once (a walk per court is quadratic on a long chain)
    in_cycle = _reaches_cycle(court_by_id)
    for i, c in enumerate(s.courts):
        if c.parent is not None and (c.parent == c.id or in_cycle.get(c.parent, False)):
            out.append(Defect(f"courts[{i}].parent", c.id, "parent chain forms a cycle"))
    return out


def _check_case(s: Scenario, i: int, k: Case, place_ids: set[str],
                court_by_id: dict[str, Court]) -> list[Defect]:
    """References, asset ids and dates of one case."""
    where = f"cases[{i}]"
    out: list[Defect] = []
    add = out.append
    if k.court not in court_by_id:
        add(Defect(f"{where}.court", k.id, f"executing court '{k.court}' is not defined"))
    for role, party in (("applicant", k.applicant), ("debtor", k.debtor)):
        if party.place not in place_ids:
            add(Defect(f"{where}.{role}.place", k.id, f"place '{party.place}' is not defined"))
    for j, a in enumerate(k.assets):
        if a.place not in place_ids:
            add(Defect(f"{where}.assets[{j}].place", k.id,
                       f"asset '{a.id}' place '{a.place}' is not defined"))
    asset_ids = [a.id for a in k.assets]
    if len(set(asset_ids)) != len(asset_ids):
        add(Defect(f"{where}.assets", k.id, "duplicate asset ids within the case"))
    pref = k.wish.preferred_court
    if pref is not None and pref not in court_by_id:
        add(Defect(f"{where}.wish.preferred_court", k.id, f"court '{pref}' is not defined"))
    start = s.period.start
    if k.filed > start:
        add(Defect(f"{where}.filed", k.id,
                   f"filing date {k.filed} is after the planning date {start}"))
    elif k.property_found is not None and not (k.filed <= k.property_found <= start):
        add(Defect(f"{where}.property_found", k.id,
                   f"property found on {k.property_found}, outside the filing date {k.filed} "
                   f"… planning date {start}"))
    elif k.excluded_days > (start - k.filed).days:
        add(Defect(f"{where}.excluded_days", k.id,
                   f"{k.excluded_days} excluded days exceed the case's age "
                   f"of {(start - k.filed).days} days"))
    return out


def _check_staffing(s: Scenario, listed: dict[str, float], district: set[str]) -> list[Defect]:
    """Open caseloads cover the listed cases; courts holding cases have an officer."""
    out: list[Defect] = []
    for i, c in enumerate(s.courts):
        if listed[c.id] > c.open_caseload + 1e-9:
            out.append(Defect(f"courts[{i}].open_caseload", c.id,
                              f"open caseload {c.open_caseload:g} is below the workload of its "
                              f"listed cases ({listed[c.id]:g})"))
        if c.id in district and c.officers == 0 and listed[c.id] > 0:
            out.append(Defect(f"courts[{i}].officers", c.id,
                              "a court holding cases in the district needs at least one officer"))
    return out
