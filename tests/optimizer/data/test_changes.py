"""The changes document: names checked against the scenario, staffing and caseload applied
exactly, travel times shared, each error naming its change."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from optimizer.data.changes import ChangesError, ChangeSet
from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from tests.builders import case, scenario


@pytest.fixture(scope="module")
def problem() -> Problem:
    return Problem.from_scenario(parse_scenario(scenario(
        [case("K1", "A", passive=True, debtor_id="D1"), case("K2", "B", debtor_id="D1")])))


def test_extra_fields_are_refused_and_schema_documents_terms():
    with pytest.raises(ValidationError):
        ChangeSet.model_validate({"pinz": []})
    with pytest.raises(ValidationError):
        ChangeSet.model_validate({"officers": [{"court": "A", "add": 1, "set": 2}]})
    text = str(ChangeSet.model_json_schema(by_alias=True))
    assert "执行人员" in text and "固定借调" in text and "'from'" in text


@given(add=st.integers(-40, 40), setv=st.integers(0, 99), k=st.floats(0, 5))
@settings(max_examples=25, deadline=None)
def test_staffing_and_caseload_applied_exactly_travel_kept(problem, add, setv, k):
    ch = ChangeSet.model_validate({"officers": [{"court": "A", "add": add},
                                                {"court": "B", "set": setv}],
                                   "shocks": [{"court": "C", "factor": k}]})
    ch.check(problem)
    q = ch.apply(problem)
    a, b, c = (problem.court_ids.index(x) for x in "ABC")
    assert q.officers[a] == max(problem.officers[a] + add, 0)
    assert q.officers[b] == setv
    assert q.open_caseload[c] == pytest.approx(problem.open_caseload[c] * k)
    others = np.ones(problem.n_courts, dtype=bool)
    others[[a, b]] = False
    assert np.array_equal(q.officers[others], problem.officers[others])
    assert q.travel is problem.travel  # not recomputed


@pytest.mark.parametrize("data, where", [
    ({"officers": [{"court": "Z", "add": 1}]}, "changes.officers[0]: unknown court Z"),
    ({"bar_receiving": ["A", "Q"]}, "changes.bar_receiving[1]: unknown court Q"),
    ({"pins": [{"case": "K1", "mode": "designate", "court": "B"},
               {"case": "K9", "mode": "designate", "court": "B"}]}, "changes.pins[1]: unknown case K9"),
    ({"pins": [{"case": "K1", "mode": "teleport", "court": "B"}]}, "changes.pins[0]: unknown mode"),
    ({"keep": ["nope"]}, "changes.keep[0]: unknown case nope"),
    ({"forbid": [{"case": "K1", "court": "X"}]}, "changes.forbid[0]: unknown court X"),
    ({"concentrate": ["D9"]}, "changes.concentrate[0]: unknown debtor D9"),
    ({"never_concentrate": ["D9"]}, "changes.never_concentrate[0]: unknown debtor D9"),
    ({"shocks": [{"court": "X", "factor": 2}]}, "changes.shocks[0]: unknown court X"),
    ({"loans": [{"from": "A", "to": "A", "officers": 1}]}, "changes.loans[0]: a court cannot lend"),
    ({"weights": {"speed": 1}}, "changes.weights: unknown weight"),
    ({"rules": {"max_utilisation": -1}}, "changes.rules"),
])
def test_bad_changes_name_the_change(problem, data, where):
    with pytest.raises(ChangesError, match=f"^{where.replace('[', '.').replace(']', '.')}"):
        ChangeSet.model_validate(data).check(problem)


def test_without_drops_exactly_one_entry():
    ch = ChangeSet.model_validate({"keep": ["a", "b", "c"], "weights": {"x": 1, "y": 2}})
    assert ch.without("keep", 1).keep == ("a", "c")
    assert ch.without("weights", 0).weights == {"y": 2}
    assert len(ch.entries()) == 5
