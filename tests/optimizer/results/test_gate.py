"""The rule gate: decisions built by hand from `build_options` rows that break one hard rule
each are flagged; the solver's own decision and the baseline pass."""

from __future__ import annotations

import numpy as np

from optimizer.law.modes import Mode, Trigger
from optimizer.model.decision import Decision
from optimizer.model.options import build_options
from optimizer.model.pieces import court_components, find_pieces
from optimizer.model.rows import build_model
from optimizer.results import gate
from optimizer.results.evaluate import evaluate
from optimizer.solver.baseline import baseline_decision, decision_from, free_cases
from optimizer.solver.piece import PieceSettings, solve_piece
from tests.builders import base_courts, case, scenario
from tests.optimizer.model.provinces import compile_

W = {"mode_supervise": 40.0, "mode_designate": 120.0, "mode_elevate": 220.0,
     "mode_concentrate": 120.0, "mode_coordinate": 90.0, "change_court": 60.0,
     "unresolved_passive": 400.0, "unresolved_complex": 300.0, "unresolved_related": 200.0,
     "applicant_travel": 1.0, "load_slopes": [10.0, 50.0, 200.0]}


def world(a_open: float = 100.0, **rules):
    """K1 passive at A, K2 complex at A, K3/K4 one debtor at A and B, K5 interference at A.
    C is nearly full (1 officer, 59.5 of 60 open). `a_open`: A's open caseload (of 1200)."""
    courts = base_courts(M={"officers": 30}, A={"open_caseload": a_open},
                         C={"officers": 1, "open_caseload": 59.5})
    ks = [case("K1", "A", passive=True, workload=2.0), case("K2", "A", complex=True),
          case("K3", "A", debtor_id="D"), case("K4", "B", debtor_id="D"),
          case("K5", "A", interference=True, debtor_kind="government")]
    p = compile_(scenario(ks, courts, weights=W,
                          rules={"lending_min_keep_share": 0.85, "max_utilisation": 1.0, **rules}))
    return p, build_options(p)


def row(p, o, i, mode, court):
    hits = np.flatnonzero((o.case == i) & (o.mode == mode) & (o.court == p.court_ids.index(court)))
    assert len(hits) == 1
    return int(hits[0])


def lawful(p, o):
    """Everyone lawful: K1..K4 keep, K5 designated to B; no group target, nobody lent."""
    option = np.array([row(p, o, 0, Mode.KEEP, "A"), row(p, o, 1, Mode.KEEP, "A"),
                       row(p, o, 2, Mode.KEEP, "A"), row(p, o, 3, Mode.KEEP, "B"),
                       row(p, o, 4, Mode.DESIGNATE, "B")])
    return Decision(option, np.full(int(o.target_group.max()) + 1, -1),
                    np.zeros(len(o.lend_from), dtype=np.int64))


def check(p, o, d):
    return gate.check(p, o, d, evaluate(p, o, d))


def with_(d, option=None, group_target=None, lent=None):
    return Decision(d.option if option is None else option,
                    d.group_target if group_target is None else group_target,
                    d.lent if lent is None else lent)


def test_hand_built_lawful_decision_passes():
    p, o = world()
    assert check(p, o, lawful(p, o)) == []


def test_two_options_for_one_case_are_flagged():
    p, o = world()
    d = lawful(p, o)
    g = int(p.related_groups[0][2])
    t = int(np.flatnonzero((o.target_group == g) & (o.target_court == p.court_ids.index("B")))[0])
    gt = d.group_target.copy()
    gt[g] = t  # K3 and K4 concentrated at B… while both keep their own options too
    broken = check(p, o, with_(d, group_target=gt))
    assert any("exactly one option" in b and "K3" in b and "K4" in b for b in broken)
    # an option row of another case
    option = d.option.copy()
    option[0] = d.option[1]
    broken = check(p, o, with_(d, option=option))
    assert any("option of another case" in b and "K1" in b for b in broken)


def test_concentration_taking_part_of_a_group_is_flagged():
    p, o = world()
    d = lawful(p, o)
    g = int(p.related_groups[0][2])
    t = int(np.flatnonzero((o.target_group == g) & (o.target_court == p.court_ids.index("B")))[0])
    gt = d.group_target.copy()
    gt[g] = t
    option = d.option.copy()
    option[2] = -1  # K3 follows the group, K4 stays on its own option
    broken = check(p, o, with_(d, option=option, group_target=gt))
    assert len(broken) == 1 and "K4" in broken[0] and "K3" not in broken[0]
    # all members follow: lawful
    option[3] = -1
    assert check(p, o, with_(d, option=option, group_target=gt)) == []
    # nobody takes anything: the members are uncovered
    broken = check(p, o, with_(d, option=option))
    assert any("K3" in b and "K4" in b for b in broken)


def short_world(**rules):
    """`world` with A short of staff (1000 of 1200 open, above 0.8 but under the ceiling 1.0):
    only then may its cases be coordinated with lent officers (lending pairs exist only for a
    court with a case short of staff)."""
    return world(a_open=1000.0, understaffed_utilisation=0.8, **rules)


def test_lender_above_its_limit_is_flagged():
    # (the old world lent to A for K2's complexity alone; now a complex case is coordinated
    # without officers and nobody lends to A unless A is short of staff)
    p, o = short_world()
    assert (p.triggers[:5] & int(Trigger.UNDERSTAFFED) != 0).tolist() == [True] * 3 + [False, True]
    d = lawful(p, o)
    assert check(p, o, d) == []
    b = p.court_ids.index("B")
    pair = int(np.flatnonzero(o.lend_from == b)[0])
    assert o.lend_to[pair] == p.court_ids.index("A") and o.lend_max[b] == 3
    option = d.option.copy()
    option[1] = row(p, o, 1, Mode.COORDINATE, "A")
    lent = d.lent.copy()
    lent[pair] = 1
    assert check(p, o, with_(d, option=option, lent=lent)) == []  # one officer, one case
    lent[pair] = 4
    broken = check(p, o, with_(d, option=option, lent=lent))
    assert any("lends more officers than its limit" in x and "B" in x for x in broken)
    # more officers than coordinated cases
    assert any("协同执行" in x for x in broken)
    lent[pair] = -1
    assert any("negative" in x for x in check(p, o, with_(d, option=option, lent=lent)))


def test_staffing_coordination_without_officers_is_flagged():
    p, o = short_world()
    d = lawful(p, o)
    option = d.option.copy()
    option[1] = row(p, o, 1, Mode.COORDINATE, "A")  # K2 at A, which is short of staff
    broken = check(p, o, with_(d, option=option))
    assert broken == ["courts A: 协同执行 for lack of staff without officers lent, net of those it "
                      "lends (one per 10 cases)"]
    # in the world where A is not short, K2 is complex only: coordination without officers
    p, o = world()
    assert len(o.lend_from) == 0
    d = lawful(p, o)
    option = d.option.copy()
    option[1] = row(p, o, 1, Mode.COORDINATE, "A")
    assert check(p, o, with_(d, option=option)) == []


def test_court_above_its_ceiling_is_flagged():
    p, o = world()
    d = lawful(p, o)
    option = d.option.copy()
    option[0] = row(p, o, 0, Mode.DESIGNATE, "C")  # 59.5 + 2 > 1.0 × 60
    broken = check(p, o, with_(d, option=option))
    assert len(broken) == 1 and "ceiling" in broken[0] and "C" in broken[0]
    # the same decision without the ceiling rule passes
    p2, o2 = world(max_utilisation=None)
    assert check(p2, o2, with_(d, option=option)) == []
    # a court already above the ceiling may stay where it was
    p3, o3 = world(max_utilisation=0.5)
    assert check(p3, o3, lawful(p3, o3)) == []


def test_interference_case_left_at_home_is_flagged():
    p, o = world()
    # the options carry no lawful row keeping K5 at home: take the rows of the same world
    # without the interference flag, where keep is an option
    assert row(p, o, 4, Mode.DESIGNATE, "B") >= 0
    assert not np.any((o.case == 4) & (o.mode == Mode.KEEP))
    courts = base_courts(M={"officers": 30}, C={"officers": 1, "open_caseload": 59.5})
    plain = compile_(scenario(
        [case("K1", "A", passive=True, workload=2.0), case("K2", "A", complex=True),
         case("K3", "A", debtor_id="D"), case("K4", "B", debtor_id="D"),
         case("K5", "A", debtor_kind="government")], courts, weights=W,
        rules={"lending_min_keep_share": 0.85, "max_utilisation": 1.0}))
    o_plain = build_options(plain)
    option = np.array([row(plain, o_plain, i, Mode.KEEP, c) for i, c in enumerate("AAABA")])
    d = Decision(option, np.full(int(o_plain.target_group.max()) + 1, -1),
                 np.zeros(len(o_plain.lend_from), dtype=np.int64))
    assert check(plain, o_plain, d) == []
    broken = check(p, o_plain, d)  # the same decision under the interference flag
    assert len(broken) == 1 and "interference" in broken[0] and "K5" in broken[0]


def test_interference_case_with_a_recorded_exception_may_stay():
    courts = base_courts(B={"officers": 0}, C={"officers": 0})
    p = compile_(scenario([case("K1", "A", interference=True, debtor_kind="government")], courts))
    o = build_options(p)
    assert 0 in o.exceptions
    d = baseline_decision(p, o)
    assert o.mode[d.option[0]] == Mode.KEEP
    assert check(p, o, d) == []


def test_missed_deadline_not_moved_is_flagged():
    courts = base_courts()
    plain = compile_(scenario([case("K1", "A", passive=True)], courts))
    missed = compile_(scenario([case("K1", "A", passive=True, prior="supervised_deadline_missed")],
                               courts))
    o = build_options(plain)
    d = Decision(np.array([row(plain, o, 0, Mode.SUPERVISE, "A")]), np.zeros(0, dtype=np.int64),
                 np.zeros(len(o.lend_from), dtype=np.int64))
    assert check(plain, o, d) == []
    broken = check(missed, o, d)
    assert len(broken) == 1 and "督促期满未执结" in broken[0]


def test_solver_decision_and_baseline_pass():
    p, o = world()
    free = free_cases(p, o)
    comp, linking = court_components(p, o, free, 100)
    assert not len(linking)
    pieces = find_pieces(p, o, free, comp)
    models = [build_model(p, o, pc) for pc in pieces]
    results = [solve_piece(m, PieceSettings(time_limit=10.0, gap=0.0, seed=0)) for m in models]
    base = baseline_decision(p, o)
    d = decision_from(o, models, results, base)
    assert check(p, o, d) == []
    # the baseline sends K5 to its cheapest lawful court, C, ignoring C's ceiling: the gate
    # turns it away (solve then keeps the solver's decision)
    assert o.court[base.option[4]] == p.court_ids.index("C")
    assert check(p, o, base) == ["courts C: load above the ceiling 1×capacity"]
    p2, o2 = world(max_utilisation=None)
    assert check(p2, o2, baseline_decision(p2, o2)) == []
    ev = evaluate(p, o, d)
    # the solver's plan moves K5 out of A's county and leaves C under its ceiling
    assert ev.court[4] != p.court_ids.index("A")
    assert ev.load_after[p.court_ids.index("C")] <= 60.0 + 1e-9
