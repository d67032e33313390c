"""Feasibility checker written apart from the model code: it reads the scenario and the plan
and re-derives every rule from the scenario text (dates, flags, court tree). It imports no
optimizer module except the data types of the two files."""

from __future__ import annotations

import math
from collections import defaultdict

from optimizer.data.scenario import Scenario
from optimizer.results.plan import Plan

MODES = {"keep", "internal", "supervise", "designate", "elevate", "concentrate", "coordinate"}
STAY = {"keep", "internal", "supervise", "coordinate"}


def _district(s: Scenario) -> set[str]:
    kids = defaultdict(list)
    for c in s.courts:
        if c.parent:
            kids[c.parent].append(c.id)
    out, todo = set(), [s.dispatcher]
    while todo:
        x = todo.pop()
        if x not in out:
            out.add(x)
            todo += kids[x]
    return out


def check_plan(s: Scenario, plan: Plan, tol: float = 1e-6) -> list[str]:
    """Every rule the plan breaks (empty when feasible)."""
    bad: list[str] = []
    courts = {c.id: c for c in s.courts}
    district = _district(s)
    r = s.rules
    by_id = {c.case_id: c for c in plan.cases}
    if len(plan.cases) != len(s.cases) or set(by_id) != {k.id for k in s.cases}:
        bad.append("cases: each scenario case must appear exactly once")
        return bad
    load_before = {c.id: c.open_caseload for c in s.courts}
    cap = {c.id: c.officers * c.cases_per_officer for c in s.courts}
    # related groups, from the scenario alone
    def terminable(k) -> bool:
        return not k.assets and not k.act_obligation
    eligible = [k for k in s.cases if not terminable(k) and k.court in district]
    by_debtor = defaultdict(list)
    for k in eligible:
        by_debtor[k.debtor_id].append(k)
    related = {d for d, ks in by_debtor.items()
               if len(ks) >= r.concentrate_min_cases and len({k.court for k in ks}) >= r.concentrate_min_courts}
    load_after = dict(load_before)
    coordinate_count: dict[str, int] = defaultdict(int)
    for k in s.cases:
        p = by_id[k.id]
        where = f"case {k.id}"
        if p.mode not in MODES:
            bad.append(f"{where}: unknown mode {p.mode}")
            continue
        if p.court_id not in courts:
            bad.append(f"{where}: unknown court {p.court_id}")
            continue
        load_after[k.court] -= k.workload
        load_after[p.court_id] += k.workload
        if p.mode == "coordinate":
            coordinate_count[k.court] += 1
        cur = courts[k.court]
        parent = cur.parent
        if p.mode in STAY and p.court_id != k.court:
            bad.append(f"{where}: {p.mode} must keep the court")
        if p.mode == "keep":
            pass
        elif p.note is None:
            # necessity: some trigger must exist
            age = (s.period.start - k.filed).days - k.excluded_days
            has_property = bool(k.assets) or k.act_obligation
            overdue = age > r.overdue_days and has_property
            util = cur.open_caseload / cap[cur.id] if cap[cur.id] else math.inf
            trig = (k.flags.interference or k.flags.passive_handling or k.flags.complex
                    or k.wish.requests_escalation or overdue or util > r.understaffed_utilisation
                    or k.debtor_id in related or k.prior_action == "supervised_deadline_missed")
            if not trig:
                bad.append(f"{where}: moved ({p.mode}) without any reason")
            if terminable(k):
                bad.append(f"{where}: 终本 candidate must not be moved")
            if k.court not in district:
                bad.append(f"{where}: case outside the district was changed")
            if p.mode == "internal" and cur.teams < r.min_internal_teams:
                bad.append(f"{where}: internal needs {r.min_internal_teams} teams")
            if p.mode == "supervise" and not (k.flags.passive_handling or overdue):
                bad.append(f"{where}: supervise needs passivity or the Art. 237 clock")
            if p.mode in ("supervise", "designate", "elevate") and (parent is None or parent not in district):
                bad.append(f"{where}: {p.mode} needs a decider inside the district")
            if p.mode == "designate":
                tgt = courts[p.court_id]
                if tgt.parent != parent or p.court_id == k.court or tgt.level != cur.level:
                    bad.append(f"{where}: designate target must be another court under the same decider")
                if k.prior_action == "designated" and not r.allow_redesignation:
                    bad.append(f"{where}: already designated once (no ping-pong)")
            if p.mode == "elevate" and p.court_id != parent:
                bad.append(f"{where}: elevate must go exactly one level up")
            if p.mode == "concentrate" and k.debtor_id not in related:
                bad.append(f"{where}: concentrate without related cases")
        # hard rules
        if p.note is None and k.court in district and not terminable(k):
            if k.flags.interference:
                digits = 6 if r.interference_scope == "county" else 4
                home = k.debtor.place[:digits]
                was_home = cur.place[:digits] == home
                if was_home and courts[p.court_id].place[:digits] == home:
                    bad.append(f"{where}: interference case left in the debtor's home locality")
            if k.prior_action == "supervised_deadline_missed" and p.mode not in (
                    "designate", "elevate", "concentrate"):
                bad.append(f"{where}: missed 督促 deadline must lead to 指令/提级")
    # concentration: all or none per debtor, one court, inside the common superior's district
    for d, ks in by_debtor.items():
        modes = {by_id[k.id].mode for k in ks}
        if "concentrate" in modes:
            if modes != {"concentrate"}:
                bad.append(f"debtor {d}: concentration must take all related cases")
            if len({by_id[k.id].court_id for k in ks}) != 1:
                bad.append(f"debtor {d}: concentrated cases must go to one court")
    # staff moves
    lent: dict[str, int] = defaultdict(int)
    borrowed: dict[str, int] = defaultdict(int)
    for m in plan.staff_moves:
        if m.officers <= 0:
            bad.append(f"staff move {m}: officers must be positive")
        if m.from_court not in district or m.to_court not in district:
            bad.append(f"staff move {m}: both courts must be inside the district")
            continue
        f, t = courts[m.from_court], courts[m.to_court]
        if not (f.parent == t.parent or f.id == t.parent) or f.id == t.id:
            bad.append(f"staff move {m}: lender must be a sibling or the parent")
        lent[m.from_court] += m.officers
        borrowed[m.to_court] += m.officers
    for cid, n in lent.items():
        limit = math.floor(courts[cid].officers * (1 - r.lending_min_keep_share) + 1e-9)
        if n > limit:
            bad.append(f"court {cid}: lends {n} officers, limit {limit}")
    for cid, n in borrowed.items():
        if n > coordinate_count[cid]:
            bad.append(f"court {cid}: borrows {n} officers for {coordinate_count[cid]} coordinated cases")
    for c in plan.courts:
        src = courts[c.court_id]
        staff = src.officers - lent[c.court_id] + borrowed[c.court_id]
        if c.officers_lent != lent[c.court_id] or c.officers_borrowed != borrowed[c.court_id]:
            bad.append(f"court {c.court_id}: lent/borrowed disagree with the staff moves")
        if abs(c.capacity - staff * src.cases_per_officer) > 1e-3:
            bad.append(f"court {c.court_id}: capacity {c.capacity} ≠ staff × cases per officer")
        if abs(c.load_after - load_after[c.court_id]) > 1e-3:
            bad.append(f"court {c.court_id}: load_after {c.load_after} ≠ {load_after[c.court_id]:.3f}")
        if r.max_utilisation is not None:
            limit = max(r.max_utilisation * src.cases_per_officer * staff, load_before[c.court_id])
            if load_after[c.court_id] > limit + 1e-6:
                bad.append(f"court {c.court_id}: load {load_after[c.court_id]} above ceiling {limit}")
    total = sum(plan.terms.values())
    if abs(total - plan.objective) > 1e-3 * max(1.0, abs(total)):
        bad.append(f"objective {plan.objective} ≠ sum of terms {total}")
    if plan.bound > plan.objective + tol * max(1.0, abs(plan.objective)):
        bad.append(f"bound {plan.bound} above objective {plan.objective}")
    case_sum = sum(sum(c.costs.values()) for c in plan.cases)
    case_terms = sum(v for k, v in plan.terms.items() if k not in ("load", "staff_lending"))
    if abs(case_sum - case_terms) > 1e-2 * max(1.0, abs(case_terms)):
        bad.append(f"per-case costs {case_sum} ≠ case terms {case_terms}")
    return bad
