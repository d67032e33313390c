"""The cut rounds stop when they tail off: a round that lifts the bound by less than `tail` is
the last one; at tail 0 every round that finds a cut runs."""

from __future__ import annotations

import re

import pytest

from optimizer.data.generate import generate
from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.model.rows import Model
from optimizer.solver import cuts as rc
from optimizer.solver import highs
from optimizer.solver.params import SolveParams
from optimizer.solver.piece import _cut_loop
from optimizer.solver.solve import _build, _Reporter


@pytest.fixture(scope="module")
def zhejiang_piece() -> Model:
    su = _build(Problem.from_scenario(parse_scenario(generate("zhejiang", 3, 2000))),
                SolveParams(), _Reporter(None, 0.0))
    return max(su.models, key=lambda m: m.n_cols)


def _rounds(m: Model, tail: float) -> tuple[int, float]:
    h = highs.load(m, 30, 0.0, 0, options={"presolve": "off"})
    h.run()
    res = highs.outcome(h, False)
    assert res.values is not None
    steps: list[str] = []
    _, _, bound, _ = _cut_loop(m, h, res.values, res.objective, rc.coordinate_rows(m), 8, steps,
                               None, load_cuts=True, tail=tail)
    found = re.search(r"in (\d+) rounds", " ".join(steps))
    assert found is not None
    return int(found.group(1)), bound


def test_rounds_stop_when_they_tail_off(zhejiang_piece: Model) -> None:
    every, bound_every = _rounds(zhejiang_piece, 0.0)
    assert every >= 3  # (this piece's cuts keep coming for several rounds)
    one, bound_one = _rounds(zhejiang_piece, float("inf"))
    assert one == 1  # the first round lifts the bound by less than infinity: the last
    assert bound_one <= bound_every + 1e-6
    # a tail between the two: fewer rounds than all, more than one, a bound in between
    some, bound_some = _rounds(zhejiang_piece, 0.5 * (bound_every - bound_one) / (every - 1))
    assert 1 <= some <= every and bound_one - 1e-6 <= bound_some <= bound_every + 1e-6
