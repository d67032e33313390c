"""执转破 screening: one named scenario per condition (tests/screening_scenarios.py), the
defects of the new blocks named by field and record, and the plan's suspension of a
`transfer` group, checked by the independent checker."""

from __future__ import annotations

import copy

import pytest

from optimizer.data.changes import ChangesError, ChangeSet, Pin
from optimizer.data.read import parse_scenario
from optimizer.data.screening import screen
from optimizer.data.validate import ScenarioError
from optimizer.data.validate_outcomes import credit_code_check_digit
from optimizer.law.bankruptcy import Screening
from optimizer.pipeline import plan_scenario
from tests.builders import case, scenario
from tests.checker import check_plan
from tests.screening_scenarios import CREDIT_CODE, SCENARIOS


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_condition_gives_its_status_and_court(name: str) -> None:
    raw, status, receiving = SCENARIOS[name]
    s = parse_scenario(copy.deepcopy(raw))
    r = screen(s)
    row = r.debtor_ids.index("X")
    assert Screening(int(r.status[row])).key == status, r.reason(row)
    court = int(r.receiving_court[row])
    assert (s.courts[court].id if court >= 0 else None) == receiving
    assert "民诉法解释第511条" in r.basis(row) and "法发〔2017〕2号（司法政策性文件）" in r.basis(row)


def test_credit_code_check_digit_is_the_standard_one() -> None:
    assert credit_code_check_digit("91350100M000100Y4") == "3"  # GB 32100-2015's example
    assert credit_code_check_digit(CREDIT_CODE[:17]) == CREDIT_CODE[17]


def _defects(raw: dict) -> list[str]:
    with pytest.raises(ScenarioError) as e:
        parse_scenario(raw)
    return [str(d) for d in e.value.defects]


def test_defects_name_field_and_record() -> None:
    raw = copy.deepcopy(SCENARIOS["transfer_debtor_consent"][0])
    raw["debtors"][0]["credit_code"] = CREDIT_CODE[:17] + "0"
    raw["debtors"][0]["consent"] = {"date": "2025-12-15", "by": "applicant", "case": "NOPE"}
    raw["debtors"].append({"id": "GHOST", "kind": "natural_person"})
    raw["terminated"][0]["cases"][0]["terminated"] = "2024-03-01"  # filed 2024-01-10
    raw["history"] = [{"court": "A", "months": [
        {"month": "2025-10", "filed": 10, "closed_done": 3, "closed_terminated": 2,
         "closed_other": 0, "pending_end": 50},
        {"month": "2025-12", "filed": 10, "closed_done": 3, "closed_terminated": 2,
         "closed_other": 0, "pending_end": 55}]}]
    text = "\n".join(_defects(raw))
    assert "debtors[0].credit_code X: 统一社会信用代码 check digit is '0'" in text
    assert "debtors[0].consent.case X: case 'NOPE' is not a case against debtor 'X'" in text
    assert "debtors[1] GHOST: debtor 'GHOST' has no case" in text
    assert "terminated[0].cases[0].terminated （2024）浙1102执100号: 终本 on 2024-03-01, less than " \
           "three months after filing" in text
    assert "history[0].months[1].month A: 2025-12 does not follow 2025-10" in text


def test_applicants_consent_names_the_case_and_bad_kind_is_refused() -> None:
    raw = copy.deepcopy(SCENARIOS["transfer_debtor_consent"][0])
    raw["debtors"][0]["consent"] = {"date": "2026-02-01", "by": "applicant"}
    raw["debtors"][0]["kind"] = "company"
    text = "\n".join(_defects(raw))
    assert "debtors[0].kind" in text  # not one of the three kinds
    raw["debtors"][0]["kind"] = "enterprise_legal_person"
    text = "\n".join(_defects(raw))
    assert "debtors[0].consent.date X: consent dated 2026-02-01, after the plan date" in text
    assert "debtors[0].consent.case X: an applicant's consent names the case" in text


def _suspension_scenario() -> dict:
    """Debtor X (transfer) has interference cases at A and B: without screening they would
    have to move and could be concentrated."""
    raw = copy.deepcopy(SCENARIOS["transfer_debtor_consent"][0])
    for k in raw["cases"]:
        if k["debtor_id"] == "X":
            k["flags"]["interference"] = True
            k["flags"]["passive_handling"] = True
    return raw


def test_transfer_group_is_suspended_case_by_case() -> None:
    raw = _suspension_scenario()
    s = parse_scenario(raw)
    plan = plan_scenario(s)
    x = [c for c in plan.cases if c.case_id.startswith("X")]
    assert {(c.mode, c.court_id == c.from_court_id) for c in x} == {("keep", True)}
    assert all("中止执行" in (c.note or "") and "第511条" in c.basis for c in x)
    assert plan.kpis["rules"]["transfer_suspended"] == 2
    assert check_plan(s, plan) == []


def test_without_consent_the_group_is_planned_and_the_checker_notices_a_move() -> None:
    raw = _suspension_scenario()
    del raw["debtors"][0]["consent"]
    s = parse_scenario(raw)
    plan = plan_scenario(s)
    moved = [c for c in plan.cases if c.case_id.startswith("X") and c.mode != "keep"]
    assert moved  # interference cases must leave: screening alone (consult) moves nothing
    with_consent = parse_scenario(_suspension_scenario())
    assert any("bankruptcy review" in b for b in check_plan(with_consent, plan))


@pytest.mark.parametrize("changes", [
    ChangeSet(not_transfer=("X",)),
    ChangeSet(pins=(Pin(case="X0", mode="designate", court="C"),)),
])
def test_the_planner_can_override(changes: ChangeSet) -> None:
    s = parse_scenario(_suspension_scenario())
    plan = plan_scenario(s, changes)
    x = [c for c in plan.cases if c.case_id.startswith("X")]
    assert all(c.mode != "keep" for c in x)
    assert check_plan(s, plan, released=frozenset({"X"})) == []
    assert check_plan(s, plan) != []


def test_not_transfer_of_a_debtor_not_screened_for_transfer_is_named() -> None:
    s = parse_scenario(scenario([case("K1", "A")]))
    with pytest.raises(ChangesError, match=r"changes.not_transfer\[0\]: debtor D-K1 is not"):
        plan_scenario(s, ChangeSet(not_transfer=("D-K1",)))


def test_groups_outside_the_district_are_not_listed() -> None:
    raw = copy.deepcopy(SCENARIOS["company_unconfirmed"][0])
    raw["dispatcher"] = "C"  # the district is court C alone
    raw["courts"][3]["parent"] = "M"
    r = screen(parse_scenario(raw))
    assert "X" not in r.debtor_ids and "Z" in r.debtor_ids


def test_an_overridden_plan_reads_in_the_workbench() -> None:
    from optimizer.data.problem import Problem
    from optimizer.workbench.explain import explain
    from optimizer.workbench.view import view

    s = parse_scenario(_suspension_scenario())
    plan = plan_scenario(s, ChangeSet(not_transfer=("X",)))
    v = view(Problem.from_scenario(s), plan)  # the moved X cases are lawful once released
    assert v.p.transfer_released == frozenset({"X"})
    assert [e.case_id for e in explain(v, ["X0"])] == ["X0"]
    kept = view(Problem.from_scenario(s), plan_scenario(s))
    assert kept.p.transfer_released == frozenset() and kept.p.suspended.sum() == 2
