"""One small named scenario per rule of law: the planner must take the lawful decision.

Every solve goes through `plan_for`, so the independent checker (tests/checker.py) also runs;
each test then states the lawful decision explicitly: mode, court, who decides, and the basis.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import base_courts, case, scenario, zhejiang_courts, zhejiang_scenario
from tests.checker import cites
from tests.conftest import plan_for


def only(plan, case_id):
    return next(c for c in plan.cases if c.case_id == case_id)


def own_initiative(basis: str) -> bool:
    """The superior acts on its own initiative: 执行工作规定第74条, not the Art. 237 application."""
    return cites(basis, "执行工作规定", 74)


# ---------------------------------------------------------------- 1. interference
def interference_case_already_outside_home() -> dict[str, Any]:
    """Debtor (a 莲都区 government body) has its case at 青田 (B), handled passively; the applicant
    lives in 莲都. Designating to 莲都 (A) would be nearest, but A is the debtor's home."""
    k = case("K1", "B", interference=True, passive=True, debtor_kind="government",
             debtor_place="331102", applicant_place="331102")
    return scenario([k], weights={"applicant_travel": 1.0, "mode_supervise": 500.0,
                                  "mode_designate": 10.0, "unresolved_passive": 400.0})


def test_interference_case_already_outside_home_is_never_sent_home():
    # old planner: dropped the interference flag for a case outside home and designated to A
    _, plan = plan_for(interference_case_already_outside_home())
    p = only(plan, "K1")
    assert p.mode == "designate" and p.court_id == "C"
    assert p.decided_by == "M"
    assert "指令执行" in p.basis and own_initiative(p.basis) and "第237条" not in p.basis


# ---------------------------------------------------------------- 2. home locality
def prefecture_debtor(dispatcher: str = "H") -> dict[str, Any]:
    """丽水市 government (place 331100) interferes with its case at 莲都 (A): its home is the whole
    丽水 prefecture, so the case must go to 金华 (J) — a designation the high court decides."""
    k = case("K1", "A", interference=True, debtor_kind="government", debtor_place="331100")
    return zhejiang_scenario([k], weights={"mode_designate": 120.0, "change_court": 60.0},
                             dispatcher=dispatcher)


def test_prefecture_debtor_must_leave_the_prefecture():
    # old planner: compared 6-digit codes (331100 ≠ 331121) and designated to 青田 (B)
    _, plan = plan_for(prefecture_debtor())
    p = only(plan, "K1")
    assert p.mode == "designate" and p.court_id == "J"
    assert p.decided_by == "H"  # lowest common superior of 莲都 and 婺城
    assert "指令执行" in p.basis and own_initiative(p.basis) and "第237条" not in p.basis


def test_prefecture_debtor_with_no_court_outside_the_prefecture_keeps_with_a_note():
    # 丽水 intermediate court dispatches: every court it may use lies in the debtor's prefecture
    # old planner: designated to 青田 (B), inside the debtor's home prefecture
    _, plan = plan_for(prefecture_debtor(dispatcher="M1"))
    p = only(plan, "K1")
    assert p.mode == "keep" and p.court_id == "A" and p.note
    assert p.basis == ""


def province_debtor() -> dict[str, Any]:
    """浙江省 body (place 330000) interferes: home is the whole province, no court can take it."""
    k = case("K1", "A", interference=True, debtor_kind="government", debtor_place="330000")
    return zhejiang_scenario([k], weights={"mode_designate": 120.0, "change_court": 60.0})


def test_province_debtor_keeps_with_a_note():
    # old planner: designated to 青田 (B), inside the debtor's home province
    _, plan = plan_for(province_debtor())
    p = only(plan, "K1")
    assert p.mode == "keep" and p.court_id == "A" and p.note


# ---------------------------------------------------------------- 3. who may designate
def cross_prefecture_designation() -> dict[str, Any]:
    """Prefecture scope: an interference case at 莲都 must leave 丽水; only the high court can
    designate it to 金华 (婺城, J)."""
    k = case("K1", "A", interference=True, debtor_kind="government")
    return zhejiang_scenario([k], weights={"mode_designate": 120.0, "change_court": 60.0},
                             rules={"interference_scope": "prefecture"})


def test_cross_prefecture_designation_is_decided_by_the_high_court():
    # old planner: designated only to siblings (all in 丽水) → kept with a note
    _, plan = plan_for(cross_prefecture_designation())
    p = only(plan, "K1")
    assert p.mode == "designate" and p.court_id == "J" and p.note is None
    assert p.decided_by == "H"
    assert "指令执行" in p.basis and own_initiative(p.basis)


def test_designation_inside_a_prefecture_is_decided_by_the_intermediate_court():
    # dispatcher H, but 莲都 → 缙云/青田 needs only their common superior 丽水中院
    # (the applicant's travel makes the near courts of the own prefecture the cheaper targets)
    k = case("K1", "A", interference=True, debtor_kind="government")
    _, plan = plan_for(zhejiang_scenario([k], weights={"mode_designate": 120.0,
                                                       "applicant_travel": 1.0}))
    p = only(plan, "K1")
    assert p.mode == "designate" and p.court_id in ("B", "C") and p.decided_by == "M1"


def test_elevation_goes_to_the_parent_which_decides():
    courts = zhejiang_courts(M1={"officers": 30})
    k = case("K1", "A", complex=True)
    _, plan = plan_for(zhejiang_scenario(
        [k], courts, weights={"mode_elevate": 100.0, "unresolved_complex": 500.0,
                              "mode_coordinate": 300.0},  # coordination alone costs more
        rules={"lending_min_keep_share": 1.0}))
    p = only(plan, "K1")
    assert p.mode == "elevate" and p.court_id == "M1" and p.decided_by == "M1"
    assert "提级执行" in p.basis and own_initiative(p.basis) and "第237条" not in p.basis


# ---------------------------------------------------------------- 4. the Art. 237 clock
# every remedy is nearly free against leaving an overdue case; 督促 is the cheapest
CLOCK_WEIGHTS = {"mode_supervise": 1.0, "mode_designate": 2.0, "mode_elevate": 2.0,
                 "unresolved_overdue": 300.0}


def clock_case(filed: str, start: str = "2026-01-01", **opts: Any) -> dict[str, Any]:
    """A case whose only possible trigger is the Art. 237 clock."""
    courts = base_courts(M={"officers": 30, "open_caseload": 0.0})
    return scenario([case("K1", "A", filed=filed, **opts)], courts, weights=CLOCK_WEIGHTS,
                    start=start)


@pytest.mark.parametrize(("filed", "net_days"), [
    ("2025-07-01", 184), ("2025-07-02", 183), ("2025-07-03", 182), ("2025-07-04", 181)])
def test_clock_181_to_184_days_not_overdue(filed, net_days):
    # six months from 1–4 July end on 1–4 January: not past on 1 January
    # old planner: 181–184 days > 180 → 督促 for the clock alone
    import datetime as dt
    assert (dt.date(2026, 1, 1) - dt.date.fromisoformat(filed)).days == net_days
    _, plan = plan_for(clock_case(filed))
    p = only(plan, "K1")
    assert p.mode == "keep" and p.basis == ""


def test_clock_181_days_not_overdue_in_march():
    # 1 September → 1 March is 181 days, exactly six months: not yet past
    _, plan = plan_for(clock_case("2025-09-01", start="2026-03-01"))
    assert only(plan, "K1").mode == "keep"


def test_clock_past_six_months_supervises_and_says_nobody_applied():
    # filed 30 June: the period ended on 30 December, 185 days before 1 January
    # old planner: supervised, but the basis did not say whether the applicant applied; nobody
    # applied, so the superior acts on its own initiative (执行工作规定第74条), not under 第237条
    _, plan = plan_for(clock_case("2025-06-30"))
    p = only(plan, "K1")
    assert p.mode == "supervise" and p.court_id == "A" and p.decided_by == "M"
    assert "督促执行令" in p.basis and cites(p.basis, "执行程序解释", 11)
    assert cites(p.basis, "执行工作规定", 74) and "未申请" in p.basis and "已申请" not in p.basis
    assert "第237条" not in p.basis


def test_clock_29_february():
    # filed 31 August 2023: six months end on 29 February 2024 (no 31 February)
    # old planner: 182 days > 180 → supervised on 29 February already
    _, plan = plan_for(clock_case("2023-08-31", start="2024-02-29"))
    assert only(plan, "K1").mode == "keep"
    _, plan = plan_for(clock_case("2023-08-31", start="2024-03-01"))
    p = only(plan, "K1")
    assert p.mode == "supervise" and "逾六个月" in p.basis and "未申请" in p.basis


def test_clock_excluded_days_extend_the_calendar_period():
    # 20 June + six months = 20 December, + 12 excluded days = 1 January: not past
    # old planner: 195 − 12 = 183 net days > 180 → supervised
    _, plan = plan_for(clock_case("2025-06-20", excluded_days=12))
    assert only(plan, "K1").mode == "keep"
    _, plan = plan_for(clock_case("2025-06-20", excluded_days=11))
    assert only(plan, "K1").mode == "supervise"


def test_clock_runs_from_property_found():
    # filed long ago, but property was found on 2 July: six months end on 2 January
    # old planner: the scenario format has no property_found (and 365 days > 180)
    _, plan = plan_for(clock_case("2025-01-01", property_found="2025-07-02"))
    assert only(plan, "K1").mode == "keep"
    _, plan = plan_for(clock_case("2025-01-01", property_found="2025-06-30"))
    assert only(plan, "K1").mode == "supervise"


# ---------------------------------------------------------------- 5. applicant's request
def early_request_is_a_wish() -> dict[str, Any]:
    """Filed a month ago; the applicant already asks the upper court to act (Art. 237)."""
    return scenario([case("K1", "A", filed="2025-12-01", requests=True)],
                    weights={"mode_supervise": 40.0, "mode_designate": 120.0,
                             "unresolved_request": 300.0})


def test_early_request_is_a_wish():
    # old planner: the request alone triggered 督促
    _, plan = plan_for(early_request_is_a_wish())
    p = only(plan, "K1")
    assert p.mode == "keep" and p.basis == ""
    assert p.wishes  # shown, not acted upon


def test_request_after_six_months_is_acted_upon():
    k = case("K1", "A", filed="2025-06-01", requests=True)
    _, plan = plan_for(scenario([k], weights={"mode_supervise": 500.0, "mode_designate": 10.0,
                                              "unresolved_request": 300.0,
                                              "unresolved_overdue": 300.0}))
    p = only(plan, "K1")
    assert p.mode == "designate" and p.court_id in ("B", "C") and p.decided_by == "M"
    assert "第237条" in p.basis and "已申请" in p.basis and "未申请" not in p.basis


# ---------------------------------------------------------------- 6. 协同执行 brings officers
def coordinate_without_officers(n_cases: int = 1) -> dict[str, Any]:
    """A (10 officers × 10, caseload 120: 120 % > 110 %) is short-staffed; its complex cases
    need lent officers, 1 per 10 cases, each costing 100."""
    courts = base_courts(A={"officers": 10, "cases_per_officer": 10.0, "open_caseload": 120.0})
    ks = [case(f"K{i}", "A", complex=True) for i in range(1, n_cases + 1)]
    return scenario(ks, courts, weights={
        "mode_coordinate": 90.0, "officer_lending_fixed": 100.0, "unresolved_complex": 250.0,
        "unresolved_understaffed": 150.0, "mode_designate": 1000.0, "mode_elevate": 1000.0})


def test_coordinate_without_officers_borrows_one():
    # old planner: 协同 at a short-staffed court with no officer lent (90 instead of 190)
    _, plan = plan_for(coordinate_without_officers())
    p = only(plan, "K1")
    assert p.mode == "coordinate" and p.court_id == "A" and p.decided_by == "M"
    assert p.coordination == "officers"
    assert sum(m.officers for m in plan.staff_moves if m.to_court == "A") == 1


def test_eleven_coordinated_cases_need_two_officers():
    # old planner: eleven 协同 cases and no officer at all
    _, plan = plan_for(coordinate_without_officers(11))
    assert {c.mode for c in plan.cases} == {"coordinate"}
    assert sum(m.officers for m in plan.staff_moves if m.to_court == "A") == 2


def test_complex_case_coordination_without_officers():
    # A is not short-staffed: the upper court coordinates, nobody is lent
    # old planner: chose 协同 but recorded no coordination kind
    data = scenario([case("K1", "A", complex=True)],
                    weights={"mode_coordinate": 90.0, "officer_lending_fixed": 1500.0,
                             "unresolved_complex": 250.0, "mode_elevate": 1000.0})
    _, plan = plan_for(data)
    p = only(plan, "K1")
    assert p.mode == "coordinate" and p.coordination == "coordination" and p.decided_by == "M"
    assert plan.staff_moves == ()


# ---------------------------------------------------------------- 7. recorded basis
def test_concentration_basis_cites_article_74_not_13_14():
    # old planner: cited 执行工作若干问题的规定第13、14条 (about entrusting, not concentrating)
    ks = [case("K1", "A", debtor_id="D1"), case("K2", "B", debtor_id="D1")]
    w = {"mode_concentrate": 120.0, "change_court": 60.0, "unresolved_related": 200.0}
    _, plan = plan_for(scenario(ks, weights=w))
    for cid in ("K1", "K2"):
        p = only(plan, cid)
        assert p.mode == "concentrate" and p.decided_by == "M"
        assert "集中执行" in p.basis and "第13、14条" not in p.basis and own_initiative(p.basis)


def test_missed_deadline_cites_article_12():
    # old planner: cited 执行程序解释第11条 and 第237条 for a one-month-old case
    k = case("K1", "A", passive=True, prior="supervised_deadline_missed")
    _, plan = plan_for(scenario([k], weights={"mode_designate": 120.0, "unresolved_passive": 10.0}))
    p = only(plan, "K1")
    assert p.mode == "designate" and p.decided_by == "M"
    assert cites(p.basis, "执行程序解释", 12) and "第237条" not in p.basis


def test_entrusted_matter_of_a_kept_case_cites_the_entrustment_rules():
    # old planner: basis "；事项委托…" with a stray leading separator
    assets = [{"id": "房产1", "kind": "real_estate", "place": "331127", "value": 5e5}]
    data = scenario([case("K1", "A", assets=assets)],
                    weights={"asset_travel": 1.0, "entrust_matter": 25.0})
    _, plan = plan_for(data)
    p = only(plan, "K1")
    assert p.mode == "keep" and p.entrusted_assets == ("房产1",)
    assert "委托执行" in p.basis and not p.basis.startswith("；")


# ---------------------------------------------------------------- 8. the dispatcher's district
def outside_district() -> dict[str, Any]:
    """丽水 intermediate court dispatches; 金华 (J) is outside. D1 has cases at A, B and J."""
    ks = [case("K1", "J", passive=True), case("K2", "A", passive=True),
          case("K3", "J", debtor_id="D1"), case("K4", "A", debtor_id="D1"),
          case("K5", "B", debtor_id="D1")]
    w = {"mode_supervise": 40.0, "unresolved_passive": 400.0, "mode_concentrate": 50.0,
         "unresolved_related": 300.0, "mode_designate": 200.0}
    return zhejiang_scenario(ks, zhejiang_courts(J={"officers": 40}), weights=w,
                             dispatcher="M1")


def test_outside_district_is_neither_moved_nor_counted():
    _, plan = plan_for(outside_district())
    assert only(plan, "K1").mode == "keep" and only(plan, "K1").court_id == "J"
    assert only(plan, "K2").mode == "supervise" and only(plan, "K2").decided_by == "M1"
    assert only(plan, "K3").mode == "keep" and only(plan, "K3").court_id == "J"
    k4, k5 = only(plan, "K4"), only(plan, "K5")
    assert k4.mode == k5.mode == "concentrate" and k4.court_id == k5.court_id
    assert k4.decided_by == "M1"
    assert {c.court_id for c in plan.courts} == {"M1", "A", "B", "C"}
    assert all(m.from_court != "J" and m.to_court != "J" for m in plan.staff_moves)
