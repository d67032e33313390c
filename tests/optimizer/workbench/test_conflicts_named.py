"""The workbench's answers in the corners, one small named scenario each: a pin of one member of
a debtor group, pins and issued decisions into barred courts, every court barred, the least
sufficient ceiling, the regret's proven range, and files of another scenario."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from optimizer.cli import main
from optimizer.data.changes import ChangesError, ChangeSet
from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.pipeline import ChangesConflict, plan_problem
from optimizer.report.workbench import explanation_text
from optimizer.solver.params import SolveParams
from optimizer.workbench.compare import compare
from optimizer.workbench.explain import exact_regret, explain
from optimizer.workbench.view import view
from tests.builders import base_courts, case, scenario
from tests.checker import check_plan

FAST = SolveParams(time_limit=10, workers=1)


def problem(data: dict[str, Any]) -> Problem:
    return Problem.from_scenario(parse_scenario(data))


def changes(**kw: Any) -> ChangeSet:
    return ChangeSet.model_validate(kw)


# ---------------------------------------------------------------- a debtor group, all or none
def debtor_group() -> dict[str, Any]:
    """Debtor D has cases at A, B and C; concentrating them is cheap."""
    ks = [case("G1", "A", debtor_id="D"), case("G2", "B", debtor_id="D"),
          case("G3", "C", debtor_id="D"), case("K1", "A", passive=True)]
    return scenario(ks, weights={"mode_concentrate": 20.0, "unresolved_related": 300.0,
                                 "change_court": 30.0, "applicant_travel": 1.0,
                                 "unresolved_passive": 300.0, "mode_supervise": 40.0})


def test_pinning_one_member_pulls_the_whole_group_to_that_court() -> None:
    # old planner: `courtplan: negative axis 0 index: -1` from the model build
    p = problem(debtor_group())
    plan = plan_problem(p, changes(pins=[{"case": "G2", "mode": "concentrate", "court": "C"}]),
                        FAST)
    got = {c.case_id: (c.mode, c.court_id) for c in plan.cases if c.case_id.startswith("G")}
    assert got == {g: ("concentrate", "C") for g in ("G1", "G2", "G3")}
    assert not check_plan(p.scenario, plan)


def test_a_member_pinned_elsewhere_is_refused_naming_the_all_or_none_rule() -> None:
    p = problem(debtor_group())
    ch = changes(pins=[{"case": "G2", "mode": "concentrate", "court": "C"},
                       {"case": "G1", "mode": "keep", "court": "A"}])
    with pytest.raises(ChangesError, match=r"changes.pins\[0\]: case G2 may not be concentrated "
                                           r"at C: it conflicts with changes.pins\[1\] \(集中执行 "
                                           r"takes all of a debtor's related cases or none\)"):
        plan_problem(p, ch, FAST)


# ---------------------------------------------------------------- bars and forbids
def movable() -> dict[str, Any]:
    """K1 at A is handled passively: designating it to B or C is lawful."""
    return scenario([case("K1", "A", passive=True, filed="2025-01-01")],
                    weights={"mode_designate": 10.0, "unresolved_passive": 400.0})


def test_a_pin_into_a_barred_court_names_the_bar_not_the_candidate_list() -> None:
    # old planner: "not among the K nearest designation targets (rules.max_candidates)"
    p = problem(movable())
    ch = changes(bar_receiving=["B"], forbid=[{"case": "K1", "court": "B"}],
                 pins=[{"case": "K1", "mode": "designate", "court": "B"}])
    with pytest.raises(ChangesError) as e:
        plan_problem(p, ch, FAST)
    text = str(e.value)
    assert ("changes.pins[0]: case K1 may not be designated to B: it conflicts with "
            "changes.bar_receiving[0] and changes.forbid[0]") in text
    assert "max_candidates" not in text


def test_an_issued_decision_into_a_barred_court_names_the_bar() -> None:
    p = problem(movable())
    first = plan_problem(p, changes(pins=[{"case": "K1", "mode": "designate", "court": "C"}]),
                         FAST)
    with pytest.raises(ChangesError, match=r"previous plan: issued decision 0 \(K1 designate@C\)"
                                           r": case K1 may not be designated to C: it conflicts "
                                           r"with changes.bar_receiving\[0\]"):
        plan_problem(p, changes(bar_receiving=["C"]), FAST, previous=first)


def test_barring_every_court_is_a_conflict_with_the_hard_rules() -> None:
    # old planner: exit 0, "optimal", and a note blaming geography on each interference case
    ks = [case("K1", "A", interference=True, debtor_kind="government"), case("K2", "B")]
    p = problem(scenario(ks, base_courts(M={"officers": 20}), weights={"mode_designate": 10.0}))
    with pytest.raises(ChangesConflict) as e:
        plan_problem(p, changes(bar_receiving=["M", "A", "B", "C"]), FAST)
    text = str(e.value)
    assert "barring" in text and "conflict with the hard rules" in text
    assert "interference case left in the debtor's home locality" in text
    assert "resolved by dropping [barring" in text and "cheapest:" in text


# ---------------------------------------------------------------- relaxations
def over_the_ceiling() -> dict[str, Any]:
    """Pinning K0 (251.4 units) to C (capacity 1,200, 1,200 open) needs a ceiling of 1.2095."""
    courts = base_courts(C={"officers": 20, "open_caseload": 1200.0}, A={"open_caseload": 1300.0})
    ks = [case("K0", "A", passive=True, filed="2025-01-01", workload=251.4)]
    return scenario(ks, courts, weights={"mode_designate": 10.0, "unresolved_passive": 400.0},
                    rules={"max_utilisation": 1.2})


def test_the_least_sufficient_ceiling_at_the_printed_precision_in_singular_words() -> None:
    # old planner: "raising the ceiling (max_utilisation) to 1.22" and "together they conflict"
    p = problem(over_the_ceiling())
    with pytest.raises(ChangesConflict) as e:
        plan_problem(p, changes(pins=[{"case": "K0", "mode": "designate", "court": "C"}]), FAST)
    text = str(e.value)
    assert "raising the ceiling (max_utilisation) to 1.21;" in text
    assert "— conflicts with the hard rules" in text and "together" not in text
    assert "from a quick re-solve: at most 3 s, gap within 0.10%" in text
    for u, ok in ((1.21, True), (1.2, False)):
        ch = changes(rules={"max_utilisation": u},
                     pins=[{"case": "K0", "mode": "designate", "court": "C"}])
        if ok:
            assert plan_problem(p, ch, FAST).status != "infeasible"
        else:
            with pytest.raises(ChangesConflict):
                plan_problem(p, ch, FAST)


# ---------------------------------------------------------------- the regret's range
def test_a_regret_on_a_plan_with_a_gap_prints_its_proven_range() -> None:
    data = json.loads((__import__("pathlib").Path(__file__).parents[3] / "scenarios" /
                       "lishui.json").read_text(encoding="utf-8"))
    p = problem(data)
    # without the load rows' rounding cuts Lishui stops with a gap (≈ 0.04 %, limit 5 %); with
    # them it is proven optimal and the regret is one point, not a range
    loose = SolveParams(gap=0.05, time_limit=30, load_cuts=False)
    plan = plan_problem(p, None, loose)
    assert plan.objective - plan.bound > 1.0  # a gap
    v = view(p, plan)
    (e,) = explain(v, [next(c.case_id for c in plan.cases if c.mode == "designate")])
    r = exact_regret(v, e.case_id, e.alternatives[0], loose)
    assert r.regret_low < r.regret_high
    assert r.regret_low <= r.regret <= r.regret_high
    assert np.isclose(r.regret_high - r.regret_low,
                      (r.objective - r.bound) + (plan.objective - plan.bound), atol=1e-3)
    text = explanation_text(e, [r])
    assert "证明范围 proven range" in text
    assert f"[{r.regret_low:+,.2f}, {r.regret_high:+,.2f}]" in text


# ---------------------------------------------------------------- another scenario's files
def test_compare_warns_and_warm_start_refuses_another_scenarios_plan(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    one, other = movable(), movable()
    other["name"] = "另一场景"
    paths = {}
    for name, data in (("one", one), ("other", other)):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        plan = tmp_path / f"{name}.plan.json"
        assert main(["solve", str(paths[name]), "--quiet", "--workers", "1", "--out", str(plan),
                     "--keep-warm-start"]) == 0
    capsys.readouterr()
    from optimizer.results.plan import Plan

    a, b = (Plan.from_json((tmp_path / f"{n}.plan.json").read_text(encoding="utf-8"))
            for n in ("one", "other"))
    assert any("测试场景" in w and "另一场景" in w for w in compare(a, b).warnings)
    assert compare(a, a).warnings == ()
    code = main(["solve", str(paths["one"]), "--quiet", "--warm-start",
                 str(tmp_path / "other.plan.json")])
    err = capsys.readouterr().err
    assert code == 2 and "'另一场景'" in err and "'测试场景'" in err
    with pytest.raises(ChangesError, match="另一场景"):
        plan_problem(problem(one), None, FAST, warm_start=b)
