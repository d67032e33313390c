"""Independent pieces: components of the court graph, merged by debtor groups while small
enough, otherwise linked."""

from __future__ import annotations

import numpy as np

from optimizer.model.linking import split_linking
from optimizer.model.options import build_options
from optimizer.model.pieces import court_components, find_pieces
from optimizer.solver.baseline import free_cases
from tests.optimizer.model.provinces import compile_, pcase, province

BIG = 15_000


def two_prefectures(shared_debtor: bool, extra=()):
    ks = [pcase("K1", "A", passive=True), pcase("K2", "W1", passive=True),
          pcase("K3", "A", debtor_id="D"),
          pcase("K4", "W1", debtor_id="D" if shared_debtor else "E"), *extra]
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


def test_two_prefectures_without_shared_debtor_are_two_pieces():
    p, o, free = two_prefectures(shared_debtor=False)
    assert p.related_groups[1] == 0
    comp, linking, pieces = pieces_of(p, o, free)
    assert not len(linking) and len(pieces) == 2
    assert comp[p.court_ids.index("A")] != comp[p.court_ids.index("W1")]
    by_court = {frozenset(names(p, pc.courts)): pc for pc in pieces}
    assert set(by_court) == {frozenset({"A", "B"}), frozenset({"W1", "W2"})}
    lishui = by_court[frozenset({"A", "B"})]
    assert lishui.cases.tolist() == [0]  # K3 has no trigger: a constant
    assert not free[2] and not free[3]
    assert_well_formed(p, o, free, pieces)


def test_shared_debtor_merges_the_pieces_while_small_enough():
    p, o, free = two_prefectures(shared_debtor=True)
    assert p.related_groups[1] == 1 and free.all()
    comp, linking, pieces = pieces_of(p, o, free, max_piece_cases=4)
    assert not len(linking) and len(pieces) == 1
    assert names(p, pieces[0].courts) == {"A", "B", "W1", "W2"}
    assert comp[p.court_ids.index("A")] == comp[p.court_ids.index("W1")]
    assert pieces[0].targets.tolist() == list(range(len(o.target_group)))
    assert_well_formed(p, o, free, pieces)


def test_shared_debtor_links_the_pieces_when_merging_is_too_big():
    p, o, free = two_prefectures(shared_debtor=True)
    comp, linking, _ = pieces_of(p, o, free, max_piece_cases=3)
    assert linking.tolist() == [0]
    assert comp[p.court_ids.index("A")] != comp[p.court_ids.index("W1")]
    # the pipeline's pieces come from the options with the linking group split per piece
    o_rel, _ = split_linking(p, o, comp, linking)
    pieces = find_pieces(p, o_rel, free, comp)
    assert len(pieces) == 2
    # a copy's target may lie in the other piece: it carries no load there
    assert_well_formed(p, o_rel, free, pieces, targets_inside=False)
    for pc in pieces:
        assert len(pc.targets) == len(o.target_group)  # one copy of every target per piece


def test_unrelated_components_merge_independently():
    # a third, unlinked cluster inside Lishui would stay apart; here: a constant case at B and
    # a free case at W2 change nothing but the pieces' case lists
    extra = [pcase("K5", "B"), pcase("K6", "W2", passive=True)]
    p, o, free = two_prefectures(shared_debtor=False, extra=extra)
    _, _, pieces = pieces_of(p, o, free)
    assert len(pieces) == 2
    assert not free[4] and free[5]
    assert_well_formed(p, o, free, pieces)
    wenzhou = next(pc for pc in pieces if "W1" in names(p, pc.courts))
    assert wenzhou.cases.tolist() == [1, 5]


def test_no_free_case_no_piece():
    p = compile_(province([pcase("K1", "A"), pcase("K2", "W1")]))
    o = build_options(p)
    free = free_cases(p, o)
    assert not free.any()
    _, linking, pieces = pieces_of(p, o, free)
    assert pieces == [] and not len(linking)
