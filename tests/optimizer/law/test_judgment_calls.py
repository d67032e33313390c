"""The judgment calls of docs/law.md, each on a small named scenario (see "Judgment calls")."""

from __future__ import annotations

import json

from tests.builders import case, scenario, zhejiang_courts, zhejiang_scenario
from tests.conftest import plan_for


def only(plan, case_id):
    return next(c for c in plan.cases if c.case_id == case_id)


def test_a_designated_member_only_gathers_its_group_at_its_own_court():
    # A. K1 was designated to A once; concentrating D1 elsewhere would designate it again.
    # B is far cheaper for everyone, yet the group may only gather at A (or not at all).
    ks = [case("K1", "A", debtor_id="D1", prior="designated", applicant_place="331121"),
          case("K2", "B", debtor_id="D1"), case("K3", "B", debtor_id="D1")]
    w = {"mode_concentrate": 10.0, "unresolved_related": 500.0, "applicant_travel": 1.0}
    _, plan = plan_for(scenario(ks, weights=w))
    courts = {only(plan, k).court_id for k in ("K1", "K2", "K3")}
    assert {only(plan, k).mode for k in ("K1", "K2", "K3")} == {"concentrate"}
    assert courts == {"A"}


def test_a_group_is_never_concentrated_down_a_level():
    # B. one member sits at the intermediate court M1: a basic court target would move it down
    courts = zhejiang_courts(M1={"officers": 30, "open_caseload": 100.0})
    ks = [case("K1", "M1", debtor_id="D1"), case("K2", "A", debtor_id="D1"),
          case("K3", "A", debtor_id="D1")]
    w = {"mode_concentrate": 10.0, "unresolved_related": 500.0, "change_court": 50.0}
    _, plan = plan_for(zhejiang_scenario(ks, courts, weights=w))
    target = {only(plan, k).court_id for k in ("K1", "K2", "K3")}
    assert {only(plan, k).mode for k in ("K1", "K2", "K3")} == {"concentrate"}
    assert target == {"M1"}  # A would save two hand-overs but is a level down


def test_the_plan_acts_on_the_first_day_of_the_period():
    # D. the plan says its date, and the Art. 237 clock is read on it: filed 2025-06-16 is not
    # yet overdue on 2025-12-16 (the six months end that Tuesday), but is on 2025-12-17
    k = case("K1", "A", filed="2025-06-16")
    data = scenario([k], weights={"mode_supervise": 1.0, "unresolved_overdue": 100.0,
                                  "mode_designate": 500.0, "mode_elevate": 500.0},
                    start="2025-12-16")
    _, plan = plan_for(data)
    assert plan.plan_date == "2025-12-16" and only(plan, "K1").mode == "keep"
    assert json.loads(plan.to_json())["plan_date"] == "2025-12-16"
    data["period"]["start"] = "2025-12-17"
    _, plan = plan_for(data)
    assert plan.plan_date == "2025-12-17" and only(plan, "K1").mode == "supervise"


def test_cases_outside_the_district_cost_nothing_and_are_not_counted():
    # C. dispatcher M1: the case at 金华 (J) is outside; it adds no cost and no count
    inside = [case("K1", "A")]
    outside = [*inside, case("K2", "J", passive=True)]
    w = {"applicant_travel": 1.0, "unresolved_passive": 400.0}
    _, p_in = plan_for(zhejiang_scenario(inside, zhejiang_courts(J={"officers": 20}), weights=w,
                                         dispatcher="M1"))
    _, p_out = plan_for(zhejiang_scenario(outside, zhejiang_courts(J={"officers": 20}), weights=w,
                                          dispatcher="M1"))
    assert p_out.objective == p_in.objective
    assert p_out.kpis["cases"] == 1 and p_out.kpis["rules"]["cases_outside_district"] == 1
    assert only(p_out, "K2").mode == "keep" and only(p_out, "K2").reasons == ()
