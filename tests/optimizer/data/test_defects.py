"""A defect found in a scenario file is a `Defect`; `ScenarioError.defects` lists them all."""

from __future__ import annotations

import pytest

from optimizer.data import validate
from optimizer.data.read import read_scenario
from optimizer.data.validate import Defect, ScenarioError
from tests.conftest import DATA


def test_scenario_error_carries_defects():
    with pytest.raises(ScenarioError) as e:
        read_scenario(DATA / "bad_unknown_court.json")
    assert e.value.defects and all(isinstance(d, Defect) for d in e.value.defects)
    assert not hasattr(e.value, "problems")
    assert not hasattr(validate, "Problem")  # the compiled arrays are optimizer.data.problem.Problem


def test_defect_reads_as_path_record_message():
    d = Defect("cases[1].court", "K1", "executing court 'X' is not defined")
    assert str(d) == "cases[1].court K1: executing court 'X' is not defined"
    assert "1 defect(s)" in str(ScenarioError([d]))
