"""Debtor groups that link pieces: the split relaxation (a valid bound), the repair to an
all-or-none decision, and the fixing of the chosen groups' load."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer.law.modes import Mode
from optimizer.model.decision import Decision
from optimizer.model.linking import decide_linking, fix_linking, repair, split_linking
from optimizer.model.options import build_options
from optimizer.model.pieces import court_components, find_pieces
from optimizer.model.rows import build_model
from optimizer.pipeline import solve
from optimizer.results import gate
from optimizer.results.evaluate import band_penalty, evaluate
from optimizer.solver import highs
from optimizer.solver.baseline import baseline_decision, decision_from, fixed_shift, free_cases
from optimizer.solver.params import SolveParams
from optimizer.solver.piece import PieceResult
from tests.optimizer.model.provinces import compile_, pcase, province, province_courts

W = {"mode_concentrate": 120.0, "change_court": 60.0, "unresolved_related": 500.0}


def linked(ks, weights=W, courts=None, max_piece_cases=1):
    p = compile_(province(ks, courts, weights=weights))
    o = build_options(p)
    free = free_cases(p, o)
    comp, linking = court_components(p, o, free, max_piece_cases)
    return p, o, free, comp, linking


def members_of(o, g):
    return np.unique(o.member_case[o.target_group[o.member_target] == g])


def total_optimum(p, max_piece_cases):
    """Sum of the pieces' MIP optima (linking groups split) plus the constant part: the
    relaxed optimum for a small `max_piece_cases`, the true one when nothing links."""
    o = build_options(p)
    free = free_cases(p, o)
    comp, linking = court_components(p, o, free, max_piece_cases)
    o_rel, _ = split_linking(p, o, comp, linking)
    pieces = find_pieces(p, o_rel, free, comp)
    base = baseline_decision(p, o)
    ev = evaluate(p, o, base)
    shift = fixed_shift(p, ev.court, ~free)
    total = 0.0
    in_piece = np.zeros(p.n_courts, dtype=bool)
    for pc in pieces:
        res = highs.run(build_model(p, o_rel, pc, shift), True, 20.0, 0.0, 0)
        assert res.optimal
        total += res.objective
        in_piece[pc.courts] = True
    idle = np.flatnonzero(p.in_district & ~in_piece)
    excess = p.open_caseload[idle] + shift[idle] - p.rules.target_utilisation * p.capacity[idle]
    total += float(ev.case_terms[~free].sum()) + float(band_penalty(p, idle, excess).sum())
    return total, len(linking)


def test_split_makes_one_copy_per_piece_charged_its_share():
    # Each prefecture is held together by a debtor group of its own (E in Lishui, G in
    # Wenzhou). Before the law change passive cases at A and W1 did that through designations
    # to their siblings; now a passive case may also be designated across the prefectures
    # (decided by the high court), which would make one piece and leave nothing to link.
    ks = [pcase("K1", "A", debtor_id="D"), pcase("K2", "W1", debtor_id="D"),
          pcase("K3", "W2", debtor_id="D"), pcase("K4", "A", debtor_id="E"),
          pcase("K5", "B", debtor_id="E"),
          pcase("K6", "W1", debtor_id="G"), pcase("K7", "W2", debtor_id="G")]
    # free cases: Lishui K1, K4, K5 (3), Wenzhou K2, K3, K6, K7 (4); D's group spans both (7)
    p, o, _free, comp, linking = linked(ks, max_piece_cases=4)
    g_d = int(p.related_groups[0][0])
    g_e = int(p.related_groups[0][3])
    g_g = int(p.related_groups[0][5])
    assert linking.tolist() == [g_d]  # E lies inside Lishui's piece, G inside Wenzhou's
    assert comp[p.court_ids.index("A")] == comp[p.court_ids.index("B")]
    assert comp[p.court_ids.index("W1")] == comp[p.court_ids.index("W2")]
    o_rel, rel_to_orig = split_linking(p, o, comp, linking)
    n_groups = int(o.target_group.max()) + 1
    copies = sorted(set(o_rel.target_group[o_rel.target_group >= n_groups].tolist()))
    # D's members lie in two pieces (Lishui: K1; Wenzhou: K2, K3) → two copies
    assert len(copies) == 2
    member_sets = []
    d_targets = set(o.target_court[o.target_group == g_d].tolist())
    for c in copies:
        rows = np.flatnonzero(o_rel.target_group == c)
        mem = np.unique(o_rel.member_case[np.isin(o_rel.member_target, rows)])
        assert len(set(comp[p.case_court[mem]].tolist())) == 1  # one piece per copy
        member_sets.append(set(mem.tolist()))
        # every copy offers every target of the original group
        assert set(o_rel.target_court[rows].tolist()) == d_targets
    assert sorted(member_sets, key=min) == [{0}, {1, 2}]
    # the other groups are untouched
    for g in (g_e, g_g):
        rows = np.flatnonzero(o_rel.target_group == g)
        assert set(o_rel.target_court[rows].tolist()) == set(o.target_court[o.target_group == g].tolist())
    # rows map back to the original target rows; the other groups' members keep their terms
    np.testing.assert_array_equal(o_rel.target_court, o.target_court[rel_to_orig])
    np.testing.assert_array_equal(o_rel.target_decider, o.target_decider[rel_to_orig])
    orig = {(int(m), int(o.target_court[t])): o.member_terms[k].tolist()
            for k, (m, t) in enumerate(zip(o.member_case, o.member_target, strict=True))}
    rel = {(int(m), int(o_rel.target_court[t])): o_rel.member_terms[k].tolist()
           for k, (m, t) in enumerate(zip(o_rel.member_case, o_rel.member_target, strict=True))}
    d_members = set(members_of(o, g_d).tolist())
    assert {k: v for k, v in rel.items() if k[0] not in d_members} == {
        k: v for k, v in orig.items() if k[0] not in d_members}
    assert len(o_rel.member_case) == len(o.member_case)
    # the copies' costs at each of D's targets add up to D's cost there (a consistent plan
    # costs what it did), and the copies' best choices add up to D's own best: concentrated at
    # its cheapest target, or each member on its cheapest own option
    own_best = np.full(p.n_cases, np.inf)
    np.minimum.at(own_best, o.case, o.cost)
    copy_best = {}
    for t in np.flatnonzero(o.target_group == g_d):
        copy_rows = np.flatnonzero(rel_to_orig == t)
        assert o_rel.target_cost[copy_rows].sum() == pytest.approx(o.target_cost[t])
        for r in copy_rows.tolist():
            c = int(o_rel.target_group[r])
            copy_best[c] = min(copy_best.get(c, np.inf), float(o_rel.target_cost[r]))
    relaxed = 0.0
    for c, best in copy_best.items():
        mem = np.unique(o_rel.member_case[o_rel.target_group[o_rel.member_target] == c])
        relaxed += min(best, float(own_best[mem].sum()))
    d_all = members_of(o, g_d)
    exact = min(float(o.target_cost[o.target_group == g_d].min()), float(own_best[d_all].sum()))
    assert relaxed == pytest.approx(exact)
    # individual options are not touched
    np.testing.assert_array_equal(o_rel.case, o.case)
    np.testing.assert_array_equal(o_rel.court, o.court)


def test_split_without_linking_changes_nothing():
    p, o, _free, comp, linking = linked([pcase("K1", "A", debtor_id="D"),
                                        pcase("K2", "W1", debtor_id="D")], max_piece_cases=10)
    assert not len(linking)
    o_rel, rel_to_orig = split_linking(p, o, comp, linking)
    assert o_rel is o
    np.testing.assert_array_equal(rel_to_orig, np.arange(len(o.target_group)))


def test_relaxation_is_below_the_optimum_by_hand():
    # K1 (Lishui) and K2 (Wenzhou) share a debtor; leaving them apart costs 500 each.
    # True optimum: concentrate both at one court, one moves: 2·120 + 60 = 300.
    # Relaxed: each copy picks a court and pays half of the group's cost there: 150 + 150
    # (with each copy paying only its own member, each picks its member's court: 2·120 = 240)
    ks = [pcase("K1", "A", debtor_id="D"), pcase("K2", "W1", debtor_id="D")]
    p = compile_(province(ks, weights=W))
    relaxed, n_link = total_optimum(p, 1)
    true, n_link_true = total_optimum(p, 100)
    assert (n_link, n_link_true) == (1, 0)
    assert relaxed == pytest.approx(300.0)
    assert true == pytest.approx(300.0)
    assert solve(p, SolveParams(time_limit=20, gap=0.0)).objective == pytest.approx(300.0)


@st.composite
def two_prefecture_problems(draw):
    courts = province_courts(**{
        c: {"officers": draw(st.integers(1, 6)), "cases_per_officer": 2.0,
            "open_caseload": float(draw(st.integers(16, 26)))} for c in ("A", "B", "W1", "W2")},
        M1={"officers": draw(st.integers(0, 4)), "open_caseload": 0.0})
    ks = []
    for i, c in enumerate(draw(st.lists(st.sampled_from(["A", "B", "W1", "W2"]), min_size=1,
                                        max_size=3))):
        ks.append(pcase(f"K{i}", c, workload=float(draw(st.integers(1, 4))),
                        passive=draw(st.booleans()), complex=draw(st.booleans()),
                        debtor_id=draw(st.sampled_from(["D", f"X{i}"]))))
    ks += [pcase("L1", "A", debtor_id="D", workload=float(draw(st.integers(1, 4)))),
           pcase("L2", "W1", debtor_id="D", workload=float(draw(st.integers(1, 4))))]
    w = {"mode_concentrate": float(draw(st.integers(0, 200))),
         "change_court": float(draw(st.integers(0, 100))),
         "unresolved_related": float(draw(st.integers(0, 400))),
         "unresolved_passive": float(draw(st.integers(0, 400))),
         "unresolved_complex": float(draw(st.integers(0, 400))),
         "mode_designate": 50.0, "mode_supervise": 30.0, "mode_elevate": 80.0,
         "applicant_travel": float(draw(st.sampled_from([0.0, 0.5]))),
         "load_slopes": [1.0, 5.0, 20.0]}
    return compile_(province(ks, courts, weights=w, rules={"lending_min_keep_share": 0.5}))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_prefecture_problems())
def test_relaxed_optimum_never_exceeds_the_true_optimum(p):
    relaxed, _n_link = total_optimum(p, 1)
    true, n_link_true = total_optimum(p, 10_000)
    assert n_link_true == 0
    assert relaxed <= true + 1e-6
    # no plan of the full solver beats the true optimum
    assert solve(p, SolveParams(time_limit=20, gap=0.0)).objective >= true - 1e-3


def test_solver_reaches_the_true_optimum_on_a_warm_started_piece():
    # was xfail: HiGHS 1.16, warm-started in solve_piece, reported an objective (278) below the
    # LP bound (298) for a point that cost 304, and the plan ended at 304. `highs.run` now
    # recomputes the objective from the point. (Under the new law A's cases, short of staff, may
    # be designated to Wenzhou, which changes this piece: HiGHS no longer misreports on it, so
    # the misreport itself is guarded by the next test.)
    courts = province_courts(
        M1={"officers": 2, "open_caseload": 0.0},
        A={"officers": 3, "cases_per_officer": 2.0, "open_caseload": 10.0},
        B={"officers": 1, "cases_per_officer": 2.0, "open_caseload": 10.0},
        W1={"officers": 4, "cases_per_officer": 2.0, "open_caseload": 12.0},
        W2={"officers": 2, "cases_per_officer": 2.0, "open_caseload": 10.0})
    ks = [pcase("K0", "A", debtor_id="D"), pcase("L1", "A", debtor_id="D"),
          pcase("L2", "W1", debtor_id="D")]
    w = {"applicant_travel": 0.5, "mode_supervise": 30.0, "mode_designate": 50.0,
         "mode_elevate": 80.0, "load_slopes": [1.0, 5.0, 20.0]}
    p = compile_(province(ks, courts, weights=w, rules={"lending_min_keep_share": 0.5}))
    true, _ = total_optimum(p, 10_000)
    assert true == pytest.approx(298.0)
    plan = solve(p, SolveParams(time_limit=20, gap=0.0))
    assert plan.bound <= true + 1e-6
    assert plan.objective == pytest.approx(true, abs=1e-3)
    assert plan.status == "optimal"


def misreported_warm_start():
    """A problem whose piece is solved by a warm-started MIP. HiGHS 1.16, warm-started with a
    piece's rounded point, once reported the optimum's objective but returned the start point's
    values; the instance that showed it relied on courts short of staff lending officers, which
    the law no longer allows (协同 brings force to the court that lacks it), so this one — lenders
    M1 and M2, borrowers B and W2 — keeps the guard: the objective reported is the cost of the
    point returned."""
    courts = province_courts(
        M1={"officers": 3, "open_caseload": 0.0}, M2={"officers": 3, "open_caseload": 0.0},
        A={"officers": 2, "cases_per_officer": 2.0, "open_caseload": 12.0},
        B={"officers": 2, "cases_per_officer": 2.0, "open_caseload": 16.0},
        W1={"officers": 4, "cases_per_officer": 2.0, "open_caseload": 19.0},
        W2={"officers": 2, "cases_per_officer": 2.0, "open_caseload": 15.0})
    ks = [pcase("K0", "W1", workload=4.0, debtor_id="D", complex=True),
          pcase("K1", "W2", workload=1.0, complex=True), pcase("K2", "B", workload=2.0),
          pcase("L1", "A", debtor_id="D", workload=3.0), pcase("L2", "W1", debtor_id="D", workload=2.0)]
    w = {"mode_concentrate": 171.0, "change_court": 92.0, "unresolved_related": 23.0,
         "unresolved_complex": 238.0, "mode_designate": 50.0, "mode_supervise": 30.0,
         "mode_elevate": 80.0, "load_slopes": [1.0, 5.0, 20.0]}
    return compile_(province(ks, courts, weights=w, rules={"lending_min_keep_share": 0.5}))


def test_warm_started_run_reports_the_cost_of_the_point_it_returns(monkeypatch):
    # guards the fix in `highs.run`: a warm-started MIP's reported objective must be the cost
    # of the point it returns (HiGHS 1.16 once reported another point's)
    p = misreported_warm_start()
    true, _ = total_optimum(p, 10_000)
    assert true == pytest.approx(819.0)
    seen = []
    run = highs.run

    def spy(m, *args, **kw):
        res = run(m, *args, **kw)
        if res.values is not None:
            seen.append((kw.get("start") is not None, res.objective, float(m.cost @ res.values),
                         res.bound))
        return res

    monkeypatch.setattr(highs, "run", spy)
    # without the officer cuts (they close this piece before any warm-started MIP runs)
    plan = solve(p, SolveParams(time_limit=20, gap=0.0, cut_rounds=0))
    assert any(warm for warm, *_ in seen)  # the piece was warm-started
    for _warm, objective, cost, bound in seen:
        assert objective == pytest.approx(cost)
        assert bound <= objective + 1e-9
    # the plan is honest: a valid bound, and not called optimal above it
    assert plan.bound <= true + 1e-6
    assert plan.objective >= true - 1e-6
    assert plan.status == "optimal" or plan.objective > plan.bound + 1e-6


# HiGHS 1.16 warm-started with setSolution once returned the start point's values although it
# had found the optimum; `highs.run` notices and solves the model again cold
def test_solver_reaches_the_true_optimum_after_a_misreported_warm_start():
    p = misreported_warm_start()
    true, _ = total_optimum(p, 10_000)
    plan = solve(p, SolveParams(time_limit=20, gap=0.0))
    assert plan.objective == pytest.approx(true, abs=1e-3)


def relaxed_decision(p, o, free, comp, linking):
    o_rel, rel_to_orig = split_linking(p, o, comp, linking)
    pieces = find_pieces(p, o_rel, free, comp)
    base = baseline_decision(p, o)
    models = [build_model(p, o_rel, pc) for pc in pieces]
    results = [highs.run(m, True, 20.0, 0.0, 0) for m in models]
    prs = [PieceResult(r.values, "optimal", r.objective, r.bound, "mip")
           for m, r in zip(models, results, strict=True)]
    d = decision_from(o_rel, models, prs, base, rel_to_orig, o)
    on = np.zeros(len(o_rel.target_group), dtype=bool)
    for m, r in zip(models, results, strict=True):
        on[m.piece.targets[np.round(r.values[m.layout.y]) > 0.5]] = True
    return d, o_rel, on


def assert_all_or_none(p, o, d, g):
    members = members_of(o, g)
    t = int(d.group_target[g])
    if t >= 0:
        assert o.target_group[t] == g
        assert (d.option[members] == -1).all()
    else:
        assert (d.option[members] >= 0).all()
        assert (o.case[d.option[members]] == members).all()


def test_repair_makes_each_linking_group_all_or_none():
    ks = [pcase("K1", "A", debtor_id="D"), pcase("K2", "W1", debtor_id="D")]
    p, o, free, comp, linking = linked(ks)
    g = int(linking[0])
    d, o_rel, on = relaxed_decision(p, o, free, comp, linking)
    # both copies concentrated, at one court: each pays half of the group's cost at each
    # target, so they rank the targets alike (paying only its own member, each copy took its
    # member's own court)
    assert (d.option[members_of(o, g)] == -1).all()
    assert on.sum() == 2
    assert len(set(o_rel.target_court[on].tolist())) == 1
    assert set(o_rel.target_court[on].tolist()) <= {p.court_ids.index("A"), p.court_ids.index("W1")}
    chosen = decide_linking(p, o, o_rel, linking, on)
    assert set(chosen) == {g}
    t = chosen[g]
    assert t >= 0 and o.target_court[t] in (p.court_ids.index("A"), p.court_ids.index("W1"))
    fixed = repair(p, o, d, chosen)
    assert_all_or_none(p, o, fixed, g)
    assert gate.check(p, o, fixed, evaluate(p, o, fixed)) == []
    assert evaluate(p, o, fixed).objective == pytest.approx(300.0)
    # forced to none: every member back on its cheapest own option
    none = repair(p, o, d, {g: -1})
    assert_all_or_none(p, o, none, g)
    for i in members_of(o, g):
        rows = np.flatnonzero(o.case == i)
        assert none.option[i] == rows[np.argmin(o.cost[rows])]
    assert gate.check(p, o, none, evaluate(p, o, none)) == []
    assert evaluate(p, o, none).objective == pytest.approx(1000.0)
    # the input decision is not modified
    assert (d.option[members_of(o, g)] == -1).all()


def test_decide_linking_prefers_none_when_apart_is_cheaper():
    w = {**W, "unresolved_related": 100.0}  # apart: 200 < together: 300
    ks = [pcase("K1", "A", debtor_id="D"), pcase("K2", "W1", debtor_id="D")]
    p, o, free, comp, linking = linked(ks, weights=w)
    d, o_rel, on = relaxed_decision(p, o, free, comp, linking)
    chosen = decide_linking(p, o, o_rel, linking, on)
    assert chosen == {int(linking[0]): -1}
    assert_all_or_none(p, o, repair(p, o, d, chosen), int(linking[0]))


def test_fix_linking_moves_the_members_load_to_the_target():
    ks = [pcase("K1", "A", debtor_id="D", workload=2.0), pcase("K2", "W1", debtor_id="D", workload=3.0),
          pcase("K3", "A", debtor_id="E"), pcase("K4", "B", debtor_id="E")]
    p, o, _free, _comp, linking = linked(ks)
    g = int(p.related_groups[0][0])
    assert g in linking.tolist()
    w2 = p.court_ids.index("W2")
    t = int(np.flatnonzero((o.target_group == g) & (o.target_court == w2))[0])
    o_fix, fixed, shift, keep_t = fix_linking(p, o, {g: t})
    assert fixed.tolist() == [True, True, False, False]
    expected = np.zeros(p.n_courts)
    expected[p.court_ids.index("A")] = -2.0
    expected[p.court_ids.index("W1")] = -3.0
    expected[w2] = 5.0
    np.testing.assert_allclose(shift, expected)
    assert shift.sum() == pytest.approx(0.0)
    # the linking group's targets are gone, the other group's remain, renumbered
    assert g not in o_fix.target_group.tolist()
    np.testing.assert_array_equal(o_fix.target_court, o.target_court[keep_t])
    assert set(o_fix.member_case.tolist()) == {2, 3}
    assert o_fix.member_target.max() < len(o_fix.target_group)
    np.testing.assert_allclose(o_fix.target_cost, o.target_cost[keep_t])
    # a group decided "none" moves nothing and fixes nobody
    o_none, fixed_none, shift_none, _ = fix_linking(p, o, {g: -1})
    assert not fixed_none.any() and not shift_none.any()
    assert g not in o_none.target_group.tolist()


def test_fix_linking_target_at_a_members_court_moves_only_the_others():
    ks = [pcase("K1", "A", debtor_id="D", workload=2.0), pcase("K2", "W1", debtor_id="D", workload=3.0)]
    p, o, _free, _comp, linking = linked(ks)
    g = int(linking[0])
    a = p.court_ids.index("A")
    t = int(np.flatnonzero((o.target_group == g) & (o.target_court == a))[0])
    _, fixed, shift, _ = fix_linking(p, o, {g: t})
    assert fixed.tolist() == [True, True]
    assert shift[a] == pytest.approx(3.0) and shift[p.court_ids.index("W1")] == pytest.approx(-3.0)
    assert Mode.CONCENTRATE not in set(o.mode.tolist())  # concentration is per group, not a row
    d = Decision(np.array([-1, -1]), np.array([t]), np.zeros(len(o.lend_from), dtype=np.int64))
    ev = evaluate(p, o, d)
    np.testing.assert_allclose(ev.load_after - ev.load_before, shift)
