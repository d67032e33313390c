"""Hand-computed tiny scenarios: each mode is chosen when, and only when, it should be."""

from __future__ import annotations

import pytest

from optimizer.data.problem import Problem
from optimizer.pipeline import solve
from optimizer.solver.params import SolveParams
from tests.builders import base_courts, case, court, scenario, two_prefecture_courts
from tests.conftest import plan_for


def only(plan, case_id):
    return next(c for c in plan.cases if c.case_id == case_id)


def test_no_reason_means_keep_even_when_moving_would_relieve_load():
    # court A is overloaded, B idle; the case has no trigger, so it may not move (必要性)
    courts = base_courts(A={"officers": 10, "cases_per_officer": 10.0, "open_caseload": 105.0})
    data = scenario([case("K1", "A", filed="2025-12-01")], courts,
                    weights={"load_slopes": [100.0, 100.0, 100.0], "mode_designate": 1.0},
                    rules={"understaffed_utilisation": 2.0})
    _, plan = plan_for(data)
    assert only(plan, "K1").mode == "keep"
    assert plan.objective == pytest.approx(5 * 100.0)  # 5 units above capacity 100, slope 100
    assert plan.status == "optimal"


def test_internal_is_the_cheapest_remedy_for_passivity_with_two_teams():
    courts = base_courts(A={"teams": 2})
    data = scenario([case("K1", "A", passive=True)], courts,
                    weights={"mode_internal": 20.0, "mode_supervise": 40.0, "mode_designate": 120.0,
                             "unresolved_passive": 400.0})
    _, plan = plan_for(data)
    assert only(plan, "K1").mode == "internal"
    assert plan.objective == pytest.approx(20.0)


def test_supervise_when_one_team_only():
    data = scenario([case("K1", "A", passive=True)],
                    weights={"mode_internal": 20.0, "mode_supervise": 40.0, "mode_designate": 120.0,
                             "unresolved_passive": 400.0})
    _, plan = plan_for(data)
    assert only(plan, "K1").mode == "supervise"
    assert plan.objective == pytest.approx(40.0)


def test_passivity_kept_when_every_remedy_costs_more_than_leaving_it():
    data = scenario([case("K1", "A", passive=True)],
                    weights={"mode_supervise": 500.0, "mode_designate": 500.0, "mode_elevate": 500.0,
                             "unresolved_passive": 100.0})
    _, plan = plan_for(data)
    assert only(plan, "K1").mode == "keep"
    assert plan.objective == pytest.approx(100.0)


def test_interference_must_leave_home_and_designate_beats_elevate():
    # debtor is a county government in A's county: the case must leave A
    k = case("K1", "A", interference=True, debtor_kind="government")
    data = scenario([k], weights={"mode_designate": 120.0, "mode_elevate": 220.0,
                                  "change_court": 60.0})
    _, plan = plan_for(data)
    p = only(plan, "K1")
    assert p.mode == "designate" and p.court_id in ("B", "C")
    assert plan.objective == pytest.approx(180.0)
    # regularity: who decides and on what basis is recorded
    # a one-month-old case: the high court acts on its own initiative (执行工作规定第74条), not
    # on an Art. 237 application
    assert p.decided_by == "M" and "指令执行裁定" in p.basis and "第74条" in p.basis
    assert "第237条" not in p.basis
    assert "不当干预" in "".join(p.reasons)


def test_interference_goes_to_the_nearer_sibling_by_party_travel():
    k = case("K1", "A", interference=True, debtor_kind="government")
    data = scenario([k], weights={"applicant_travel": 1.0})
    _, plan = plan_for(data)
    prob = Problem.from_scenario(plan_for(data)[0])
    places = list(prob.place_codes)
    t = prob.travel
    a = places.index("331102")
    to_b, to_c = t[a, places.index("331121")], t[a, places.index("331122")]
    to_m = t[a, places.index("331100")]
    expected = "C" if to_c < to_b else "B"
    p = only(plan, "K1")
    # elevation to M (officers 0 in the base courts) is not available
    assert p.court_id == expected and p.mode == "designate"
    assert plan.objective == pytest.approx(float(min(to_b, to_c)), rel=1e-5)
    assert to_m >= 0


def test_no_ping_pong_a_designated_case_is_elevated_instead():
    courts = base_courts(M={"officers": 30, "open_caseload": 0.0})
    k = case("K1", "A", interference=True, debtor_kind="government", prior="designated")
    data = scenario([k], courts, weights={"mode_designate": 120.0, "mode_elevate": 220.0})
    _, plan = plan_for(data)
    p = only(plan, "K1")
    assert p.mode == "elevate" and p.court_id == "M"
    assert plan.objective == pytest.approx(220.0)


def test_missed_supervision_deadline_forces_designation_or_elevation():
    k = case("K1", "A", passive=True, prior="supervised_deadline_missed")
    data = scenario([k], weights={"mode_supervise": 1.0, "mode_designate": 120.0,
                                  "unresolved_passive": 10.0})
    _, plan = plan_for(data)
    assert only(plan, "K1").mode == "designate"
    assert plan.objective == pytest.approx(120.0)


def test_complex_case_is_elevated_when_help_is_worth_it():
    courts = base_courts(M={"officers": 30, "open_caseload": 0.0})
    data = scenario([case("K1", "A", complex=True)], courts,
                    weights={"mode_elevate": 220.0, "change_court": 60.0, "unresolved_complex": 500.0,
                             "mode_coordinate": 300.0},  # coordination alone costs more here
                    rules={"lending_min_keep_share": 1.0})
    _, plan = plan_for(data)
    p = only(plan, "K1")
    assert p.mode == "elevate" and p.court_id == "M"
    assert plan.objective == pytest.approx(280.0)
    # …and kept when the help costs more than leaving it
    data["weights"]["unresolved_complex"] = 250.0
    _, plan = plan_for(data)
    assert only(plan, "K1").mode == "keep"
    assert plan.objective == pytest.approx(250.0)


def test_related_cases_are_concentrated_all_together_or_not_at_all():
    ks = [case("K1", "A", debtor_id="D1"), case("K2", "B", debtor_id="D1")]
    w = {"mode_concentrate": 120.0, "change_court": 60.0, "unresolved_related": 200.0}
    _, plan = plan_for(scenario(ks, weights=w))
    p1, p2 = only(plan, "K1"), only(plan, "K2")
    assert p1.mode == p2.mode == "concentrate"
    assert p1.court_id == p2.court_id and p1.court_id in ("A", "B")
    assert plan.objective == pytest.approx(120.0 * 2 + 60.0)
    # cheaper to leave them apart: none is concentrated
    w["unresolved_related"] = 100.0
    _, plan = plan_for(scenario(ks, weights=w))
    assert {only(plan, "K1").mode, only(plan, "K2").mode} == {"keep"}
    assert plan.objective == pytest.approx(200.0)


def _overloaded_a() -> list[dict]:
    return [
        court("M", "丽水市中级人民法院", "intermediate", None, "331100", officers=0, caseload=0),
        court("A", "丽水市莲都区人民法院", "basic", "M", "331102", officers=10, cpo=10.0, caseload=110),
        court("B", "青田县人民法院", "basic", "M", "331121", officers=20, cpo=10.0, caseload=100),
    ]


def test_coordinate_for_lack_of_staff_brings_an_officer():
    # A is at 110 % (short of staff above 105 %); no load penalty, so only the rule that 协同
    # brings officers makes the plan borrow one (before, 协同 escaped its price for nothing)
    w = {"mode_coordinate": 90.0, "unresolved_understaffed": 500.0, "mode_designate": 1000.0,
         "officer_lending_fixed": 5.0}
    _, plan = plan_for(scenario([case("K1", "A")], _overloaded_a(), weights=w,
                                rules={"understaffed_utilisation": 1.05}))
    p = only(plan, "K1")
    assert p.mode == "coordinate" and p.coordination == "officers"
    assert [(m.from_court, m.to_court, m.officers) for m in plan.staff_moves] == [("B", "A", 1)]
    a = next(c for c in plan.courts if c.court_id == "A")
    assert a.capacity == pytest.approx(110.0) and a.officers_borrowed == 1
    assert plan.objective == pytest.approx(95.0)  # 90 for the mode, 5 for the officer


def test_complex_case_gets_coordination_without_officers():
    # A is not short of staff: the complex case is helped by the upper court's coordination,
    # and nobody is lent for it (officers come for staff shortages only)
    w = {"mode_coordinate": 90.0, "unresolved_complex": 500.0, "load_slopes": [30.0, 30.0, 30.0],
         "officer_lending_fixed": 5.0}
    _, plan = plan_for(scenario([case("K1", "A", complex=True)], _overloaded_a(), weights=w,
                                rules={"understaffed_utilisation": 5.0}))
    p = only(plan, "K1")
    assert p.mode == "coordinate" and p.coordination == "coordination"
    assert plan.staff_moves == ()
    assert plan.objective == pytest.approx(90.0 + 10 * 30.0)  # A stays 10 units over


def test_far_asset_matter_is_entrusted_when_cheaper_than_travel():
    assets = [{"id": "房产1", "kind": "real_estate", "place": "331127", "value": 5e5}]
    data = scenario([case("K1", "A", assets=assets)],
                    weights={"asset_travel": 1.0, "entrust_matter": 25.0})
    _, plan = plan_for(data)
    p = only(plan, "K1")
    assert p.mode == "keep" and p.entrusted_assets == ("房产1",)
    assert plan.objective == pytest.approx(25.0)
    assert plan.kpis["matters_entrusted"] == 1


def test_terminable_case_is_reported_not_moved():
    k = case("K1", "A", passive=True, assets=[])
    data = scenario([k], weights={"unresolved_passive": 400.0, "mode_supervise": 1.0})
    _, plan = plan_for(data)
    p = only(plan, "K1")
    assert p.mode == "keep" and p.reasons and "终本" in p.reasons[0]
    assert plan.objective == 0.0


def test_applicant_objection_keeps_a_case_home():
    k = case("K1", "A", passive=True, objects=True)
    w = {"unresolved_passive": 400.0, "mode_supervise": 300.0, "mode_designate": 100.0,
         "applicant_objection": 600.0}
    _, plan = plan_for(scenario([k], weights=w))
    assert only(plan, "K1").mode == "supervise"
    assert plan.objective == pytest.approx(300.0)


def test_hard_ceiling_refuses_to_overfill_a_receiving_court():
    courts = base_courts(B={"officers": 1, "cases_per_officer": 1.0, "open_caseload": 1.0},
                         C={"officers": 10, "cases_per_officer": 10.0, "open_caseload": 50.0})
    k = case("K1", "A", interference=True, debtor_kind="government", applicant_place="331121")
    data = scenario([k], courts, weights={"applicant_travel": 1.0},
                    rules={"max_utilisation": 1.5})
    _, plan = plan_for(data)
    assert only(plan, "K1").court_id == "C"  # B is nearer but would reach 200 %


def test_same_seed_same_plan(lishui):
    p1 = solve(Problem.from_scenario(lishui), SolveParams(time_limit=30, seed=7))
    p2 = solve(Problem.from_scenario(lishui), SolveParams(time_limit=30, seed=7))
    assert [(c.mode, c.court_id) for c in p1.cases] == [(c.mode, c.court_id) for c in p2.cases]
    assert p1.objective == p2.objective


def test_lishui_plan_is_feasible_and_proven(lishui):
    _, plan = plan_for(lishui)
    assert plan.status in ("optimal", "within_gap")
    assert plan.gap <= 1e-3
    assert plan.bound <= plan.objective + 1e-6
    assert plan.objective <= plan.stats.baseline_objective + 1e-6
    assert len(plan.cases) == len(lishui.cases)


def test_params_are_validated():
    with pytest.raises(ValueError, match="time_limit"):
        SolveParams(time_limit=0)
    with pytest.raises(ValueError, match="gap"):
        SolveParams(gap=1.5)


def _two_prefectures(passive: bool = True):
    """A high court over two intermediate courts; debtor D1 has a case in each prefecture."""
    courts = two_prefecture_courts()
    ks = [case("K1", "A", debtor_id="D1"), case("K2", "C", debtor_id="D1"),
          case("K3", "B", passive=passive), case("K4", "D", passive=passive)]
    w = {"mode_concentrate": 100.0, "change_court": 50.0, "unresolved_related": 300.0,
         "mode_supervise": 40.0, "unresolved_passive": 400.0}
    return scenario(ks, courts, weights=w, dispatcher="H")


def test_debtor_group_spanning_two_prefectures_is_decided_once():
    _, plan = plan_for(_two_prefectures())
    p1, p2 = only(plan, "K1"), only(plan, "K2")
    assert p1.mode == p2.mode == "concentrate" and p1.court_id == p2.court_id
    assert p1.decided_by == p2.decided_by == "H"  # the common superior decides 集中执行
    # small pieces: the group merges them and the solve stays exact
    assert plan.stats.linking_groups == 0 and plan.stats.pieces == 1
    # two concentrations (100 each) + one hand-over (50) + two supervisions (40 each)
    assert plan.objective == pytest.approx(330.0)
    assert plan.status == "optimal"


def test_linking_group_relaxed_when_pieces_are_large():
    """Past the piece-size limit the group is decided once; the bound stays valid."""
    # (no passive cases: their designations across prefectures would join the two pieces)
    _, plan = plan_for(_two_prefectures(passive=False), max_piece_cases=1)
    assert plan.stats.linking_groups == 1 and plan.stats.pieces == 2
    assert only(plan, "K1").court_id == only(plan, "K2").court_id
    assert plan.objective == pytest.approx(250.0)
    # each copy pays its share of the group's cost at each target (`linking._shared_costs`):
    # the relaxation is exact here, bound 250 (paying only its own member, each copy stayed
    # home: 100 + 100, bound 200, gap 20 %)
    assert plan.bound == pytest.approx(250.0)
    assert plan.status == "optimal" and plan.gap == pytest.approx(0.0, abs=1e-9)


def test_cases_without_choice_that_must_move_count_in_the_receiving_load():
    # K1 can only be elevated to M (designated once before, must leave home): it has no choice,
    # but its workload lands on M, which is at its target; K2 may be elevated too or supervised
    courts = base_courts(M={"officers": 1, "cases_per_officer": 4.0, "open_caseload": 4.0})
    ks = [case("K1", "A", interference=True, debtor_kind="government", prior="designated",
               workload=2.0),
          case("K2", "B", passive=True)]
    w = {"mode_elevate": 10.0, "mode_supervise": 50.0, "mode_designate": 1000.0,
         "unresolved_passive": 400.0, "load_slopes": [100.0, 100.0, 100.0]}
    _, plan = plan_for(scenario(ks, courts, weights=w))
    assert only(plan, "K1").mode == "elevate"
    # M: load 4 + 2 over capacity 4 already costs 200; elevating K2 would add 100 > 50 - 10
    assert only(plan, "K2").mode == "supervise"
    assert plan.objective == pytest.approx(10 + 200 + 50)
    assert plan.status == "optimal" and plan.bound == pytest.approx(plan.objective)
