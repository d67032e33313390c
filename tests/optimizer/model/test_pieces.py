"""Independent pieces: components of the court graph, merged by debtor groups while small
enough, otherwise linked."""

from __future__ import annotations

import numpy as np

from optimizer.law.modes import Mode
from optimizer.model.linking import split_linking
from optimizer.model.options import build_options
from optimizer.model.pieces import court_components, find_pieces
from optimizer.solver.baseline import free_cases
from tests.optimizer.model.provinces import compile_, pcase, province

BIG = 15_000


def two_prefectures(shared_debtor: bool, extra=()):
    """Lishui: debtor F's cases K1 (A) and K5 (B); Wenzhou: debtor G's cases K2 (W1) and K6 (W2);
    debtor D's case K3 at A, and K4 at W1 of debtor D (shared) or E (then a constant).

    No case has a 指令执行 trigger (passive, overdue, short of staff, …): under the dispatching
    high court such a case may now be designated to the other prefecture (decided by H), and that
    option alone joins the two prefectures into one piece (see the first test). Each prefecture is
    held together by its own related cases (集中执行 decided by M1 / M2) instead."""
    ks = [pcase("K1", "A", debtor_id="F"), pcase("K2", "W1", debtor_id="G"),
          pcase("K3", "A", debtor_id="D"),
          pcase("K4", "W1", debtor_id="D" if shared_debtor else "E"),
          pcase("K5", "B", debtor_id="F"), pcase("K6", "W2", debtor_id="G"), *extra]
    p = compile_(province(ks))
    o = build_options(p)
    return p, o, free_cases(p, o)


def pieces_of(p, o, free, max_piece_cases=BIG):
    comp, linking = court_components(p, o, free, max_piece_cases)
    return comp, linking, find_pieces(p, o, free, comp)


def names(p, courts):
    return {p.court_ids[c] for c in courts}


def assert_well_formed(p, o, free, pieces, targets_inside=True):
    # every free case in exactly one piece; constants in none
    all_cases = np.concatenate([pc.cases for pc in pieces])
    assert sorted(all_cases.tolist()) == np.flatnonzero(free).tolist()
    for pc in pieces:
        courts = set(pc.courts.tolist())
        cases = set(pc.cases.tolist())
        assert set(o.case[pc.options].tolist()) <= cases
        # every option of a piece case is in the piece
        assert set(np.flatnonzero(np.isin(o.case, pc.cases)).tolist()) == set(pc.options.tolist())
        assert set(o.court[pc.options].tolist()) <= courts
        assert set(p.case_court[pc.cases].tolist()) <= courts
        assert set(o.lend_from[pc.lends].tolist()) | set(o.lend_to[pc.lends].tolist()) <= courts
        members = o.member_case[np.isin(o.member_target, pc.targets)]
        assert set(members.tolist()) <= cases
        if targets_inside:
            assert set(o.target_court[pc.targets].tolist()) <= courts
        assert p.in_district[pc.courts].all()


def group_of(p, i):
    return int(p.related_groups[0][i])


def test_two_prefectures_without_shared_debtor_are_two_pieces():
    p, o, free = two_prefectures(shared_debtor=False)
    assert p.related_groups[1] == 2  # F inside Lishui, G inside Wenzhou
    assert set(p.court_ids[d] for d in o.target_decider) == {"M1", "M2"}
    comp, linking, pieces = pieces_of(p, o, free)
    assert not len(linking) and len(pieces) == 2
    assert comp[p.court_ids.index("A")] != comp[p.court_ids.index("W1")]
    assert comp[p.court_ids.index("A")] == comp[p.court_ids.index("B")]
    by_court = {frozenset(names(p, pc.courts)): pc for pc in pieces}
    assert set(by_court) == {frozenset({"A", "B"}), frozenset({"W1", "W2"})}
    lishui = by_court[frozenset({"A", "B"})]
    assert lishui.cases.tolist() == [0, 4]  # K1, K5 (debtor F); K3 has no trigger: a constant
    assert not free[2] and not free[3]
    assert_well_formed(p, o, free, pieces)


def test_a_passive_case_joins_the_prefectures_by_designation():
    # the law change: a passive case at A may be designated to Wenzhou's courts, decided by
    # the high court, so the two prefectures are one piece even without a shared debtor (the
    # old helper used passive cases to build two separate pieces)
    p, o, free = two_prefectures(shared_debtor=False, extra=[pcase("K7", "A", passive=True)])
    designated = np.flatnonzero((o.case == 6) & (o.mode == Mode.DESIGNATE))
    across = designated[np.isin(o.court[designated], [p.court_ids.index(c) for c in ("W1", "W2")])]
    assert len(across) and {p.court_ids[d] for d in o.decider[across]} == {"H"}
    comp, linking, pieces = pieces_of(p, o, free)
    assert not len(linking) and len(pieces) == 1
    assert comp[p.court_ids.index("A")] == comp[p.court_ids.index("W1")]
    assert names(p, pieces[0].courts) == {"A", "B", "W1", "W2"}
    assert_well_formed(p, o, free, pieces)
    # with 丽水中院 dispatching, the case stays in Lishui: Wenzhou is outside the district
    ks = [pcase("K1", "A", debtor_id="F"), pcase("K5", "B", debtor_id="F"),
          pcase("K7", "A", passive=True), pcase("K2", "W1", debtor_id="G")]
    p = compile_(province(ks, dispatcher="M1"))
    o = build_options(p)
    free = free_cases(p, o)
    _, linking, pieces = pieces_of(p, o, free)
    assert not len(linking) and len(pieces) == 1
    assert names(p, pieces[0].courts) == {"A", "B"}
    assert_well_formed(p, o, free, pieces)


def test_shared_debtor_merges_the_pieces_while_small_enough():
    p, o, free = two_prefectures(shared_debtor=True)
    assert p.related_groups[1] == 3 and free.all()
    # six free cases: a piece of six may hold both prefectures
    comp, linking, pieces = pieces_of(p, o, free, max_piece_cases=6)
    assert not len(linking) and len(pieces) == 1
    assert names(p, pieces[0].courts) == {"A", "B", "W1", "W2"}
    assert comp[p.court_ids.index("A")] == comp[p.court_ids.index("W1")]
    assert pieces[0].targets.tolist() == list(range(len(o.target_group)))
    assert_well_formed(p, o, free, pieces)


def test_shared_debtor_links_the_pieces_when_merging_is_too_big():
    p, o, free = two_prefectures(shared_debtor=True)
    g_d = group_of(p, 2)
    # five is one short of the six free cases: each prefecture still merges (F, G: two cases
    # each), D's group links them
    comp, linking, _ = pieces_of(p, o, free, max_piece_cases=5)
    assert linking.tolist() == [g_d]
    assert comp[p.court_ids.index("A")] != comp[p.court_ids.index("W1")]
    assert comp[p.court_ids.index("A")] == comp[p.court_ids.index("B")]
    assert comp[p.court_ids.index("W1")] == comp[p.court_ids.index("W2")]
    # the pipeline's pieces come from the options with the linking group split per piece
    o_rel, rel_to_orig = split_linking(p, o, comp, linking)
    pieces = find_pieces(p, o_rel, free, comp)
    assert len(pieces) == 2
    # a copy's target may lie in the other piece: it carries no load there
    assert_well_formed(p, o_rel, free, pieces, targets_inside=False)
    n_d = int((o.target_group == g_d).sum())
    for pc in pieces:
        # one copy of every target of D per piece, besides the piece's own group's targets
        orig = o.target_group[rel_to_orig[pc.targets]]
        assert int((orig == g_d).sum()) == n_d
        own = group_of(p, 0) if "A" in names(p, pc.courts) else group_of(p, 1)
        assert set(orig.tolist()) == {g_d, own}


def test_unrelated_components_merge_independently():
    # a constant case at B and a free case at W2 change nothing but the pieces' case lists; the
    # W2 case is complex (coordinated at its own court, no officers): a passive one would be
    # designated across the prefectures now and join the pieces
    extra = [pcase("K7", "B"), pcase("K8", "W2", complex=True)]
    p, o, free = two_prefectures(shared_debtor=False, extra=extra)
    _, _, pieces = pieces_of(p, o, free)
    assert len(pieces) == 2
    assert not free[6] and free[7]
    assert set(o.court[o.case == 7].tolist()) == {p.court_ids.index("W2")}
    assert_well_formed(p, o, free, pieces)
    wenzhou = next(pc for pc in pieces if "W1" in names(p, pc.courts))
    assert wenzhou.cases.tolist() == [1, 5, 7]
    assert names(p, wenzhou.courts) == {"W1", "W2"}


def test_no_free_case_no_piece():
    p = compile_(province([pcase("K1", "A"), pcase("K2", "W1")]))
    o = build_options(p)
    free = free_cases(p, o)
    assert not free.any()
    _, linking, pieces = pieces_of(p, o, free)
    assert pieces == [] and not len(linking)
