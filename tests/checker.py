"""Feasibility checker written apart from the model code: it reads the scenario and the plan
and re-derives every rule from the scenario text (dates, flags, court tree). It imports no
optimizer module except the data types of the two files.

Rules of law checked (besides the arithmetic of the plan):
- necessity: a case moves only for a reason; an applicant's request is a reason only once the
  Art. 237 clock has run (an earlier request is shown in `wishes`); the planner's watch period
  opens only 督促;
- the Art. 237 clock counts six calendar months (statutory) from filing (or from
  `property_found`, but an obligation to act always from filing), the period ending on the
  corresponding day (the month's last day where none) plus the excluded days, moved to the next
  working day when it is a 法定休假日 (`checker_clock.py`);
- interference: a case that changes court never lands in the debtor's home locality, and one
  that starts there leaves it; a debtor registered at a prefecture (province) code has the whole
  prefecture (province) as home;
- who decides: 内部交叉 the court itself, 督促/提级/协同 the court one level up, 指令 the lowest
  common superior of both courts, 集中 a common superior of every member court and the target;
- 协同执行 that brings officers borrows at least one officer per `cases_per_lent_officer` cases,
  net of any it lends; no court both lends and borrows, a court short of staff or whose cases
  receive lent officers lends none, and a lender lies in the district of the court deciding the
  borrower's 协同 (the borrower's court one level up, inside the dispatcher's district);
- the recorded basis cites what the decision rests on and nothing it does not: 民事诉讼法第237条
  only for an applicant who applied after the six months;
- courts and cases outside the dispatcher's district are neither moved, lent from nor counted,
  and the plan decides nothing for such a case (no entrusted matter, no basis, no decider);
- the per-rule counts of the Art. 237 pool and of the watch period agree with the scenario;
- 执转破: every open case of a debtor group screened `transfer` (an enterprise legal person of
  the debtors block, with written consent and a sign of insolvency: a 终本 case, an open case
  without property, or claims above the property found over two or more cases) is suspended in
  every court: kept where it is, no matter entrusted, its note saying 中止执行 and its basis
  citing 民诉法解释第511条 — unless the planner released the debtor (`released`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from optimizer.data.scenario import Scenario
from optimizer.results.plan import Plan
from tests.checker_clock import add_months, art237_last_day, clock_run, watch_run

__all__ = ["add_months", "art237_last_day", "check_plan", "cites", "clock_run", "home_prefix",
           "mentions"]

MODES = {"keep", "internal", "supervise", "designate", "elevate", "concentrate", "coordinate"}
STAY = {"keep", "internal", "supervise", "coordinate"}
MOVING = {"designate", "elevate", "concentrate"}
_MISSING = object()

# short and full names of the documents the basis cites
DOCS = {
    "执行程序解释": ("执行程序解释", "执行程序若干问题的解释"),
    "执行工作规定": ("执行工作规定", "执行工作若干问题的规定"),
    "委托执行规定": ("委托执行规定", "委托执行若干问题的规定"),
}
_ARTICLES = re.compile(r"\s*(?:（试行）)?\s*第([0-9、，,至\-和及 ]+)条")


def cites(basis: str, doc: str, article: int) -> bool:
    """Does `basis` cite `article` of `doc` (e.g. '执行程序解释第10、11条' cites 11)?"""
    for name in DOCS[doc]:
        for m in re.finditer(re.escape(name), basis):
            arts = _ARTICLES.match(basis, m.end())
            if arts is None:
                continue
            for part in re.split(r"[、，, 和及]+", arts.group(1)):
                lo, _, hi = part.replace("至", "-").partition("-")
                if lo.isdigit() and (int(lo) == article if not hi.isdigit()
                                     else int(lo) <= article <= int(hi)):
                    return True
    return False


def mentions(basis: str, doc: str) -> bool:
    return any(name in basis for name in DOCS[doc])


def home_prefix(debtor_place: str, scope: str) -> str:
    """Place-code prefix of the debtor's home locality: the county (6 digits) or prefecture (4),
    but the whole prefecture for a debtor at a prefecture code (xxxx00) and the whole province for
    one at a province code (xx0000)."""
    if len(debtor_place) == 6 and debtor_place.isdigit():
        if debtor_place.endswith("0000"):
            return debtor_place[:2]
        if debtor_place.endswith("00"):
            return debtor_place[:4]
    return debtor_place[: 6 if scope == "county" else 4]


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


def transfer_debtors(s: Scenario, district: set[str]) -> set[str]:
    """Debtors whose groups go to bankruptcy review (执转破 `transfer`), from the scenario text."""
    zb: dict[str, list] = defaultdict(list)
    zb_courts: dict[str, set[str]] = defaultdict(set)
    for stock in s.terminated:
        for t in stock.cases:
            if t.debtor_id:
                zb[t.debtor_id].append(t)
                zb_courts[t.debtor_id].add(stock.court)
    open_cases: dict[str, list] = defaultdict(list)
    for k in s.cases:
        open_cases[k.debtor_id].append(k)
    out = set()
    for d in s.debtors:
        ks = open_cases.get(d.id, [])
        if d.kind != "enterprise_legal_person" or d.consent is None:
            continue
        if not ({k.court for k in ks} | zb_courts[d.id]) & district:
            continue
        claims = sum(k.amount for k in ks) + sum(t.amount or 0.0 for t in zb[d.id])
        found = (d.assets_found if d.assets_found is not None
                 else sum(a.value for k in ks for a in k.assets))
        no_property = any(not k.assets and not k.act_obligation for k in ks)
        if zb[d.id] or no_property or (claims > found and len(ks) + len(zb[d.id]) >= 2):
            out.add(d.id)
    return out


def check_plan(s: Scenario, plan: Plan, tol: float = 1e-6,
               released: frozenset[str] = frozenset()) -> list[str]:
    """Every rule the plan breaks (empty when feasible). `released`: debtors whose 执转破
    transfer the planner overrode (changes.not_transfer, or a pin on one of their cases)."""
    bad: list[str] = []
    courts = {c.id: c for c in s.courts}
    district = _district(s)
    suspended_debtors = transfer_debtors(s, district) - released
    r = s.rules

    def chain(cid: str) -> list[str]:  # the court and its superiors, upwards
        out = [cid]
        while courts[out[-1]].parent:
            out.append(courts[out[-1]].parent)
        return out

    def lowest_common(ids: list[str]) -> str | None:
        common = set(chain(ids[0])).intersection(*(set(chain(x)) for x in ids[1:]))
        return next((x for x in chain(ids[0]) if x in common), None)

    by_id = {c.case_id: c for c in plan.cases}
    if len(plan.cases) != len(s.cases) or set(by_id) != {k.id for k in s.cases}:
        bad.append("cases: each scenario case must appear exactly once")
        return bad
    load_before = {c.id: c.open_caseload for c in s.courts}
    cap = {c.id: c.officers * c.cases_per_officer for c in s.courts}

    def short_staffed(cid: str) -> bool:
        util = load_before[cid] / cap[cid] if cap[cid] else math.inf
        return util > r.understaffed_utilisation

    # related groups, from the scenario alone
    def terminable(k) -> bool:  # …or suspended for 执转破: nothing is planned for it either
        return (not k.assets and not k.act_obligation) or k.debtor_id in suspended_debtors
    eligible = [k for k in s.cases if not terminable(k) and k.court in district]
    by_debtor = defaultdict(list)
    for k in eligible:
        by_debtor[k.debtor_id].append(k)
    related = {d for d, ks in by_debtor.items()
               if len(ks) >= r.concentrate_min_cases and len({k.court for k in ks}) >= r.concentrate_min_courts}
    load_after = dict(load_before)
    coordinate_count: dict[str, int] = defaultdict(int)
    officer_cases: dict[str, int] = defaultdict(int)  # 协同 cases that need lent officers
    pool: dict[str, int] = defaultdict(int)  # per-rule counts the plan must agree with
    for k in s.cases:
        p = by_id[k.id]
        where = f"case {k.id}"
        if p.mode not in MODES:
            bad.append(f"{where}: unknown mode {p.mode}")
            continue
        if k.debtor_id in suspended_debtors and k.court in district:
            if p.mode != "keep" or p.court_id != k.court or p.entrusted_assets:
                bad.append(f"{where}: its debtor goes to bankruptcy review (执转破): suspended in "
                           f"every court, not {p.mode}@{p.court_id}"
                           + (" with entrusted matters" if p.entrusted_assets else ""))
            if "中止执行" not in (p.note or "") or "第511条" not in (p.basis or ""):
                bad.append(f"{where}: a suspended 执转破 case says 中止执行 and cites "
                           "民诉法解释第511条")
        if p.court_id not in courts:
            bad.append(f"{where}: unknown court {p.court_id}")
            continue
        load_after[k.court] -= k.workload
        load_after[p.court_id] += k.workload
        cur = courts[k.court]
        parent = cur.parent
        inside = k.court in district
        has_property = bool(k.assets) or k.act_obligation
        overdue = clock_run(s, k) and has_property
        watched = watch_run(s, k) and has_property and inside and not terminable(k)
        applied = overdue and k.wish.requests_escalation  # an Art. 237 application
        short = short_staffed(k.court)
        pool["art237_overdue"] += overdue and inside and not terminable(k)
        pool["watch_period"] += watched
        if p.mode == "coordinate" and inside:
            coordinate_count[k.court] += 1
            if short:
                officer_cases[k.court] += 1
        if p.mode in STAY and p.court_id != k.court:
            bad.append(f"{where}: {p.mode} must keep the court")
        if not inside and (p.mode != "keep" or p.court_id != k.court):
            bad.append(f"{where}: case outside the district was changed")
        if not inside and (p.entrusted_assets or p.basis or p.decided_by or p.reasons
                           or getattr(p, "wishes", ())):
            bad.append(f"{where}: the plan decides nothing for a case outside the district "
                       "(no entrusted matter, basis, decider, reason or wish)")
        # who decides (执行程序解释第11条; 执行工作规定第74条; 法发〔2024〕9号)
        decided_by = p.decided_by
        if p.mode == "internal" and decided_by != k.court:
            bad.append(f"{where}: 内部交叉 is decided by the court itself, not {decided_by}")
        if p.mode in ("supervise", "elevate", "coordinate") and decided_by != parent:
            bad.append(f"{where}: {p.mode} is decided by the court one level up ({parent}), "
                       f"not {decided_by}")
        if p.mode == "designate":
            lca = lowest_common([k.court, p.court_id])
            if decided_by != lca:
                bad.append(f"{where}: 指令 is decided by the lowest common superior {lca} of "
                           f"{k.court} and {p.court_id}, not {decided_by}")
        if p.mode == "concentrate":
            group = by_debtor.get(k.debtor_id, [k])
            member_courts = {m.court for m in group}
            if (decided_by not in courts or decided_by not in district
                    or any(decided_by not in chain(c)[1:] for c in member_courts)
                    or decided_by not in chain(p.court_id)):
                bad.append(f"{where}: 集中执行 must be decided by a common superior of the member "
                           f"courts and the target inside the district, not {decided_by}")
        if p.mode == "keep":
            pass
        elif p.note is None:
            # necessity: some trigger must exist
            trig = (k.flags.interference or k.flags.passive_handling or k.flags.complex
                    or applied or overdue or short
                    or k.debtor_id in related or k.prior_action == "supervised_deadline_missed")
            if not trig and not (watched and p.mode == "supervise"):
                bad.append(f"{where}: moved ({p.mode}) without any reason"
                           + (" (the watch period opens only 督促)" if watched else ""))
            if terminable(k):
                bad.append(f"{where}: 终本 candidate must not be moved")
            if p.mode == "internal" and cur.teams < r.min_internal_teams:
                bad.append(f"{where}: internal needs {r.min_internal_teams} teams")
            if p.mode == "supervise" and not (k.flags.passive_handling or overdue or watched):
                bad.append(f"{where}: supervise needs passivity, the Art. 237 clock or the "
                           "watch period")
            if p.mode in ("supervise", "elevate") and (parent is None or parent not in district):
                bad.append(f"{where}: {p.mode} needs a decider inside the district")
            if p.mode == "designate":
                tgt = courts[p.court_id]
                lca = lowest_common([k.court, p.court_id])
                if p.court_id == k.court or tgt.level != cur.level or p.court_id not in district:
                    bad.append(f"{where}: designate target must be another court of the same "
                               "level inside the district")
                if lca is None or lca not in district:
                    bad.append(f"{where}: designate needs a decider inside the district")
                if k.prior_action == "designated" and not r.allow_redesignation:
                    bad.append(f"{where}: already designated once (no ping-pong)")
            if p.mode == "elevate" and p.court_id != parent:
                bad.append(f"{where}: elevate must go exactly one level up")
            if p.mode == "concentrate" and k.debtor_id not in related:
                bad.append(f"{where}: concentrate without related cases")
        # 协同执行: officers for a short-staffed court, coordination alone for a complex case
        coordination = getattr(p, "coordination", _MISSING)
        if p.mode == "coordinate":
            want = "officers" if short else "coordination"
            if coordination is _MISSING:
                bad.append(f"{where}: 协同执行 must record its coordination ('{want}')")
            elif coordination != want:
                bad.append(f"{where}: coordination {coordination!r}, expected {want!r}")
            if not short and not k.flags.complex:
                bad.append(f"{where}: 协同 without officers helps only a complex case")
        elif coordination not in (None, _MISSING):
            bad.append(f"{where}: coordination {coordination!r} recorded for mode {p.mode}")
        # an early Art. 237 request is a wish, shown but not acted upon
        if (inside and not terminable(k) and k.wish.requests_escalation and not overdue
                and not getattr(p, "wishes", ())):
            bad.append(f"{where}: the applicant's request before the six months is not shown "
                       "in wishes")
        # hard rules
        if inside and not terminable(k):
            if k.flags.interference:
                prefix = home_prefix(k.debtor.place, r.interference_scope)

                def home(cid: str, prefix: str = prefix) -> bool:
                    return courts[cid].place.startswith(prefix)

                if p.court_id != k.court and home(p.court_id):
                    bad.append(f"{where}: interference case moved into the debtor's home "
                               f"locality ({p.court_id})")
                elif p.note is None and home(k.court) and home(p.court_id):
                    bad.append(f"{where}: interference case left in the debtor's home locality")
            if (p.note is None and k.prior_action == "supervised_deadline_missed"
                    and p.mode not in MOVING):
                bad.append(f"{where}: missed 督促 deadline must lead to 指令/提级")
        if k.debtor_id not in suspended_debtors or not inside:
            bad += _check_basis(where, k, p, overdue, applied)
    # concentration: all or none per debtor, one court, inside the common superior's district
    for d, ks in by_debtor.items():
        modes = {by_id[k.id].mode for k in ks}
        if "concentrate" in modes:
            if modes != {"concentrate"}:
                bad.append(f"debtor {d}: concentration must take all related cases")
            if len({by_id[k.id].court_id for k in ks}) != 1:
                bad.append(f"debtor {d}: concentrated cases must go to one court")
            if len({by_id[k.id].decided_by for k in ks}) != 1:
                bad.append(f"debtor {d}: concentrated cases must have one decider")
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
        # the borrower's court one level up decides the 协同: the lender lies in its district
        if (not (f.parent == t.parent or f.id == t.parent) or f.id == t.id
                or t.parent not in district):
            bad.append(f"staff move {m}: the lender must lie in the district of the court deciding "
                       f"the 协同 ({t.parent}, inside the district): a sibling or that court")
        lent[m.from_court] += m.officers
        borrowed[m.to_court] += m.officers
    bad += _check_lending(s, courts, lent, borrowed, coordinate_count, officer_cases, short_staffed)
    for c in plan.courts:
        if c.court_id not in district:
            bad.append(f"court {c.court_id}: outside the district, must not be counted")
            continue
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
    counts = plan.kpis.get("rules", {}) if isinstance(plan.kpis, dict) else {}
    for key, n in pool.items():
        if key in counts and counts[key] != n:
            bad.append(f"kpis.rules.{key}: the plan counts {counts[key]}, the scenario gives {n}")
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


def _check_lending(s: Scenario, courts, lent, borrowed, coordinate_count, officer_cases,
                   short_staffed) -> list[str]:
    """协同 brings force to the court that lacks it: limits, no court both lending and borrowing,
    no lending by a court short of staff or whose cases receive lent officers, the officers per
    case on net borrowing."""
    r = s.rules
    bad: list[str] = []
    for cid, n in lent.items():
        limit = math.floor(courts[cid].officers * (1 - r.lending_min_keep_share) + 1e-9)
        if n > limit:
            bad.append(f"court {cid}: lends {n} officers, limit {limit}")
        if borrowed.get(cid, 0) > 0:
            bad.append(f"court {cid}: both lends ({n}) and borrows ({borrowed[cid]}) officers")
        if short_staffed(cid):
            bad.append(f"court {cid}: short of staff, yet lends {n} officers")
        if officer_cases.get(cid, 0) > 0:
            bad.append(f"court {cid}: its cases receive 协同 officers, yet it lends {n}")
    for cid, n in borrowed.items():
        if n > coordinate_count[cid]:
            bad.append(f"court {cid}: borrows {n} officers for {coordinate_count[cid]} coordinated cases")
    per_officer = getattr(r, "cases_per_lent_officer", 10.0)
    for cid, n in officer_cases.items():
        net = borrowed.get(cid, 0) - lent.get(cid, 0)
        if n > 0 and n > per_officer * net + 1e-9:
            bad.append(f"court {cid}: {n} 协同 cases need officers but only {net} borrowed net "
                       f"({per_officer:g} cases per lent officer)")
    return bad


def _check_basis(where: str, k, p, overdue: bool, applied: bool) -> list[str]:
    """The recorded basis (规范性): what the document rests on, and nothing it does not."""
    bad: list[str] = []
    b = p.basis or ""
    if b.startswith("；") or "；；" in b:
        bad.append(f"{where}: basis has a stray separator: {b!r}")
    if p.mode == "keep" and not p.entrusted_assets:
        if b:
            bad.append(f"{where}: a kept case has no basis, got {b!r}")
        return bad
    if p.entrusted_assets and not mentions(b, "委托执行规定"):
        bad.append(f"{where}: entrusted matters must cite 委托执行规定")
    art237 = "第237条" in b or "第二百三十七条" in b
    if art237 and not overdue:
        bad.append(f"{where}: basis cites 第237条 before the six months have run")
    elif art237 and not applied:
        bad.append(f"{where}: basis cites 第237条 although the applicant made no Art. 237 "
                   "application (the superior acts on its own initiative: 执行工作规定第74条)")
    if art237 and overdue:
        said = ("已申请" in b, "未申请" in b)
        if said != (k.wish.requests_escalation, not k.wish.requests_escalation):
            want = "已申请" if k.wish.requests_escalation else "未申请"
            bad.append(f"{where}: basis citing 第237条 must say the applicant {want}")
    if (p.mode in ("designate", "elevate") and k.prior_action == "supervised_deadline_missed"
            and not cites(b, "执行程序解释", 12)):
        bad.append(f"{where}: 指令/提级 after a missed 督促 deadline must cite 执行程序解释第12条")
    if p.mode == "supervise" and not (cites(b, "执行程序解释", 11) and "督促执行令" in b):
        bad.append(f"{where}: 督促 must cite 执行程序解释第11条 and issue a 督促执行令")
    if p.mode == "concentrate" and ("第13、14条" in b or cites(b, "执行工作规定", 13)
                                    or cites(b, "执行工作规定", 14)):
        bad.append(f"{where}: 集中执行 must not cite 执行工作规定第13、14条")
    forced = (p.mode in ("designate", "elevate")
              and k.prior_action == "supervised_deadline_missed")  # Art. 12 empowers it
    if p.mode in MOVING and not applied and not forced and not cites(b, "执行工作规定", 74):
        bad.append(f"{where}: {p.mode} on the superior's own initiative must cite "
                   "执行工作规定第74条")
    return bad
