"""`build_model` on a tiny piece: column layout, row families, hand-computed row activities
and right-hand sides, band widths."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from optimizer.law.modes import Mode
from optimizer.model.options import build_options
from optimizer.model.pieces import court_components, find_pieces
from optimizer.model.rows import ROW_FAMILIES, build_model
from optimizer.solver.baseline import free_cases
from tests.builders import base_courts, case, scenario
from tests.optimizer.model.provinces import compile_

TAU = 0.9  # target utilisation
CEILING = 1.5
SLOPES = [1.0, 2.0, 4.0]
BAND = 0.2


A_OPEN = 1000.0  # A's open caseload: 1000 / (20 × 60) = 0.83 > SHORT, so A is short of staff
SHORT = 0.8  # understaffed_utilisation


def tiny(max_utilisation: float | None = CEILING):
    """M (30 officers) over A, B, C (20 officers, 60 cases per officer; 1000 open at A, 100 at
    B and C); at A: a passive case (2 units), a complex one (3), one of debtor D (1); at B: D's
    other (1.5). A is short of staff (0.83 above 0.8), so its cases may be coordinated with
    officers lent by M, B and C (under the new law only such a court borrows: a complex case
    alone is coordinated without officers)."""
    courts = base_courts(M={"officers": 30}, A={"open_caseload": A_OPEN})
    ks = [case("K1", "A", passive=True, workload=2.0), case("K2", "A", complex=True, workload=3.0),
          case("K3", "A", debtor_id="D", workload=1.0), case("K4", "B", debtor_id="D", workload=1.5)]
    data = scenario(ks, courts, weights={"load_slopes": SLOPES},
                    rules={"target_utilisation": TAU, "max_utilisation": max_utilisation,
                           "load_band_width": BAND, "understaffed_utilisation": SHORT})
    p = compile_(data)
    o = build_options(p)
    free = free_cases(p, o)
    comp, linking = court_components(p, o, free, 100)
    pieces = find_pieces(p, o, free, comp)
    assert len(pieces) == 1 and not len(linking)
    return p, o, pieces[0]


def cid(p, name):
    return p.court_ids.index(name)


def ids_of(p, courts):
    return {p.court_ids[int(c)] for c in courts}


def x_col(p, o, pc, case_i, mode, court):
    hits = [k for k, r in enumerate(pc.options)
            if o.case[r] == case_i and o.mode[r] == mode and o.court[r] == cid(p, court)]
    assert len(hits) == 1
    return hits[0]


def test_column_layout_adds_up():
    p, o, pc = tiny()
    m = build_model(p, o, pc)
    lay = m.layout
    assert (lay.n_x, lay.n_y, lay.n_z) == (len(pc.options), len(pc.targets), len(pc.lends))
    assert lay.n_courts == len(pc.courts) == 4 and lay.n_bands == len(SLOPES)
    parts = [lay.x, lay.y, lay.z, lay.s]
    assert parts[0].start == 0 and parts[-1].stop == lay.n_cols == m.n_cols
    for a, b in itertools.pairwise(parts):
        assert a.stop == b.start
    assert sum(s.stop - s.start for s in parts) == m.n_cols
    assert lay.n_s == 4 * 3
    # x, y and z whole; s continuous
    assert m.integer[: lay.n_discrete].all() and not m.integer[lay.s].any()
    assert len(m.cost) == len(m.lower) == len(m.upper) == m.n_cols
    assert len(m.a_start) == m.n_cols + 1
    np.testing.assert_array_equal(m.x_case, np.searchsorted(pc.cases, o.case[pc.options]))
    # costs: the options', the group targets', the lending pairs', the band slopes
    np.testing.assert_allclose(m.cost[lay.x], o.cost[pc.options])
    np.testing.assert_allclose(m.cost[lay.y], o.target_cost[pc.targets])
    np.testing.assert_allclose(m.cost[lay.z], o.lend_cost[pc.lends])
    np.testing.assert_allclose(m.cost[lay.s], np.tile(SLOPES, 4))
    np.testing.assert_allclose(m.upper[lay.z], o.lend_max[o.lend_from[pc.lends]])


def test_every_row_family_with_its_row_count():
    p, o, pc = tiny()
    m = build_model(p, o, pc)
    fam = m.row_family
    assert set(fam) == set(ROW_FAMILIES)
    count = {k: s.stop - s.start for k, s in fam.items()}
    assert count == {
        "one_option": 4,  # cases
        "load_band": 4,  # courts M, A, B, C
        "load_ceiling": 4,
        "lend_limit": len(np.unique(o.lend_from[pc.lends])),
        "coordinate_staff": 1,  # only A borrows
        "coordinate_officers": 1,  # (new family: staffing 协同 cases need lent officers)
    }
    assert count["lend_limit"] == 3  # M, B and C may lend to A
    assert set(o.lend_to[pc.lends].tolist()) == {cid(p, "A")}
    assert sum(count.values()) == m.n_rows
    # families tile the rows in order
    spans = sorted(fam.values(), key=lambda s: s.start)
    assert spans[0].start == 0 and all(a.stop == b.start for a, b in itertools.pairwise(spans))


def test_ceiling_rows_only_when_the_rule_is_on():
    p, o, pc = tiny(max_utilisation=None)
    m = build_model(p, o, pc)
    assert "load_ceiling" not in m.row_family
    # one_option, load_band, lend_limit (M, B, C), coordinate_staff and coordinate_officers (A)
    assert m.n_rows == 4 + 4 + 3 + 1 + 1


def test_keep_everything_gives_the_hand_computed_activities():
    p, o, pc = tiny()
    m = build_model(p, o, pc)
    v = np.zeros(m.n_cols)
    for i, _k, court in ((0, "K1", "A"), (1, "K2", "A"), (2, "K3", "A"), (3, "K4", "B")):
        v[x_col(p, o, pc, i, Mode.KEEP, court)] = 1.0
    act = m.activity(v)
    fam = m.row_family
    np.testing.assert_allclose(act[fam["one_option"]], [1, 1, 1, 1])
    pos = {name: int(np.flatnonzero(pc.courts == cid(p, name))[0]) for name in "MABC"}
    band = act[fam["load_band"]]
    # the cases' own workload at their own courts (the rest is in the right-hand side)
    assert band[pos["M"]] == 0 and band[pos["A"]] == pytest.approx(6.0)
    assert band[pos["B"]] == pytest.approx(1.5) and band[pos["C"]] == 0
    np.testing.assert_allclose(act[fam["load_ceiling"]], band)
    np.testing.assert_allclose(act[fam["lend_limit"]], 0)
    np.testing.assert_allclose(act[fam["coordinate_staff"]], 0)
    np.testing.assert_allclose(act[fam["coordinate_officers"]], 0)
    # the point meets every row (loads are below the targets)
    assert np.all(act >= m.row_lower - 1e-9) and np.all(act <= m.row_upper + 1e-9)
    assert float(m.cost @ v) == pytest.approx(float(o.cost[o.mode == Mode.KEEP].sum()))


def test_moves_lending_and_bands_give_the_hand_computed_activities():
    p, o, pc = tiny()
    m = build_model(p, o, pc)
    lay = m.layout
    v = np.zeros(m.n_cols)
    v[x_col(p, o, pc, 0, Mode.DESIGNATE, "C")] = 1.0  # K1 (2 units) A → C
    v[x_col(p, o, pc, 1, Mode.COORDINATE, "A")] = 1.0  # K2 stays at A with help
    t = int(np.flatnonzero(o.target_court[pc.targets] == cid(p, "M"))[0])
    v[lay.y0 + t] = 1.0  # debtor D's group (1 + 1.5 units) concentrated at M
    z = int(np.flatnonzero(o.lend_from[pc.lends] == cid(p, "B"))[0])
    v[lay.z0 + z] = 2.0  # B lends A two officers
    pos = {name: int(np.flatnonzero(pc.courts == cid(p, name))[0]) for name in "MABC"}
    v[lay.s0 + pos["A"] * lay.n_bands + 0] = 5.0
    v[lay.s0 + pos["C"] * lay.n_bands + 2] = 0.5
    act = m.activity(v)
    fam = m.row_family
    np.testing.assert_allclose(act[fam["one_option"]], [1, 1, 1, 1])
    cpo = 60.0
    band = act[fam["load_band"]]
    assert band[pos["M"]] == pytest.approx(2.5)
    assert band[pos["A"]] == pytest.approx(3.0 - TAU * cpo * 2 - 5.0)
    assert band[pos["B"]] == pytest.approx(TAU * cpo * 2)
    assert band[pos["C"]] == pytest.approx(2.0 - 0.5)
    ceil = act[fam["load_ceiling"]]
    assert ceil[pos["A"]] == pytest.approx(3.0 - CEILING * cpo * 2)
    assert ceil[pos["B"]] == pytest.approx(CEILING * cpo * 2)
    assert ceil[pos["M"]] == pytest.approx(2.5) and ceil[pos["C"]] == pytest.approx(2.0)
    lenders = np.unique(o.lend_from[pc.lends]).tolist()
    lend = act[fam["lend_limit"]]
    assert lend.tolist() == [2.0 if c == cid(p, "B") else 0.0 for c in lenders]
    # K2 is a staffing 协同 case (A is short of staff): two borrowed for one case…
    assert act[fam["coordinate_staff"]].tolist() == [2.0 - 1.0]
    # …which breaks coordinate_staff (at most one officer per coordinated case)
    row = fam["coordinate_staff"].start
    assert act[row] > m.row_upper[row]
    # one case, two officers: 1 − k·2 with k = cases_per_lent_officer (10 by default)
    k = p.rules.cases_per_lent_officer
    assert k == 10.0
    assert act[fam["coordinate_officers"]].tolist() == [1.0 - k * 2.0]


def test_right_hand_sides_are_target_capacity_minus_base_load():
    p, o, pc = tiny()
    m = build_model(p, o, pc)
    fam = m.row_family
    cpo, own = p.cases_per_officer[pc.courts], p.officers[pc.courts]
    at = np.array([p.case_workload[pc.cases][p.case_court[pc.cases] == c].sum() for c in pc.courts])
    base = p.open_caseload[pc.courts] - at
    np.testing.assert_allclose(m.row_upper[fam["load_band"]], TAU * cpo * own - base)
    assert np.all(np.isneginf(m.row_lower[fam["load_band"]]))
    # by hand: A has 20 officers, 60 per officer, 1000 open of which 6 are the piece's
    a = int(np.flatnonzero(pc.courts == cid(p, "A"))[0])
    assert m.row_upper[fam["load_band"]][a] == pytest.approx(0.9 * 60 * 20 - (1000 - 6))
    np.testing.assert_allclose(m.row_upper[fam["load_ceiling"]],
                               np.maximum(CEILING * cpo * own, p.open_caseload[pc.courts]) - base)
    np.testing.assert_allclose(m.row_upper[fam["one_option"]], 1)
    np.testing.assert_allclose(m.row_lower[fam["one_option"]], 1)
    lenders = np.unique(o.lend_from[pc.lends])
    np.testing.assert_allclose(m.row_upper[fam["lend_limit"]], o.lend_max[lenders])
    np.testing.assert_allclose(m.row_upper[fam["coordinate_staff"]], 0)
    np.testing.assert_allclose(m.row_upper[fam["coordinate_officers"]], 0)
    assert np.all(np.isneginf(m.row_lower[fam["coordinate_officers"]]))
    # fixed load from elsewhere lowers the room left
    extra = np.zeros(p.n_courts)
    extra[cid(p, "C")] = 7.0
    m2 = build_model(p, o, pc, extra)
    diff = m.row_upper[fam["load_band"]] - m2.row_upper[fam["load_band"]]
    np.testing.assert_allclose(diff, [7.0 if c == cid(p, "C") else 0.0 for c in pc.courts])


def test_ceiling_rhs_never_below_the_load_before():
    # an overloaded court: 200 open for 20 × 5 = 100 capacity, ceiling 1.5 → 150 < 200
    courts = base_courts(M={"officers": 30}, A={"cases_per_officer": 5.0, "open_caseload": 200.0})
    data = scenario([case("K1", "A", passive=True, workload=4.0)], courts,
                    rules={"max_utilisation": CEILING, "understaffed_utilisation": 5.0})
    p = compile_(data)
    o = build_options(p)
    free = free_cases(p, o)
    comp, _ = court_components(p, o, free, 100)
    (pc,) = find_pieces(p, o, free, comp)
    m = build_model(p, o, pc)
    a = int(np.flatnonzero(pc.courts == cid(p, "A"))[0])
    assert m.row_upper[m.row_family["load_ceiling"]][a] == pytest.approx(200.0 - (200.0 - 4.0))


def test_band_widths_are_shares_of_capacity_with_the_last_infinite():
    p, o, pc = tiny()
    m = build_model(p, o, pc)
    width = m.band_width.reshape(len(pc.courts), len(SLOPES))
    cap = p.capacity[pc.courts]
    for j in range(len(pc.courts)):
        np.testing.assert_allclose(width[j, :-1], BAND * cap[j])
        assert math.isinf(width[j, -1])
    np.testing.assert_allclose(m.upper[m.layout.s], m.band_width)
    assert width[int(np.flatnonzero(pc.courts == cid(p, "M"))[0]), 0] == pytest.approx(0.2 * 1800)


def staffing_piece(k: float):
    """A short of staff (1000 open for 20 × 60, above 0.8) with three cases S1–S3 that may be
    coordinated for lack of staff, B and C may lend to A (M has no officers); C, not short, has a
    complex case X1 that may be coordinated without officers. k = cases_per_lent_officer."""
    courts = base_courts(A={"open_caseload": A_OPEN})
    ks = [case("S1", "A"), case("S2", "A"), case("S3", "A"), case("X1", "C", complex=True)]
    p = compile_(scenario(ks, courts, rules={"understaffed_utilisation": SHORT,
                                             "cases_per_lent_officer": k,
                                             "max_utilisation": None}))
    o = build_options(p)
    free = free_cases(p, o)
    comp, _ = court_components(p, o, free, 100)
    (pc,) = find_pieces(p, o, free, comp)
    return p, o, pc


def row_coefficients(m, row):
    """Dense coefficients of one row of the model's matrix."""
    cols = np.repeat(np.arange(m.n_cols), np.diff(m.a_start))
    out = np.zeros(m.n_cols)
    sel = m.a_index == row
    np.add.at(out, cols[sel], m.a_value[sel])
    return out


def test_coordinate_officers_row_by_hand():
    k = 2.0
    p, o, pc = staffing_piece(k)
    m = build_model(p, o, pc)
    lay, fam = m.layout, m.row_family
    assert fam["coordinate_officers"].stop - fam["coordinate_officers"].start == 1  # A only
    assert set(o.lend_to[pc.lends].tolist()) == {cid(p, "A")}
    assert ids_of(p, o.lend_from[pc.lends]) == {"B", "C"}
    row = fam["coordinate_officers"].start
    assert m.row_upper[row] == 0 and np.isneginf(m.row_lower[row])
    # coefficients: +1 on each staffing 协同 column at A, −k on each officer lent to A, nothing
    # else — in particular not on X1's coordination at C (complex, no officers)
    coef = row_coefficients(m, row)
    expected = np.zeros(m.n_cols)
    for i in range(3):
        expected[x_col(p, o, pc, i, Mode.COORDINATE, "A")] = 1.0
    expected[lay.z] = -k
    np.testing.assert_allclose(coef, expected)
    assert coef[x_col(p, o, pc, 3, Mode.COORDINATE, "C")] == 0

    z_b = lay.z0 + int(np.flatnonzero(o.lend_from[pc.lends] == cid(p, "B"))[0])
    z_c = lay.z0 + int(np.flatnonzero(o.lend_from[pc.lends] == cid(p, "C"))[0])

    def point(coordinated, officers_b, officers_c, x1="keep"):
        v = np.zeros(m.n_cols)
        for i in range(3):
            v[x_col(p, o, pc, i, Mode.COORDINATE if i < coordinated else Mode.KEEP, "A")] = 1.0
        v[x_col(p, o, pc, 3, Mode.COORDINATE if x1 == "coordinate" else Mode.KEEP, "C")] = 1.0
        v[z_b], v[z_c] = officers_b, officers_c
        act = m.activity(v)
        return act[row], act[fam["coordinate_staff"].start]

    # three staffing cases, one officer: 3 − 2·1 = 1 > 0 — they need ⌈3 / 2⌉ = 2 officers
    officers_row, staff_row = point(3, 1, 0)
    assert officers_row == pytest.approx(3 - k * 1) and officers_row > m.row_upper[row]
    assert staff_row == pytest.approx(1 - 3)  # at most one officer per case: fine
    # two officers (one from B, one from C): 3 − 2·2 = −1, and 2 − 3 = −1
    assert point(3, 1, 1) == pytest.approx((3 - k * 2, 2 - 3))
    # two cases, one officer: 2 − 2·1 = 0, exactly enough
    assert point(2, 0, 1) == pytest.approx((0.0, 1 - 2))
    # no officer, no staffing case: 0; X1's coordination at C counts in neither row
    assert point(0, 0, 0) == pytest.approx((0.0, 0.0))
    assert point(0, 0, 0, x1="coordinate") == pytest.approx((0.0, 0.0))
    # one staffing case and nobody lent: 1 > 0, the rule this family is there for
    assert point(1, 0, 0)[0] == pytest.approx(1.0)
