"""Case numbers compared as keys: many at once give what each alone gives."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.data.identity import case_number_key, case_number_keys
from optimizer.data.read import parse_scenario
from optimizer.data.validate import ScenarioError
from tests.conftest import DATA

WRITTEN = ["（２０２５）浙１１０２执１号", "(2025)浙1102执1号", "〔2025〕浙1102执1号",
           "(2025)浙1102执1号\u200b", "（2025）浙 1102 执 1 号", "ﬁ(2025)", "e\u0301", "\u0301x", ""]


def test_the_ways_of_writing_one_number_share_a_key():
    keys = case_number_keys(WRITTEN)
    assert keys == [case_number_key(x) for x in WRITTEN]
    assert len(set(keys[:5])) == 1


@pytest.mark.parametrize("texts", [[], ["a"], WRITTEN[:2], WRITTEN[5:], ["a\x1fb", "c"],
                                   ["（１）\ud800", "x"], ["\U0001f600（１）", "ｘ"]])
def test_a_few_and_the_awkward_ones(texts):
    assert case_number_keys(texts) == [case_number_key(x) for x in texts]


@given(st.lists(st.text(alphabet=st.sampled_from(
    "0123456789（）()〔〕 浙执号\u200b\u3000\u0301\u00e9ｅﬁ\u00adA\x1f\ud800\U0001f600"),
    max_size=12), max_size=8))
@settings(max_examples=300, deadline=None)
def test_many_at_once_equal_each_alone(texts):
    assert case_number_keys(texts) == [case_number_key(x) for x in texts]


def test_a_case_entered_twice_in_other_widths_is_named():
    data = json.loads((DATA / "tiny.json").read_text(encoding="utf-8"))
    first = data["cases"][0]["id"]
    data["cases"][2]["id"] = first.replace("2025", "２０２５")
    with pytest.raises(ScenarioError, match="is the same case as") as e:
        parse_scenario(json.dumps(data, ensure_ascii=False))
    assert [(d.path, d.record) for d in e.value.defects] == [("cases[2]", data["cases"][2]["id"])]
