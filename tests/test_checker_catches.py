"""The checker catches wrong plans: each test edits one field of a lawful plan into a breach of
one rule and expects the checker to name it (and not to name it for the lawful plan).

The plans start from a solve, then every field the rule looks at is set by hand, so these tests
do not depend on what the planner decides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from types import SimpleNamespace
from typing import Any

import pytest

from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.data.scenario import Scenario
from optimizer.pipeline import solve
from optimizer.results.plan import CasePlan, CourtPlan, Plan, StaffMove
from optimizer.solver.params import SolveParams
from tests.builders import base_courts, case, scenario, zhejiang_courts, zhejiang_scenario
from tests.checker import add_months, art237_last_day, check_plan, cites, home_prefix
from tests.optimizer.law.test_rules import (
    clock_case,
    coordinate_without_officers,
    early_request_is_a_wish,
    interference_case_already_outside_home,
    outside_district,
    prefecture_debtor,
)

_CASE_FIELDS = {f.name for f in fields(CasePlan)}


def solved(data: dict[str, Any]) -> tuple[Scenario, Plan]:
    s = parse_scenario(data)
    return s, solve(Problem.from_scenario(s), SolveParams(time_limit=30.0))


def edit(plan: Plan, case_id: str, **changes: Any) -> Plan:
    """The plan with one case changed. Fields the plan type does not have yet (`coordination`,
    `wishes` before the planner records them) are attached as attributes, as the checker reads
    them with getattr."""
    out = []
    for c in plan.cases:
        if c.case_id == case_id:
            extra = {k: v for k, v in vars(c).items() if k not in _CASE_FIELDS}
            c = replace(c, **{k: v for k, v in changes.items() if k in _CASE_FIELDS})
            for k, v in {**extra, **changes}.items():
                if k not in _CASE_FIELDS:
                    object.__setattr__(c, k, v)
        out.append(c)
    return replace(plan, cases=tuple(out))


def catches(s: Scenario, lawful: Plan, wrong: Plan, fragment: str) -> None:
    good = [x for x in check_plan(s, lawful) if fragment in x]
    assert not good, f"the lawful plan is flagged: {good}"
    found = check_plan(s, wrong)
    assert any(fragment in x for x in found), f"{fragment!r} not in {found}"


DESIGNATE_74 = "指令执行裁定（执行工作规定第74条）"
KEEP = {"mode": "keep", "decided_by": None, "basis": "", "note": None}


# ---------------------------------------------------------------- helpers of the checker
def test_home_prefix_widens_for_prefecture_and_province_debtors():
    assert home_prefix("331102", "county") == "331102"
    assert home_prefix("331102", "prefecture") == "3311"
    assert home_prefix("331100", "county") == "3311"  # 丽水市 itself: the whole prefecture
    assert home_prefix("330000", "county") == "33"  # 浙江省: the whole province


@pytest.mark.parametrize(("start", "months", "end"), [
    ("2025-07-01", 6, "2026-01-01"), ("2023-08-31", 6, "2024-02-29"),
    ("2025-08-31", 6, "2026-02-28"), ("2025-08-29", 6, "2026-02-28"),
    ("2025-12-31", 2, "2026-02-28"), ("2025-01-15", 12, "2026-01-15")])
def test_add_months_uses_the_corresponding_day_or_the_months_end(start, months, end):
    assert add_months(dt.date.fromisoformat(start), months) == dt.date.fromisoformat(end)


def test_art237_period_runs_from_property_found_and_adds_excluded_days():
    s = SimpleNamespace(rules=SimpleNamespace(overdue_months=6))
    k = SimpleNamespace(filed=dt.date(2025, 1, 1), excluded_days=3, property_found=None,
                        act_obligation=False)
    assert art237_last_day(s, k) == dt.date(2025, 7, 4)
    k.property_found = dt.date(2025, 7, 2)
    assert art237_last_day(s, k) == dt.date(2026, 1, 5)
    s.rules = SimpleNamespace()  # today's rules: six months by default
    assert art237_last_day(s, k) == dt.date(2026, 1, 5)


def test_cites_reads_article_lists_and_full_names():
    assert cites("督促执行令（执行程序解释第10、11条）", "执行程序解释", 11)
    assert not cites("督促执行令（执行程序解释第10、11条）", "执行程序解释", 1)
    assert cites("执行工作若干问题的规定（试行）第74条", "执行工作规定", 74)
    assert cites("执行程序解释第10至12条", "执行程序解释", 11)
    assert not cites("民事诉讼法第74条", "执行工作规定", 74)


# ---------------------------------------------------------------- 1. interference
def test_interference_case_from_outside_may_not_move_home():
    s, plan = solved(interference_case_already_outside_home())
    lawful = edit(plan, "K1", mode="designate", court_id="C", decided_by="M", basis=DESIGNATE_74)
    wrong = edit(lawful, "K1", court_id="A")
    catches(s, lawful, wrong, "moved into the debtor's home locality")


def test_interference_case_at_home_must_leave_unless_noted():
    s, plan = solved(scenario([case("K1", "A", interference=True, debtor_kind="government")]))
    lawful = edit(plan, "K1", mode="designate", court_id="B", decided_by="M", basis=DESIGNATE_74)
    wrong = edit(lawful, "K1", court_id="A", **KEEP)
    catches(s, lawful, wrong, "left in the debtor's home locality")
    noted = edit(wrong, "K1", note="no court outside the home locality")
    assert not [x for x in check_plan(s, noted) if "home locality" in x]


def test_concentration_target_in_an_interference_members_home():
    # K1 (interference, debtor at home in 莲都) sits at 青田; K2 of the same debtor at 缙云
    ks = [case("K1", "B", interference=True, debtor_place="331102", debtor_id="D1"),
          case("K2", "C", debtor_place="331102", debtor_id="D1")]
    s, plan = solved(scenario(ks))
    lawful = plan
    for cid in ("K1", "K2"):
        lawful = edit(lawful, cid, mode="concentrate", court_id="C", decided_by="M",
                      basis="集中执行决定（执行工作规定第74条）")
    wrong = lawful
    for cid in ("K1", "K2"):
        wrong = edit(wrong, cid, court_id="A")
    catches(s, lawful, wrong, "case K1: interference case moved into the debtor's home")


# ---------------------------------------------------------------- 2. home locality
def test_prefecture_debtor_may_not_go_to_a_county_of_its_prefecture():
    s, plan = solved(prefecture_debtor())
    lawful = edit(plan, "K1", mode="designate", court_id="J", decided_by="H", basis=DESIGNATE_74)
    wrong = edit(lawful, "K1", court_id="B", decided_by="M1")
    catches(s, lawful, wrong, "moved into the debtor's home locality (B)")


# ---------------------------------------------------------------- 3. who decides
def test_cross_prefecture_designation_needs_the_lowest_common_superior():
    s, plan = solved(prefecture_debtor())
    lawful = edit(plan, "K1", mode="designate", court_id="J", decided_by="H", basis=DESIGNATE_74)
    catches(s, lawful, edit(lawful, "K1", decided_by="M1"), "lowest common superior H")
    # a designation may not change the level
    catches(s, lawful, edit(lawful, "K1", court_id="M2"), "same level inside the district")


def test_designation_outside_the_district():
    s, plan = solved(prefecture_debtor(dispatcher="M1"))
    lawful = edit(plan, "K1", mode="designate", court_id="B", decided_by="M1", basis=DESIGNATE_74,
                  note=None)
    wrong = edit(lawful, "K1", court_id="J", decided_by="H")
    catches(s, lawful, wrong, "designate needs a decider inside the district")


@pytest.mark.parametrize(("mode", "court", "right", "wrong"), [
    ("internal", "A", "A", "M"), ("supervise", "A", "M", "A"), ("elevate", "M", "M", "A"),
    ("coordinate", "A", "M", "A")])
def test_who_decides_each_mode(mode, court, right, wrong):
    s, plan = solved(scenario([case("K1", "A", passive=True, complex=True)],
                              base_courts(A={"teams": 2}, M={"officers": 30})))
    basis = {"internal": "内部交叉", "supervise": "督促执行令（执行程序解释第11条）",
             "elevate": "提级执行裁定（执行工作规定第74条）", "coordinate": "协同执行"}[mode]
    lawful = edit(plan, "K1", mode=mode, court_id=court, decided_by=right, basis=basis,
                  coordination="coordination" if mode == "coordinate" else None)
    catches(s, lawful, edit(lawful, "K1", decided_by=wrong), f"not {wrong}")


def test_concentration_is_decided_by_a_common_superior():
    ks = [case("K1", "A", debtor_id="D1"), case("K2", "B", debtor_id="D1")]
    s, plan = solved(scenario(ks))
    lawful = plan
    for cid in ("K1", "K2"):
        lawful = edit(lawful, cid, mode="concentrate", court_id="A", decided_by="M",
                      basis="集中执行决定（执行工作规定第74条）")
    wrong = edit(edit(lawful, "K1", decided_by="A"), "K2", decided_by="A")
    catches(s, lawful, wrong, "must be decided by a common superior")


# ---------------------------------------------------------------- 4. the Art. 237 clock
def test_supervision_at_184_days_is_not_for_the_clock():
    s, plan = solved(clock_case("2025-07-01"))  # 184 days, six months end on 1 January
    lawful = edit(plan, "K1", court_id="A", **KEEP)
    wrong = edit(lawful, "K1", mode="supervise", decided_by="M",
                 basis="督促执行令（执行程序解释第11条）")
    catches(s, lawful, wrong, "supervise needs passivity, the Art. 237 clock")
    catches(s, lawful, wrong, "moved (supervise) without any reason")


def test_supervision_on_29_february_is_early():
    s, plan = solved(clock_case("2023-08-31", start="2024-02-29"))
    lawful = edit(plan, "K1", court_id="A", **KEEP)
    wrong = edit(lawful, "K1", mode="supervise", decided_by="M",
                 basis="督促执行令（执行程序解释第11条）")
    catches(s, lawful, wrong, "supervise needs passivity, the Art. 237 clock")


# ---------------------------------------------------------------- 5. applicant's request
def test_early_request_is_not_a_reason_and_is_shown_as_a_wish():
    s, plan = solved(early_request_is_a_wish())
    lawful = edit(plan, "K1", court_id="A", wishes=("申请执行人申请上一级法院执行",), **KEEP)
    catches(s, lawful, edit(lawful, "K1", wishes=()), "not shown in wishes")
    wrong = edit(lawful, "K1", mode="supervise", decided_by="M",
                 basis="督促执行令（执行程序解释第11条）")
    catches(s, lawful, wrong, "moved (supervise) without any reason")


# ---------------------------------------------------------------- 6. 协同执行 brings officers
def _coordinated(n: int) -> tuple[Scenario, Plan]:
    s, plan = solved(coordinate_without_officers(n))
    for k in s.cases:
        plan = edit(plan, k.id, mode="coordinate", court_id="A", decided_by="M",
                    basis="协同执行调度", coordination="officers", note=None)
    return s, plan


def test_coordination_at_a_short_staffed_court_needs_lent_officers():
    s, plan = _coordinated(1)
    lawful = replace(plan, staff_moves=(StaffMove("B", "A", 1),))
    wrong = replace(plan, staff_moves=())
    catches(s, lawful, wrong, "need officers but only 0 borrowed")
    catches(s, lawful, edit(lawful, "K1", coordination="coordination"), "expected 'officers'")


def test_eleven_coordinated_cases_need_two_officers():
    s, plan = _coordinated(11)
    lawful = replace(plan, staff_moves=(StaffMove("B", "A", 1), StaffMove("C", "A", 1)))
    wrong = replace(plan, staff_moves=(StaffMove("B", "A", 1),))
    catches(s, lawful, wrong, "11 协同 cases need officers but only 1 borrowed")


def test_coordination_kind_only_for_coordinated_cases():
    s, plan = solved(scenario([case("K1", "A", complex=True)]))
    lawful = edit(plan, "K1", court_id="A", mode="coordinate", decided_by="M",
                  basis="协同执行调度", coordination="coordination")
    catches(s, lawful, edit(lawful, "K1", coordination=None), "expected 'coordination'")
    catches(s, lawful, edit(lawful, "K1", coordination="officers"), "expected 'coordination'")
    kept = edit(lawful, "K1", coordination=None, **KEEP)
    catches(s, kept, edit(kept, "K1", coordination="coordination"), "recorded for mode keep")


# ---------------------------------------------------------------- 7. recorded basis
def _one(**kw: Any) -> tuple[Scenario, Plan]:
    return solved(scenario([case("K1", "A", **kw)], base_courts(M={"officers": 30})))


@pytest.mark.parametrize(("basis", "fragment"), [
    ("；指令执行裁定（执行工作规定第74条）", "stray separator"),
    ("指令执行裁定；；执行工作规定第74条", "stray separator"),
    ("指令执行裁定（民事诉讼法第237条；执行工作规定第74条）", "第237条 before the six months"),
    ("指令执行裁定（法发〔2024〕9号）", "must cite 执行工作规定第74条"),
])
def test_basis_of_a_designation_on_own_initiative(basis, fragment):
    s, plan = _one(passive=True)
    lawful = edit(plan, "K1", mode="designate", court_id="B", decided_by="M", basis=DESIGNATE_74)
    catches(s, lawful, edit(lawful, "K1", basis=basis), fragment)


def test_basis_of_an_overdue_case_says_whether_the_applicant_applied():
    s, plan = solved(clock_case("2025-06-30"))
    lawful = edit(plan, "K1", mode="supervise", court_id="A", decided_by="M",
                  basis="督促执行令（民事诉讼法第237条，申请执行人未申请；执行程序解释第11条）")
    wrong = edit(lawful, "K1", basis="督促执行令（民事诉讼法第237条；执行程序解释第11条）")
    catches(s, lawful, wrong, "must say the applicant 未申请")
    catches(s, lawful, edit(lawful, "K1", basis=lawful.cases[0].basis.replace("未", "已")),
            "must say the applicant 未申请")
    catches(s, lawful, edit(lawful, "K1", basis="督促执行令（民事诉讼法第237条，未申请）"),
            "must cite 执行程序解释第11条")
    catches(s, lawful, edit(lawful, "K1", basis="执行程序解释第11条，第237条，未申请"),
            "督促执行令")


def test_basis_after_a_missed_deadline_cites_article_12():
    s, plan = _one(passive=True, prior="supervised_deadline_missed")
    lawful = edit(plan, "K1", mode="elevate", court_id="M", decided_by="M",
                  basis="提级执行裁定（执行程序解释第12条；执行工作规定第74条）")
    wrong = edit(lawful, "K1", basis="提级执行裁定（执行程序解释第11条；执行工作规定第74条）")
    catches(s, lawful, wrong, "must cite 执行程序解释第12条")


def test_basis_of_a_concentration_does_not_cite_articles_13_14():
    ks = [case("K1", "A", debtor_id="D1"), case("K2", "B", debtor_id="D1")]
    s, plan = solved(scenario(ks))
    lawful = plan
    for cid in ("K1", "K2"):
        lawful = edit(lawful, cid, mode="concentrate", court_id="A", decided_by="M",
                      basis="集中执行决定（法发〔2024〕9号；执行工作规定第74条）")
    for bad in ("集中执行决定（执行工作若干问题的规定第13、14条；执行工作规定第74条）",
                "集中执行决定（第13、14条；执行工作规定第74条）"):
        catches(s, lawful, edit(lawful, "K2", basis=bad), "must not cite 执行工作规定第13、14条")


def test_basis_of_entrusted_matters_and_of_kept_cases():
    assets = [{"id": "房产1", "kind": "real_estate", "place": "331127", "value": 5e5}]
    s, plan = _one(assets=assets)
    lawful = edit(plan, "K1", court_id="A", entrusted_assets=("房产1",), **{
        **KEEP, "basis": "事项委托经执行指挥中心平台办理（委托执行若干问题的规定第2、4条）"})
    catches(s, lawful, edit(lawful, "K1", basis="事项委托经执行指挥中心平台办理"),
            "must cite 委托执行规定")
    catches(s, lawful, edit(lawful, "K1", basis="；" + lawful.cases[0].basis), "stray separator")
    kept = edit(lawful, "K1", entrusted_assets=(), basis="")
    catches(s, kept, edit(kept, "K1", basis="督促执行令"), "a kept case has no basis")


# ---------------------------------------------------------------- 8. the dispatcher's district
def test_outside_district_is_not_moved_lent_from_or_counted():
    s, plan = solved(outside_district())
    lawful = edit(plan, "K1", court_id="J", **KEEP)
    wrong = edit(lawful, "K1", mode="internal", decided_by="J", basis="内部交叉")
    catches(s, lawful, wrong, "case outside the district was changed")
    wrong = replace(lawful, staff_moves=(StaffMove("J", "A", 1),))
    catches(s, lawful, wrong, "both courts must be inside the district")
    j = CourtPlan("J", "金华市婺城区人民法院", 100.0, 100.0, 2400.0, 40, 0, 0, 0, 0, 0)
    wrong = replace(lawful, courts=(*lawful.courts, j))
    catches(s, lawful, wrong, "court J: outside the district, must not be counted")


def test_zhejiang_scenario_validates():
    # the Zhejiang builder is a valid scenario with both prefectures
    s = parse_scenario(zhejiang_scenario([case("K1", "J")]))
    assert {c.id for c in s.courts} == {"H", "M1", "A", "B", "C", "M2", "J"}


# ---------------------------------------------------------------- 13. 法定休假日, 14. watch
def test_supervision_before_a_holiday_ends_the_six_months_is_early():
    # filed 5 April 2025: six months end on 5 October, inside 国庆节 (1–8 October): 9 October
    s, plan = solved(clock_case("2025-04-05", start="2025-10-07", requests=True))
    lawful = edit(plan, "K1", court_id="A", **KEEP,
                  wishes=("申请执行人申请上一级法院执行（未满六个月，尚不构成民事诉讼法第237条的申请）",))
    wrong = edit(lawful, "K1", mode="supervise", decided_by="M", wishes=(),
                 basis="督促执行令（民事诉讼法第237条、执行程序解释第10条：逾六个月未执行，申请执行人已申请；"
                       "执行程序解释第11条第1款）")
    catches(s, lawful, wrong, "moved (supervise) without any reason")
    catches(s, lawful, wrong, "第237条 before the six months")
    catches(s, lawful, wrong, "not shown in wishes")


def test_article_237_is_cited_only_for_an_application():
    s, plan = solved(clock_case("2025-06-01"))  # past the six months, nobody applied
    lawful = edit(plan, "K1", mode="supervise", court_id="A", decided_by="M",
                  basis="督促执行令（执行工作规定第74条第1款：上级法院依职权督促；逾六个月未执行，申请执行人未申请；"
                        "参照执行程序解释第11条第1款）")
    wrong = edit(lawful, "K1", basis="督促执行令（民事诉讼法第237条：逾六个月未执行，申请执行人未申请；"
                                     "参照执行程序解释第11条第1款）")
    catches(s, lawful, wrong, "no Art. 237 application")


def test_the_watch_period_opens_only_supervision():
    data = clock_case("2025-08-15")
    data["rules"]["watch_months"] = 3
    s, plan = solved(data)
    own = ("督促执行令（执行工作规定第74条第1款：上级法院依职权督促，逾督促观察期未执行完结；"
           "参照执行程序解释第11条第1款）")
    lawful = edit(plan, "K1", mode="supervise", court_id="A", decided_by="M", basis=own)
    wrong = edit(lawful, "K1", mode="designate", court_id="B", basis=DESIGNATE_74)
    catches(s, lawful, wrong, "the watch period opens only 督促")
    counted = replace(lawful, kpis={"rules": {"watch_period": 0, "art237_overdue": 1}})
    catches(s, lawful, counted, "kpis.rules.watch_period")
    catches(s, lawful, counted, "kpis.rules.art237_overdue")


def test_an_act_obligations_clock_runs_from_filing():
    data = clock_case("2025-03-01", property_found="2025-11-01", act_obligation=True,
                      requests=True)
    s, plan = solved(data)
    applied = ("督促执行令（民事诉讼法第237条、执行程序解释第10条：逾六个月未执行，申请执行人已申请；"
               "执行程序解释第11条第1款）")
    lawful = edit(plan, "K1", mode="supervise", court_id="A", decided_by="M", basis=applied,
                  wishes=())
    assert not check_plan(s, lawful)
    found = replace(lawful, kpis={"rules": {"art237_overdue": 0}})
    catches(s, lawful, found, "kpis.rules.art237_overdue: the plan counts 0, the scenario gives 1")


# ---------------------------------------------------------------- 10. lending rules
def _lending_world() -> tuple[Scenario, Plan]:
    from tests.optimizer.law.test_corners import lend_back_and_forth

    s, plan = solved(lend_back_and_forth())
    return s, plan


def test_no_court_both_lends_and_borrows_and_short_courts_lend_none():
    s, lawful = _lending_world()
    assert {m.from_court for m in lawful.staff_moves} == {"C"}
    back = replace(lawful, staff_moves=(*lawful.staff_moves, StaffMove("A", "B", 1)))
    catches(s, lawful, back, "court A: both lends (1) and borrows")
    catches(s, lawful, back, "court A: short of staff, yet lends 1")
    catches(s, lawful, back, "court A: its cases receive 协同 officers, yet it lends 1")


def test_the_ratio_holds_on_net_borrowing():
    s, lawful = _lending_world()
    # A borrows 2 from C for its three cases (2 per officer); lending 1 back leaves 1 net
    out = replace(lawful, staff_moves=(*lawful.staff_moves, StaffMove("A", "C", 1)))
    catches(s, lawful, out, "court A: 3 协同 cases need officers but only 1 borrowed net")


def test_a_lender_lies_in_the_deciding_courts_district():
    s, plan = solved(zhejiang_scenario([case("K1", "A", complex=True)], zhejiang_courts(
        A={"officers": 10, "cases_per_officer": 10.0, "open_caseload": 120.0},
        J={"officers": 40})))
    lawful = edit(plan, "K1", mode="coordinate", court_id="A", decided_by="M1", note=None,
                  basis="协同执行调度决定（执行工作规定第8条、第74条第2款）", coordination="officers")
    lawful = replace(lawful, staff_moves=(StaffMove("B", "A", 1),))
    wrong = replace(lawful, staff_moves=(StaffMove("J", "A", 1),))
    catches(s, lawful, wrong, "the lender must lie in the district of the court deciding")


# ---------------------------------------------------------------- C. the district's edge
def test_the_plan_decides_nothing_for_a_case_outside_the_district():
    far = [{"id": "房产1", "kind": "real_estate", "place": "330302", "value": 5e5}]
    data = zhejiang_scenario([case("K1", "J", assets=far), case("K2", "A")],
                             zhejiang_courts(J={"officers": 40}), dispatcher="M1")
    s, plan = solved(data)
    lawful = edit(plan, "K1", court_id="J", **KEEP, entrusted_assets=(), wishes=())
    wrong = edit(lawful, "K1", entrusted_assets=("房产1",),
                 basis="事项委托（参照委托执行规定第2条第2款、第4条第2款，经执行指挥中心综合管理平台办理）")
    catches(s, lawful, wrong, "the plan decides nothing for a case outside the district")
