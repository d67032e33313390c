"""recommend under the all-or-none rule of 集中执行: a new case of a debtor whose other cases the
plan concentrates either joins them, or keeps apart and dissolves their group. Each option's
incremental cost equals the constrained re-solve — every case outside the debtor's group as
planned, the new case pinned to the option, the group's other cases free exactly when the group
rule forces them to change (the plan concentrated them and the option keeps the new case apart)
— enumerated here over the scenario with the new case, so the ranking is the re-solves'."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.law.modes import MODE_BY_KEY, Mode
from optimizer.model.decision import Decision
from optimizer.model.options import build_options
from optimizer.results import gate
from optimizer.results.evaluate import evaluate
from optimizer.results.plan import Plan
from optimizer.workbench.recommend import recommend
from optimizer.workbench.view import view
from tests.builders import base_courts, case, scenario
from tests.conftest import plan_for

W = {"applicant_travel": 1.0, "debtor_travel": 0.5, "change_court": 30.0, "mode_supervise": 40.0,
     "mode_designate": 120.0, "mode_elevate": 220.0, "mode_concentrate": 20.0,
     "unresolved_related": 400.0, "unresolved_passive": 150.0, "unresolved_overdue": 200.0,
     "load_slopes": [1.0, 3.0, 9.0]}


def with_new(data: dict, new: dict) -> Problem:
    for c in data["courts"]:
        if c["id"] == new["court"]:
            c["open_caseload"] += new["workload"]
    data["cases"] = [*data["cases"], new]
    return Problem.from_scenario(parse_scenario(data))


def completions(data: dict, plan: Plan, new: dict) -> dict[tuple[str, str], float]:
    """Per option (mode, court) of the new case: the least objective of the scenario with the new
    case, every other case as planned except the group members the rule frees."""
    p = with_new(data, new)
    o = build_options(p)
    i = p.n_cases - 1
    g = int(p.related_groups[0][i])
    group = [int(m) for m in np.flatnonzero(p.related_groups[0] == g) if m != i] if g >= 0 else []
    planned = {c.case_id: (MODE_BY_KEY[c.mode], p.court_ids.index(c.court_id)) for c in plan.cases}
    concentrated = bool(group) and all(planned[p.case_ids[m]][0] == Mode.CONCENTRATE for m in group)
    option = np.full(p.n_cases, -1, dtype=np.int64)
    for m in range(i):
        if m in group and concentrated:
            continue
        mode, court = planned[p.case_ids[m]]
        rows = np.flatnonzero((o.case == m) & (o.mode == mode) & (o.court == court))
        assert len(rows) == 1, (p.case_ids[m], mode, court)
        option[m] = rows[0]
    n_groups = int(o.target_group.max()) + 1 if len(o.target_group) else 0
    out: dict[tuple[str, str], float] = {}

    def take(key: tuple[str, str], opt: np.ndarray, targets: np.ndarray) -> None:
        d = Decision(opt, targets, np.zeros(len(o.lend_from), dtype=np.int64))
        ev = evaluate(p, o, d)
        if not gate.check(p, o, d, ev):
            out[key] = min(out.get(key, math.inf), ev.objective)

    for r in np.flatnonzero(o.case == i).tolist():
        key = (Mode(int(o.mode[r])).key, p.court_ids[int(o.court[r])])
        freed = group if concentrated else []
        for pick in itertools.product(*[np.flatnonzero(o.case == m).tolist() for m in freed]):
            opt = option.copy()
            opt[i] = r
            for m, row in zip(freed, pick, strict=True):
                opt[m] = row
            take(key, opt, np.full(n_groups, -1, dtype=np.int64))
    if concentrated:  # joining the others where the plan gathers them
        at = planned[p.case_ids[group[0]]][1]
        for t in np.flatnonzero((o.target_group == g) & (o.target_court == at)).tolist():
            targets = np.full(n_groups, -1, dtype=np.int64)
            targets[g] = t
            take((Mode.CONCENTRATE.key, p.court_ids[at]), option.copy(), targets)
    return out


member = st.fixed_dictionaries({"court": st.sampled_from("ABC"), "passive": st.booleans(),
                                "old": st.booleans(), "workload": st.sampled_from([1.0, 6.0])})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(members=st.lists(member, min_size=2, max_size=3), others=st.lists(member, max_size=2),
       new=member, officers=st.tuples(*[st.integers(1, 4)] * 3),
       ceiling=st.sampled_from([None, 1.4]))
def test_ranking_equals_the_constrained_re_solves(members, others, new, officers,  # type: ignore[no-untyped-def]
                                                  ceiling) -> None:
    def make(cid: str, m: dict, debtor: str) -> dict:
        return case(cid, m["court"], workload=m["workload"], passive=m["passive"],
                    filed="2025-01-10" if m["old"] else "2025-12-01", debtor_id=debtor)

    courts = base_courts(**{c: {"officers": n, "open_caseload": 40.0 * n}
                            for c, n in zip("ABC", officers, strict=True)})
    cases = [make(f"G{k}", m, "DG") for k, m in enumerate(members)]
    cases += [make(f"K{k}", m, f"D{k}") for k, m in enumerate(others)]
    data = scenario(cases, courts, weights=W,
                    rules={"max_utilisation": ceiling, "lending_min_keep_share": 1.0})
    s, plan = plan_for(data, gap=0.0)
    record = make("N1", new, "DG")
    r = recommend(view(Problem.from_scenario(s), plan), record, k=100)
    truth = completions(data, plan, record)
    got = {(o.mode, o.court_id): o.incremental for o in r.options}
    want = {key: round(v - plan.objective, 4) for key, v in truth.items()}
    assert got.keys() == want.keys(), (got, want, r.excluded)
    for key, value in got.items():
        assert value == pytest.approx(want[key], abs=1e-3), key
    assert [o.incremental for o in r.options] == sorted(o.incremental for o in r.options)


def test_keeping_a_new_case_apart_dissolves_the_concentrated_group() -> None:
    # the reviewer's case: the debtor's cases at A and B are concentrated at A; a new case at C
    # "kept, the others stay concentrated" is not lawful — keeping it apart moves the others too
    courts = base_courts(A={"officers": 3, "open_caseload": 100.0},
                         B={"officers": 3, "open_caseload": 100.0},
                         C={"officers": 3, "open_caseload": 100.0})
    cases = [case("G1", "A", debtor_id="DG", passive=True, filed="2025-01-10"),
             case("G2", "B", debtor_id="DG", passive=True, filed="2025-01-10")]
    data = scenario(cases, courts, weights=W, rules={"lending_min_keep_share": 1.0})
    s, plan = plan_for(data, gap=0.0)
    assert {c.mode for c in plan.cases} == {"concentrate"}
    record = case("N1", "C", debtor_id="DG", passive=True, filed="2025-01-10")
    r = recommend(view(Problem.from_scenario(s), plan), record, k=100)
    apart = [o for o in r.options if o.mode != "concentrate"]
    assert apart and all(o.dissolves and o.group_cost > 0 for o in apart)
    assert {c for c, _, _ in apart[0].dissolves} == {"G1", "G2"}
    truth = completions(data, plan, record)
    assert [(o.mode, o.court_id) for o in r.options] == sorted(truth, key=truth.__getitem__)
