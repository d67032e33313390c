"""The corners of the law, one small named scenario each (docs/law.md rules 5, 10, 13, 14, and
judgment call C): a period ending on a 法定休假日, the statutory six months against a planner's
watch period, lending that brings force to the court that lacks it, the district's edge, and an
act obligation's clock. Every solve goes through `plan_for`, so the independent checker runs too.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pytest

from optimizer.data.calendar_check import calendar_warnings
from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.data.validate import ScenarioError
from optimizer.law.calendar import national_calendar, notices
from optimizer.law.clock import period_end
from optimizer.law.modes import OUTSIDE_DISTRICT_NOTE
from tests.builders import base_courts, case, scenario, zhejiang_courts, zhejiang_scenario
from tests.checker import cites
from tests.conftest import plan_for

D = dt.date


def only(plan, case_id):  # type: ignore[no-untyped-def]
    return next(c for c in plan.cases if c.case_id == case_id)


# ---------------------------------------------------------------- 13. 法定休假日 (Art. 85 ¶3)
def national_day_clock(start: str, **calendar: Any) -> dict[str, Any]:
    """Filed 5 April 2025, the applicant applied: six months end on 5 October 2025, inside the
    国庆节、中秋节 holiday (1–8 October), so the period ends on Thursday 9 October."""
    courts = base_courts(M={"officers": 30, "open_caseload": 0.0})
    k = case("K1", "A", filed="2025-04-05", requests=True)
    data = scenario([k], courts, weights={"mode_supervise": 1.0, "mode_designate": 2.0,
                                          "mode_elevate": 2.0, "unresolved_overdue": 300.0,
                                          "unresolved_request": 300.0}, start=start)
    if calendar:
        data["calendar"] = calendar
    return data


@pytest.mark.parametrize("start", ["2025-10-06", "2025-10-08", "2025-10-09"])
def test_a_period_ending_in_the_national_day_holiday_ends_after_it(start: str) -> None:
    # old planner: overdue from 6 October, 第237条 cited three days early
    _, plan = plan_for(national_day_clock(start))
    p = only(plan, "K1")
    assert p.mode == "keep" and "第237条" not in p.basis
    assert p.wishes and "未满六个月" in p.wishes[0]
    assert plan.kpis["rules"]["art237_overdue"] == 0


def test_the_day_after_the_holiday_the_six_months_have_run() -> None:
    _, plan = plan_for(national_day_clock("2025-10-10"))
    p = only(plan, "K1")
    assert p.mode in ("supervise", "designate", "elevate")
    assert "第237条" in p.basis and "已申请" in p.basis
    assert plan.kpis["rules"]["art237_overdue"] == 1


def test_a_weekend_last_day_moves_to_monday_and_a_scenario_holiday_further() -> None:
    # filed 14 June 2025: six months end on Sunday 14 December → Monday 15 December
    def clock(start: str, **cal: Any) -> str:
        data = national_day_clock(start, **cal)
        data["cases"][0]["filed"] = "2025-06-14"
        _, plan = plan_for(data)
        return only(plan, "K1").mode

    assert clock("2025-12-15") == "keep"
    assert clock("2025-12-16") != "keep"
    # a scenario may add a holiday (or a working day): then the 15th is a rest day too
    assert clock("2025-12-16", holidays=["2025-12-15"]) == "keep"
    assert clock("2025-12-15", working_days=["2025-12-14"]) != "keep"  # a worked Sunday ends it


def test_an_adjusted_working_sunday_is_a_working_day() -> None:
    # 4 January 2026 is a Sunday worked in exchange (调休上班): a period may end on it
    cal = national_calendar()
    days = np.array(["2026-01-01", "2026-01-03", "2026-01-04", "2025-10-11", "2025-10-12"],
                    dtype="datetime64[D]")
    assert cal.is_rest_day(days).tolist() == [True, True, False, False, True]
    end = period_end(np.array(["2025-07-01"], dtype="datetime64[D]"), 6, np.zeros(1), cal)
    assert end[0] == np.datetime64("2026-01-04")


def test_the_holiday_data_names_its_notices_and_holds_together() -> None:
    years = {n.year: n for n in notices()}
    assert set(years) == {2024, 2025, 2026}
    assert years[2024].number == "国办发明电〔2023〕7号"
    assert years[2025].number == "国办发明电〔2024〕12号"
    assert years[2026].number == "国办发明电〔2025〕7号"
    for n in notices():
        assert n.title == f"国务院办公厅关于{n.year}年部分节假日安排的通知"
        assert n.issued.year == n.year - 1
        for _name, first, last, count in n.holidays:
            assert (last - first).days + 1 == count and first.year == last.year == n.year
        assert all(d.weekday() >= 5 and d.year == n.year for d in n.working_days)
    # as the notices say: 国庆节、中秋节 2025 is 1–8 October, 春节 2026 is 15–23 February
    assert ("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8), 8) in years[2025].holidays
    assert ("春节", D(2026, 2, 15), D(2026, 2, 23), 9) in years[2026].holidays


def test_validate_warns_about_a_period_ending_in_an_uncovered_year() -> None:
    data = national_day_clock("2027-01-05")
    data["period"]["end"] = "2027-06-30"
    data["cases"][0]["filed"] = "2026-07-01"  # six months end on 1 January 2027
    (warning,) = calendar_warnings(parse_scenario(data))
    assert "2027" in str(warning) and "2024–2026" in str(warning) and "K1" in str(warning)
    data["calendar"] = {"holidays": ["2027-01-01"], "covers_years": [2027]}
    assert calendar_warnings(parse_scenario(data)) == []
    data["calendar"] = {"holidays": ["2027-01-04"], "working_days": ["2027-01-04"]}
    with pytest.raises(ScenarioError, match=r"calendar\.working_days: 2027-01-04 is listed both"):
        parse_scenario(data)


# ---------------------------------------------------------------- 14. six months vs watch
def watched(**rules: Any) -> dict[str, Any]:
    """Filed 15 August 2025, the applicant asks the upper court to act; on 1 January 2026 the
    case is four and a half months old. The planner supervises after three months."""
    courts = base_courts(M={"officers": 30, "open_caseload": 0.0})
    k = case("K1", "A", filed="2025-08-15", requests=True)
    return scenario([k], courts, weights={"mode_supervise": 40.0, "mode_designate": 2.0,
                                          "mode_elevate": 2.0, "unresolved_watch": 100.0,
                                          "unresolved_overdue": 300.0,
                                          "unresolved_request": 300.0}, rules=rules)


def test_the_watch_period_supervises_on_own_initiative_never_under_article_237() -> None:
    # old planner (rules.overdue_months 3): designated it as an Art. 237 request, citing 第237条
    _, plan = plan_for(watched(watch_months=3))
    p = only(plan, "K1")
    assert p.mode == "supervise"  # the watch opens only 督促, however cheap a designation
    assert cites(p.basis, "执行工作规定", 74) and "第237条" not in p.basis
    assert "逾督促观察期" in p.basis
    assert p.wishes and "未满六个月" in p.wishes[0]  # the request stays a wish
    assert "逾督促观察期（未满六个月）" in p.reasons
    counts = plan.kpis["rules"]
    assert (counts["watch_period"], counts["watch_supervised"], counts["art237_overdue"],
            counts["art237_applied"]) == (1, 1, 0, 0)


def test_without_a_watch_period_the_case_keeps() -> None:
    _, plan = plan_for(watched())
    assert only(plan, "K1").mode == "keep" and plan.kpis["rules"]["watch_period"] == 0


def test_the_six_months_are_not_a_setting() -> None:
    data = watched(overdue_months=3)
    with pytest.raises(ScenarioError, match=r"rules.overdue_months: .*statutory.*rules.watch_months"):
        parse_scenario(data)
    parse_scenario(watched(overdue_months=6))  # older files that spell it out still read


# ---------------------------------------------------------------- 10. 协同 brings force
def lend_back_and_forth() -> dict[str, Any]:
    """A (125 % loaded) and B (130 %) are both short of staff, with cases to coordinate; C has
    room. No load penalty: officers are lent only because 协同 needs them. A short court may not
    lend, nor one that borrows."""
    courts = base_courts(A={"officers": 20, "open_caseload": 1500.0},
                         B={"officers": 20, "open_caseload": 1560.0},
                         C={"officers": 40, "open_caseload": 600.0})
    ks = [case(f"A{i}", "A", complex=True) for i in range(3)]
    ks += [case(f"B{i}", "B", complex=True) for i in range(3)]
    return scenario(ks, courts, weights={
        "mode_coordinate": 10.0, "officer_lending": 0.01, "officer_lending_fixed": 1.0,
        "unresolved_complex": 500.0, "unresolved_understaffed": 500.0, "load_slopes": [0.0],
        "mode_designate": 1000.0, "mode_elevate": 1000.0},
        rules={"cases_per_lent_officer": 2.0})


def test_short_courts_borrow_from_the_court_with_room_and_lend_none() -> None:
    _, plan = plan_for(lend_back_and_forth())
    lenders = {m.from_court for m in plan.staff_moves}
    borrowers = {m.to_court for m in plan.staff_moves}
    assert lenders == {"C"} and borrowers == {"A", "B"}
    for court in ("A", "B"):  # 3 cases, 2 per officer: 2 officers, net
        assert sum(m.officers for m in plan.staff_moves if m.to_court == court) == 2
    assert {c.mode for c in plan.cases} == {"coordinate"}


# ---------------------------------------------------------------- C. the district's edge
def test_a_case_outside_the_district_is_listed_as_outside_and_nothing_else() -> None:
    # old planner: entrusted its far asset, with a basis "事项委托（参照委托执行规定…）"
    far = [{"id": "房产1", "kind": "real_estate", "place": "330302", "value": 5e5}]
    ks = [case("K1", "J", assets=far, requests=True, filed="2025-12-01"), case("K2", "A")]
    data = zhejiang_scenario(ks, zhejiang_courts(J={"officers": 40}), dispatcher="M1",
                             weights={"asset_travel": 1.0, "entrust_matter": 25.0})
    _, plan = plan_for(data)
    p = only(plan, "K1")
    assert (p.mode, p.court_id, p.decided_by, p.basis) == ("keep", "J", None, "")
    assert p.entrusted_assets == () and p.reasons == () and p.wishes == ()
    assert p.note == OUTSIDE_DISTRICT_NOTE
    assert plan.kpis["rules"]["cases_outside_district"] == 1


# ---------------------------------------------------------------- 5. an act obligation's clock
def test_an_act_obligation_counts_from_filing_whatever_is_found_later() -> None:
    # 执行程序解释第10条（三）: filed 1 March 2025, property found 1 November: the act's six months
    # ran out in September. Old planner: the find restarted the clock — an early wish
    courts = base_courts(M={"officers": 30, "open_caseload": 0.0})
    k = case("K1", "A", filed="2025-03-01", property_found="2025-11-01", act_obligation=True,
             requests=True)
    w = {"mode_supervise": 1.0, "mode_designate": 500.0, "mode_elevate": 500.0,
         "unresolved_request": 300.0, "unresolved_overdue": 300.0}
    _, plan = plan_for(scenario([k], courts, weights=w))
    p = only(plan, "K1")
    assert p.mode == "supervise" and "第237条" in p.basis and "已申请" in p.basis
    assert p.wishes == ()
    # the same find without an act obligation does restart the clock (Art. 10(2))
    k2 = {**k, "act_obligation": False}
    _, plan = plan_for(scenario([k2], courts, weights=w))
    assert only(plan, "K1").mode == "keep" and only(plan, "K1").wishes


def test_problem_arrays_agree_with_the_scenario_file() -> None:
    data = national_day_clock("2025-10-10")
    p = Problem.from_scenario(parse_scenario(json.loads(json.dumps(data))))
    assert p.clock_end()[0] == np.datetime64("2025-10-09")
