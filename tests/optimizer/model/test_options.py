"""Legal options per case (`build_options`): necessity, who may go where, hard triggers,
K-best pruning, concentration targets and lending pairs — on small hand-made scenarios."""

from __future__ import annotations

import math

import numpy as np
import pytest

from optimizer.law.modes import Mode, Trigger
from optimizer.model.costs import option_costs
from optimizer.model.options import CANDIDATES, build_options, in_home_locality
from tests.builders import base_courts, case, court, scenario
from tests.optimizer.model.provinces import compile_, pcase, province, province_courts


def options_of(data):
    p = compile_(data)
    return p, build_options(p)


def rows_of(o, i):
    """(mode, court) of case i's individual options."""
    sel = np.flatnonzero(o.case == i)
    return {(Mode(int(m)), int(c)) for m, c in zip(o.mode[sel], o.court[sel], strict=True)}


def modes_of(o, i):
    return {m for m, _ in rows_of(o, i)}


def courts_of(o, i, mode):
    return {c for m, c in rows_of(o, i) if m == mode}


def ids(p, courts):
    return {p.court_ids[c] for c in courts}


def test_candidates_cover_every_individual_mode_once():
    modes = [m for m, _ in CANDIDATES]
    assert len(modes) == len(set(modes))
    # concentration is offered per debtor group, every other mode by its own function
    assert set(modes) == set(Mode) - {Mode.CONCENTRATE}
    assert all(callable(fn) for _, fn in CANDIDATES)


def test_case_without_trigger_only_keeps():
    # even with an idle court next door and a superior with officers: no reason, no move
    courts = base_courts(M={"officers": 30})
    p, o = options_of(scenario([case("K1", "A")], courts))
    assert p.triggers[0] == 0
    assert rows_of(o, 0) == {(Mode.KEEP, p.court_ids.index("A"))}
    assert len(o.target_group) == 0 and len(o.member_case) == 0
    assert len(o.lend_from) == 0  # nobody borrows without a case to coordinate
    assert o.exceptions == {}


def test_passive_case_at_one_team_court_gets_no_internal():
    courts = base_courts(M={"officers": 30})
    p, o = options_of(scenario([case("K1", "A", passive=True)], courts))
    modes = modes_of(o, 0)
    assert Mode.INTERNAL not in modes
    assert {Mode.KEEP, Mode.SUPERVISE, Mode.DESIGNATE, Mode.ELEVATE} <= modes
    # …while two teams make it available, at the own court
    courts = base_courts(A={"teams": 2}, M={"officers": 30})
    p, o = options_of(scenario([case("K1", "A", passive=True)], courts))
    assert courts_of(o, 0, Mode.INTERNAL) == {p.court_ids.index("A")}


def test_terminable_case_only_keeps_whatever_its_flags():
    # no assets and no act obligation: a 终本 candidate
    k = case("K1", "A", assets=[], passive=True, complex=True, requests=True,
             filed="2025-01-01")
    p, o = options_of(scenario([k], base_courts(M={"officers": 30})))
    assert p.terminable[0] and p.triggers[0] == 0
    assert modes_of(o, 0) == {Mode.KEEP}
    # the same case with an act obligation is not a 终本 candidate
    k = case("K1", "A", assets=[], passive=True, act_obligation=True)
    p, o = options_of(scenario([k], base_courts(M={"officers": 30})))
    assert not p.terminable[0]
    assert Mode.SUPERVISE in modes_of(o, 0)


def test_designate_targets_are_staffed_same_level_siblings():
    courts = [*base_courts(C={"officers": 0}, M={"officers": 30}),
              court("D", "景宁畲族自治县人民法院", "basic", "M", "331127")]
    p, o = options_of(scenario([case("K1", "A", passive=True)], courts))
    targets = courts_of(o, 0, Mode.DESIGNATE)
    a = p.court_ids.index("A")
    # B and D are staffed siblings; C has no officers; never the own court, never the parent
    assert ids(p, targets) == {"B", "D"}
    for t in targets:
        assert t != a
        assert p.court_parent[t] == p.court_parent[a]
        assert p.court_level[t] == p.court_level[a]
        assert p.officers[t] > 0


def designations(p, o, i):
    """{target court: deciding court} of case i's 指令执行 options."""
    sel = np.flatnonzero((o.case == i) & (o.mode == Mode.DESIGNATE))
    return {p.court_ids[int(c)]: p.court_ids[int(d)]
            for c, d in zip(o.court[sel], o.decider[sel], strict=True)}


def test_designate_stays_inside_the_dispatchers_district():
    # The law changed: 指令执行 is no longer limited to siblings. A same-level court with
    # officers inside the dispatcher's district may be designated (the planner costs the
    # siblings and the `max_candidates` nearest others of the province), decided by the lowest
    # common superior of the two courts, which must itself lie inside the district (执行工作规定
    # Art. 74 ¶2 "指定本辖区其他法院执行"). With 丽水中院 (M1) dispatching, Wenzhou's courts are
    # outside: a case at A still goes to B only.
    p, o = options_of(province([pcase("K1", "A", passive=True)], dispatcher="M1"))
    assert designations(p, o, 0) == {"B": "M1"}
    # with the high court dispatching, Wenzhou's basic courts are in its district too (the
    # same case at A was designated to B only before the change)
    p, o = options_of(province([pcase("K1", "A", passive=True)]))
    assert ids(p, courts_of(o, 0, Mode.DESIGNATE)) == {"B", "W1", "W2"}
    for t in courts_of(o, 0, Mode.DESIGNATE):  # never another level, never unstaffed
        assert p.court_level[t] == p.court_level[p.court_ids.index("A")] and p.officers[t] > 0


def test_designation_across_prefectures_is_decided_by_the_high_court():
    # 莲都 (A, 丽水) → 鹿城/瑞安 (W1/W2, 温州): only 浙江高院 (H) holds both in its district
    p, o = options_of(province([pcase("K1", "A", passive=True)]))
    d = designations(p, o, 0)
    assert {t: d[t] for t in ("W1", "W2")} == {"W1": "H", "W2": "H"}
    sel = np.flatnonzero((o.case == 0) & (o.mode == Mode.DESIGNATE))
    np.testing.assert_array_equal(
        o.decider[sel], p.tree.lowest_common_superior(p.case_court[o.case[sel]], o.court[sel]))
    assert p.in_district[o.decider[sel]].all()
    # the same move from a Wenzhou case: decided by H as well
    p, o = options_of(province([pcase("K1", "W2", passive=True)]))
    assert designations(p, o, 0) == {"W1": "M2", "A": "H", "B": "H"}


def test_designation_inside_a_prefecture_is_decided_by_the_intermediate_court():
    # H dispatches, but 莲都 (A) → 青田 (B) needs only their common superior, 丽水中院 (M1):
    # the lowest common superior decides, not the dispatcher
    p, o = options_of(province([pcase("K1", "A", passive=True)]))
    assert designations(p, o, 0)["B"] == "M1"
    p, o = options_of(province([pcase("K1", "W1", passive=True)]))
    assert designations(p, o, 0)["W2"] == "M2"


def test_elevate_goes_to_the_parent_only_when_it_has_officers():
    p, o = options_of(scenario([case("K1", "A", passive=True)], base_courts(M={"officers": 30})))
    assert ids(p, courts_of(o, 0, Mode.ELEVATE)) == {"M"}
    p, o = options_of(scenario([case("K1", "A", passive=True)]))  # M has no officers
    assert courts_of(o, 0, Mode.ELEVATE) == set()


def test_elevate_is_one_level_up_in_a_deeper_tree():
    courts = province_courts(M1={"officers": 30}, H={"officers": 50})
    p, o = options_of(province([pcase("K1", "A", passive=True)], courts))
    assert ids(p, courts_of(o, 0, Mode.ELEVATE)) == {"M1"}  # not H


def test_designated_case_is_not_designated_again():
    courts = base_courts(M={"officers": 30})
    k = case("K1", "A", passive=True, prior="designated")
    p, o = options_of(scenario([k], courts))
    modes = modes_of(o, 0)
    assert Mode.DESIGNATE not in modes and Mode.ELEVATE in modes
    # unless the rule allows it
    p, o = options_of(scenario([k], courts, rules={"allow_redesignation": True}))
    assert ids(p, courts_of(o, 0, Mode.DESIGNATE)) == {"B", "C"}


def test_interference_case_at_home_must_leave_its_county():
    courts = base_courts(M={"officers": 30})
    k = case("K1", "A", interference=True, debtor_kind="government", passive=True)
    p, o = options_of(scenario([k], courts))
    rows = np.flatnonzero(o.case == 0)
    assert len(rows)
    modes = modes_of(o, 0)
    assert Mode.KEEP not in modes
    # no option at a court in the debtor's county (internal/supervise stay there: gone too)
    assert not in_home_locality(p, o.case[rows], o.court[rows]).any()
    assert modes <= {Mode.DESIGNATE, Mode.ELEVATE}
    assert ids(p, courts_of(o, 0, Mode.DESIGNATE)) == {"B", "C"}
    assert o.exceptions == {}


def test_interference_case_already_away_from_home_may_stay():
    # the debtor sits in B's county, the case is at A: nothing to leave
    k = case("K1", "A", interference=True, debtor_kind="government", debtor_place="331121")
    _p, o = options_of(scenario([k], base_courts(M={"officers": 30})))
    assert Mode.KEEP in modes_of(o, 0)
    # …but wherever it starts, it is never sent into the home locality: a passive one may be
    # designated to C, not to B
    k = case("K1", "A", interference=True, debtor_kind="government", debtor_place="331121",
             passive=True)
    p, o = options_of(scenario([k], base_courts(M={"officers": 30})))
    assert Mode.KEEP in modes_of(o, 0)
    assert ids(p, courts_of(o, 0, Mode.DESIGNATE)) == {"C"}


def test_interference_without_lawful_move_keeps_and_records_why():
    # no staffed sibling, no staffed parent: the case cannot leave
    courts = base_courts(B={"officers": 0}, C={"officers": 0})
    k = case("K1", "A", interference=True, debtor_kind="government", passive=True)
    _p, o = options_of(scenario([k], courts))
    assert modes_of(o, 0) == {Mode.KEEP}
    assert set(o.exceptions) == {0} and "interference" in o.exceptions[0]


def test_interference_prefecture_scope_excludes_the_whole_prefecture():
    courts = province_courts(M1={"officers": 30})
    k = pcase("K1", "A", interference=True, debtor_kind="government")
    p, o = options_of(province([k], courts))
    # county scope: every court outside 莲都 is lawful — B, and (the high court dispatching)
    # Wenzhou's courts, which designation now reaches across prefectures
    assert ids(p, courts_of(o, 0, Mode.DESIGNATE)) == {"B", "W1", "W2"}
    p, o = options_of(province([k], courts, rules={"interference_scope": "prefecture"}))
    # B and M1 lie in Lishui too. Before the law change that left no lawful move (designation
    # only to siblings); now the high court can designate to Wenzhou, so the case must go
    # there and keeps nothing at home
    assert modes_of(o, 0) == {Mode.DESIGNATE} and o.exceptions == {}
    assert designations(p, o, 0) == {"W1": "H", "W2": "H"}
    assert not in_home_locality(p, o.case[o.case == 0], o.court[o.case == 0]).any()
    # with 丽水中院 dispatching, nothing outside the prefecture is reachable: keep, with why
    p, o = options_of(province([k], courts, dispatcher="M1",
                               rules={"interference_scope": "prefecture"}))
    assert modes_of(o, 0) == {Mode.KEEP} and "interference" in o.exceptions[0]


def test_interference_home_widens_for_prefecture_and_province_debtors():
    courts = province_courts(M1={"officers": 30})
    # a debtor registered at 丽水市 itself (331100) answers to the prefecture: under county
    # scope its home is still the whole prefecture
    k = pcase("K1", "A", interference=True, debtor_kind="government", debtor_place="331100")
    p, o = options_of(province([k], courts))
    assert modes_of(o, 0) == {Mode.DESIGNATE}
    assert designations(p, o, 0) == {"W1": "H", "W2": "H"}
    # a province-level debtor (330000): the whole of 浙江 is home, the high court's district
    # has no court outside it — the case keeps and the reason is recorded
    k = pcase("K1", "A", interference=True, debtor_kind="government", debtor_place="330000")
    _p, o = options_of(province([k], courts))
    assert modes_of(o, 0) == {Mode.KEEP} and "interference" in o.exceptions[0]


def test_missed_deadline_case_only_designate_or_elevate():
    courts = base_courts(M={"officers": 30}, A={"teams": 2})
    k = case("K1", "A", passive=True, complex=True, prior="supervised_deadline_missed")
    _p, o = options_of(scenario([k], courts))
    assert modes_of(o, 0) == {Mode.DESIGNATE, Mode.ELEVATE}
    assert o.exceptions == {}


def test_missed_deadline_case_in_a_group_may_also_be_concentrated_but_elsewhere():
    courts = base_courts(M={"officers": 30})
    ks = [case("K1", "A", debtor_id="D1", passive=True, prior="supervised_deadline_missed"),
          case("K2", "B", debtor_id="D1")]
    p, o = options_of(scenario(ks, courts))
    assert modes_of(o, 0) <= {Mode.DESIGNATE, Mode.ELEVATE}
    assert len(o.target_group)
    # a concentration that leaves K1 where it is would not remedy the missed deadline
    assert "A" not in ids(p, o.target_court)
    assert ids(p, o.target_court) == {"B", "C", "M"}


def test_missed_deadline_without_target_keeps_with_exception():
    courts = base_courts(B={"officers": 0}, C={"officers": 0})
    k = case("K1", "A", passive=True, prior="supervised_deadline_missed")
    _p, o = options_of(scenario([k], courts))
    assert modes_of(o, 0) == {Mode.KEEP}
    assert "督促期满" in o.exceptions[0]


def test_k_best_keeps_exactly_the_k_cheapest_designate_targets():
    courts = [*base_courts(), court("D", "景宁畲族自治县人民法院", "basic", "M", "331127")]
    ks = [case("K1", "A", passive=True), case("K2", "B", passive=True)]
    w = {"applicant_travel": 1.0, "debtor_travel": 0.5, "asset_travel": 0.2}
    _p_all, o_all = options_of(scenario(ks, courts, weights=w, rules={"max_candidates": 8}))
    assert o_all.pruned == 0
    p, o = options_of(scenario(ks, courts, weights=w, rules={"max_candidates": 2}))
    assert o.pruned == 2  # each case had three sibling targets, two are kept
    for i in range(2):
        every = sorted(courts_of(o_all, i, Mode.DESIGNATE))
        assert len(every) == 3
        terms, _ = option_costs(p, np.full(3, i), np.full(3, int(Mode.DESIGNATE)),
                                np.array(every))
        cost = terms.sum(axis=1)
        assert len(set(cost.round(6))) == 3  # distinct, so "the two cheapest" is well defined
        cheapest = {every[j] for j in np.argsort(cost)[:2]}
        assert courts_of(o, i, Mode.DESIGNATE) == cheapest
        # pruning touches designate targets only
        assert modes_of(o, i) - {Mode.DESIGNATE} == modes_of(o_all, i) - {Mode.DESIGNATE}
    p, o = options_of(scenario(ks, courts, weights=w, rules={"max_candidates": 1}))
    assert o.pruned == 4
    assert all(len(courts_of(o, i, Mode.DESIGNATE)) == 1 for i in range(2))


def test_kept_options_carry_their_own_costs():
    courts = [*base_courts(M={"officers": 30}),
              court("D", "景宁畲族自治县人民法院", "basic", "M", "331127")]
    w = {"applicant_travel": 1.0, "mode_designate": 120.0, "change_court": 60.0,
         "mode_elevate": 220.0, "unresolved_passive": 300.0}
    p, o = options_of(scenario([case("K1", "A", passive=True)], courts, weights=w,
                               rules={"max_candidates": 1}))
    terms, _ = option_costs(p, o.case, o.mode, o.court)
    np.testing.assert_allclose(o.terms, terms)
    keep = np.flatnonzero(o.mode == Mode.KEEP)
    assert o.cost[keep] == pytest.approx([300.0])  # passivity left unremedied


def test_concentration_targets_lie_in_the_common_superiors_district():
    courts = province_courts(M1={"officers": 30})
    ks = [pcase("K1", "A", debtor_id="D"), pcase("K2", "W1", debtor_id="D"),  # spans prefectures
          pcase("K3", "A", debtor_id="E"), pcase("K4", "B", debtor_id="E")]  # inside Lishui
    p, o = options_of(province(ks, courts))
    grp, n = p.related_groups
    assert n == 2
    tree = p.tree
    seen = set()
    for t in range(len(o.target_group)):
        g = int(o.target_group[t])
        members = o.member_case[o.member_target == t]
        assert set(members.tolist()) == set(np.flatnonzero(grp == g).tolist())
        decider = int(o.target_decider[t])
        # the decider is a strict superior of every member's court, the lowest such
        chains = [tree.chain(int(c)) for c in p.case_court[members]]
        assert all(decider in ch[1:] for ch in chains)
        assert int(o.target_court[t]) in set(tree.descendants(decider).tolist())
        assert p.officers[o.target_court[t]] > 0
        seen.add((p.court_ids[decider], p.court_ids[int(o.target_court[t])]))
    g_e = int(grp[2])
    e_targets = {p.court_ids[c] for c in o.target_court[o.target_group == g_e]}
    assert e_targets == {"A", "B", "M1"}  # Lishui's district only
    assert {d for d, _ in seen} == {"H", "M1"}
    assert {c for d, c in seen if d == "H"} == {"A", "B", "M1", "W1", "W2"}


def test_concentration_needs_a_superior_inside_the_district():
    # with M1 as dispatcher the Lishui–Wenzhou group's common superior (H) is outside
    ks = [pcase("K1", "A", debtor_id="D"), pcase("K2", "B", debtor_id="D"),
          pcase("K3", "A", debtor_id="E"), pcase("K4", "W1", debtor_id="E")]
    p, o = options_of(province(ks, dispatcher="M1"))
    assert p.related_groups[1] == 1  # W1's case is outside the district
    assert set(o.member_case.tolist()) == {0, 1}
    assert set(o.target_decider.tolist()) == {p.court_ids.index("M1")}


def test_concentration_k_best_counts_pruned_targets():
    courts = base_courts(M={"officers": 30})
    ks = [case("K1", "A", debtor_id="D1"), case("K2", "B", debtor_id="D1")]
    w = {"applicant_travel": 1.0}
    _, o_all = options_of(scenario(ks, courts, weights=w))
    _, o = options_of(scenario(ks, courts, weights=w, rules={"max_candidates": 2}))
    assert len(o_all.target_group) == 4 and o_all.pruned == 0
    assert len(o.target_group) == 2 and o.pruned == 2
    kept = set(o.target_court.tolist())
    order = np.argsort(o_all.target_cost, kind="stable")
    assert kept == set(o_all.target_court[order[:2]].tolist())


#: A with 1,500 open cases for 20 × 60 = 1,200: utilisation 1.25 above the default 1.1, so its
#: cases are short of staff (trigger UNDERSTAFFED) and may be coordinated with lent officers.
SHORT_A = {"open_caseload": 1500.0}


def test_lending_pairs_are_siblings_or_parent_with_floor_limits():
    # lending pairs now exist only for a court with a staffing 协同 candidate (a case short of
    # staff); a complex case alone is coordinated without officers. So A is made short here.
    courts = base_courts(M={"officers": 30}, A=SHORT_A, B={"officers": 20}, C={"officers": 13})
    p, o = options_of(scenario([case("K1", "A")], courts, rules={"lending_min_keep_share": 0.85}))
    a = p.court_ids.index("A")
    assert p.triggers[0] == Trigger.UNDERSTAFFED
    assert set(o.lend_to.tolist()) == {a}
    assert ids(p, o.lend_from) == {"B", "C", "M"}
    for f in o.lend_from:
        assert p.court_parent[f] == p.court_parent[a] or f == p.court_parent[a]
        assert p.in_district[f]
    expected = [math.floor(n * 0.15 + 1e-9) for n in p.officers]
    expected[a] = 0  # A is short of staff: it lends none (协同 brings force where it lacks)
    assert o.lend_max.tolist() == expected  # M 4, A 0, B 3, C 1
    assert expected == [4, 0, 3, 1]
    assert Mode.COORDINATE in modes_of(o, 0)


def test_complex_case_alone_brings_no_lending_pairs():
    # the old expectation (a complex case at A makes B, C and M lenders to A) is wrong by law:
    # a complex case not short of staff gets the superior court's coordination, no officers
    courts = base_courts(M={"officers": 30}, B={"officers": 20}, C={"officers": 13})
    p, o = options_of(scenario([case("K1", "A", complex=True)], courts,
                               rules={"lending_min_keep_share": 0.85}))
    assert p.triggers[0] & Trigger.UNDERSTAFFED == 0
    assert courts_of(o, 0, Mode.COORDINATE) == {p.court_ids.index("A")}
    assert len(o.lend_from) == 0 and len(o.lend_to) == 0
    # lenders' limits do not depend on whether anybody borrows
    assert o.lend_max.tolist() == [4, 3, 3, 1]


def test_lending_keeps_the_k_nearest_lenders():
    courts = base_courts(M={"officers": 30}, A=SHORT_A)
    p, o = options_of(scenario([case("K1", "A")], courts,
                               rules={"lending_min_keep_share": 0.5, "max_candidates": 1}))
    a = p.court_ids.index("A")
    cand = [p.court_ids.index(x) for x in ("B", "C", "M")]
    minutes = p.travel[p.court_place[cand], p.court_place[a]]
    assert len(set(minutes.round(6))) == 3  # distinct, so "the nearest" is well defined
    assert o.lend_from.tolist() == [cand[int(np.argmin(minutes))]]
    assert o.lend_to.tolist() == [a]


def test_no_lending_when_everyone_keeps_all_staff():
    courts = base_courts(M={"officers": 30}, A=SHORT_A)
    _p, o = options_of(scenario([case("K1", "A")], courts,
                                rules={"lending_min_keep_share": 1.0}))
    assert (o.lend_max == 0).all() and len(o.lend_from) == 0
    # a case short of staff needs lent officers: nobody can lend, so no 协同
    assert Mode.COORDINATE not in modes_of(o, 0)
    # a complex case (A not short) is coordinated without officers: allowed even so (before
    # the law change it was refused like the staffing case)
    p, o = options_of(scenario([case("K1", "A", complex=True)], base_courts(M={"officers": 30}),
                               rules={"lending_min_keep_share": 1.0}))
    assert len(o.lend_from) == 0
    assert courts_of(o, 0, Mode.COORDINATE) == {p.court_ids.index("A")}


def test_lending_never_crosses_the_district():
    # dispatcher M1: Wenzhou's courts and the high court lend nothing
    courts = province_courts(M1={"officers": 30}, H={"officers": 30}, M2={"officers": 30},
                             A=SHORT_A)
    p, o = options_of(province([pcase("K1", "A")], courts, dispatcher="M1",
                               rules={"lending_min_keep_share": 0.5}))
    assert p.triggers[0] & Trigger.UNDERSTAFFED
    outside = [p.court_ids.index(x) for x in ("H", "M2", "W1", "W2")]
    assert (o.lend_max[outside] == 0).all()
    assert ids(p, o.lend_from) == {"B", "M1"}
    # a wider dispatcher: still only the siblings and the parent, not a cousin or grandparent
    # (unlike 指令执行, which now reaches across prefectures)
    p, o = options_of(province([pcase("K1", "A")], courts,
                               rules={"lending_min_keep_share": 0.5}))
    assert ids(p, o.lend_from) == {"B", "M1"}
    assert {"W1", "W2"} <= ids(p, courts_of(o, 0, Mode.DESIGNATE))
