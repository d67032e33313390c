"""The fast checks of reading (`read._surely_unique_keys`, the case columns) decide only what
they can vouch for: whatever they are unsure of goes the slow way, with the same messages."""

from __future__ import annotations

import json

import numpy as np
import pytest

from optimizer.data import read as read_module
from optimizer.data.case_columns import case_columns
from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.data.validate import ScenarioError
from tests.conftest import DATA

TINY = (DATA / "tiny.json").read_text(encoding="utf-8")


def _compact() -> str:
    return json.dumps(json.loads(TINY), ensure_ascii=False, separators=(",", ":"))


def test_a_clean_file_skips_the_second_parse(monkeypatch):
    texts = (TINY, _compact())
    calls = []
    real = read_module.json.loads
    monkeypatch.setattr(read_module.json, "loads",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    for text in texts:
        parse_scenario(text)
    assert calls == []


@pytest.mark.parametrize("old, new", [
    ('"kind":"person",', '"kind":"person","kind":"company",'),  # inside a party
    ('"complex":false', '"complex":false,"complex":true'),  # inside a case's flags
    ('"workload":', '"amount":1,"workload":'),  # a case's own field twice
])
def test_repeated_keys_in_case_records_are_named(old, new):
    text = _compact()
    assert old in text
    with pytest.raises(ScenarioError, match="duplicate key"):
        parse_scenario(text.replace(old, new, 1))


def test_a_space_before_a_colon_cannot_hide_a_repeated_key():
    # one pair written with a space before its colon, one key repeated elsewhere: the count
    # of `":` matches the fields given, but not every colon follows a quote
    text = _compact().replace('"name":', '"name" :', 1)
    text = text.replace('"complex":false', '"complex":false,"complex":true', 1)
    with pytest.raises(ScenarioError, match="duplicate key 'complex'"):
        parse_scenario(text)


def test_colons_inside_strings_are_read_the_slow_way():
    data = json.loads(TINY)
    data["name"] = "场景: 测试"
    data["cases"][0]["applicant"]["name"] = 'A \\": B'
    s = parse_scenario(json.dumps(data, ensure_ascii=False))
    assert s.name == "场景: 测试" and s.cases[0].applicant.name == 'A \\": B'
    assert not read_module._surely_unique_keys(json.dumps(data).encode(), s)


def test_columns_follow_the_scenario_object():
    s = parse_scenario(TINY)
    first = Problem.from_scenario(s)
    fewer = s.model_copy(update={"cases": s.cases[1:]})
    assert case_columns(fewer).court == tuple(k.court for k in fewer.cases)
    p = Problem.from_scenario(fewer)
    assert p.n_cases == first.n_cases - 1
    assert np.array_equal(p.case_workload, first.case_workload[1:])
    assert case_columns(s).court == tuple(k.court for k in s.cases)
