"""A scenario read from a file holds its cases as columns: the columns say what the records
say, and the `Case` records made from them equal the ones validation makes."""

from __future__ import annotations

import gc
import json
import pickle
from dataclasses import fields
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from optimizer.data.case_columns import CaseColumns, CaseSequence, case_columns, columns_of_records
from optimizer.data.case_rows import CASE_RECORD
from optimizer.data.generate import generate, to_json
from optimizer.data.read import parse_scenario
from optimizer.data.scenario import Case, Scenario
from optimizer.data.validate import ScenarioError
from tests.conftest import DATA

TINY = json.loads((DATA / "tiny.json").read_text(encoding="utf-8"))
OPTIONAL_CASE_FIELDS = ("excluded_days", "workload", "property_found", "assets", "act_obligation",
                        "flags", "wish", "prior_action")


def _records(text: str) -> Scenario:
    """The scenario as validation makes it: a `Case` record per case."""
    return Scenario.model_validate_json(text, strict=True)


def _assert_same(text: str) -> Scenario:
    s, records = parse_scenario(text), _records(text)
    assert isinstance(s.cases, CaseSequence)
    cols, expected = case_columns(s), columns_of_records(records.cases)
    for f in fields(CaseColumns):
        assert getattr(cols, f.name) == getattr(expected, f.name), f.name
    made = list(s.cases)
    assert made == list(records.cases)
    for k, r in zip(made, records.cases, strict=True):  # what the file gave, not only the values
        assert k.model_fields_set == r.model_fields_set
        assert k.flags.model_fields_set == r.flags.model_fields_set
        assert k.wish.model_fields_set == r.wish.model_fields_set
        assert type(k.filed) is type(r.filed) and type(k.workload) is type(r.workload)
    assert s.model_dump_json() == records.model_dump_json()
    assert s.model_dump(exclude_unset=True) == records.model_dump(exclude_unset=True)
    assert s == records
    return s


@pytest.mark.parametrize("preset, seed, cases", [("lishui", 0, None), ("zhejiang", 2, 3000)])
def test_columns_and_records_of_generated_scenarios(preset, seed, cases):
    _assert_same(to_json(generate(preset, seed=seed, cases=cases)))


def _case_variants(draw: Any, case: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in case.items()
           if k not in OPTIONAL_CASE_FIELDS or draw(st.booleans())}
    for block, keys in (("flags", ("interference", "passive_handling", "complex")),
                        ("wish", ("objects_to_transfer", "requests_escalation"))):
        if block in out:
            out[block] = {k: draw(st.booleans()) for k in keys if draw(st.booleans())}
    if "assets" in out:
        out["assets"] = [{**a, "value": draw(st.floats(0, 1e13))} for a in out["assets"]
                         if draw(st.booleans())]
    if draw(st.booleans()):
        out["workload"] = draw(st.sampled_from([1, 2, 0.5]))  # a whole number for a float field
    return out


@st.composite
def scenarios(draw: Any) -> str:
    data = json.loads(json.dumps(TINY))
    data["cases"] = [_case_variants(draw, k) for k in data["cases"]]
    return json.dumps(data, ensure_ascii=False)


@given(scenarios())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fields_left_out_are_defaults_not_given(text):
    _assert_same(text)


def test_the_sequence_indexes_slices_and_travels():
    text = to_json(generate("lishui", seed=1, cases=200))
    s, records = _assert_same(text), _records(text)
    assert s.cases[-1] == records.cases[-1] and s.cases[7] == records.cases[7]
    assert s.cases[3:9:2] == records.cases[3:9:2]
    assert s.cases[3:9:2] == tuple(records.cases[3:9:2])  # (a slice is a tuple of records)
    with pytest.raises(IndexError):
        s.cases[len(records.cases)]
    again = pickle.loads(pickle.dumps(s))
    assert isinstance(again.cases, CaseSequence) and again == records
    assert s.model_copy(update={"name": "x"}).cases is s.cases
    fewer = s.model_copy(update={"cases": s.cases[1:]})
    assert case_columns(fewer).id == tuple(k.id for k in records.cases[1:])


def test_an_asset_numbered_case_after_case():
    text = to_json(generate("lishui", seed=2, cases=300))
    cols, records = case_columns(parse_scenario(text)), _records(text).cases
    flat = [(i, a.id, a.value) for i, k in enumerate(records) for a in k.assets]
    assert list(zip(cols.asset_case().tolist(), cols.asset_id, cols.asset_value,
                    strict=True)) == flat


def test_a_defect_in_a_case_record_is_named_as_before():
    data = json.loads(json.dumps(TINY))
    data["cases"][1]["workload"] = 0
    data["cases"][2]["flags"] = {"complex": "yes"}
    with pytest.raises(ScenarioError) as e:
        parse_scenario(json.dumps(data, ensure_ascii=False))
    where = {(d.path, d.record) for d in e.value.defects}
    assert where == {("cases[1].workload", data["cases"][1]["id"]),
                     ("cases[2].flags.complex", data["cases"][2]["id"])}


def test_all_records_at_once_are_made_without_the_cycle_collector():
    # 3,000 cases make 50,000 new objects: with the collector on, it would run dozens of times
    # (nationally a full collection walks millions of them, again and again)
    s = parse_scenario(to_json(generate("zhejiang", seed=1, cases=3000)))
    runs: list[int] = []
    gc.callbacks.append(collected := lambda phase, info: runs.append(info["generation"]))
    try:
        made = s.cases[:]
        text = s.model_dump_json()
    finally:
        gc.callbacks.remove(collected)
    assert len(made) == 3000 and text.count('"prior_action"') == 3000
    assert runs == [] and gc.isenabled()


def test_one_asset_id_in_two_cases_is_no_defect_but_twice_in_one_case_is():
    data = json.loads(json.dumps(TINY))
    asset = {"id": "A1", "kind": "deposit", "place": data["places"][0]["id"], "value": 1.0}
    data["cases"][0]["assets"] = [asset]
    data["cases"][1]["assets"] = [asset]
    assert len(parse_scenario(json.dumps(data, ensure_ascii=False)).cases) == len(data["cases"])
    data["cases"][1]["assets"] = [asset, {**asset, "value": 2.0}]
    with pytest.raises(ScenarioError, match="duplicate asset ids within the case"):
        parse_scenario(json.dumps(data, ensure_ascii=False))


@pytest.mark.parametrize("cases", [1, 255, 256, 512, 513])
def test_any_number_of_cases_fills_the_last_chunk(cases):
    # the collector turns records into columns 256 at a time: a last chunk full or empty
    s = _assert_same(to_json(generate("lishui", seed=3, cases=cases)))
    assert len(s.cases) == cases


def test_a_scenario_without_cases_reads():
    data = json.loads(json.dumps(TINY))
    data["cases"] = []
    text = json.dumps(data, ensure_ascii=False)
    with pytest.raises(ScenarioError) as e:  # (its district holds no case to plan)
        parse_scenario(text)
    assert [d.path for d in e.value.defects] == ["dispatcher"]
    columns = case_columns(_records(text))
    assert len(columns) == 0 and columns.asset_id == ()


_CASE = TINY["cases"][0]
_ASSET = {"id": "a", "kind": "deposit", "place": "331102", "value": 1.0}


@pytest.mark.parametrize("change", [
    {"id": "a\nb"}, {"id": ""}, {"id": "x" * 65}, {"debtor_id": "a\u2028"}, {"court": None},
    {"amount": 1e14}, {"amount": -1}, {"amount": "1"}, {"workload": 0}, {"workload": True},
    {"excluded_days": 1.5}, {"excluded_days": 36_501}, {"filed": "2025-1-1"}, {"filed": None},
    {"property_found": None}, {"prior_action": "x"}, {"act_obligation": 1}, {"extra": 1},
    {"applicant": {**_CASE["applicant"], "name": "n" * 201}},
    {"debtor": {**_CASE["debtor"], "kind": "robot"}}, {"debtor": {"name": "x", "kind": "person"}},
    {"flags": None}, {"flags": {"complex": "true"}}, {"flags": {"other": True}},
    {"wish": {"preferred_court": "\x1b"}}, {"wish": {"preferred_court": None}},
    {"assets": [{**_ASSET, "value": -1}]}, {"assets": [{**_ASSET, "kind": "gold"}]},
    {"assets": [{**_ASSET, "id": 1}]}, {"assets": [[1, 2]]}, {"assets": None},
])
def test_a_case_record_passes_as_columns_exactly_when_it_passes_as_a_record(change):
    # the columns' record types are made from the models: the same fields, the same rules
    text = json.dumps({**_CASE, **change}, ensure_ascii=False)
    as_record = as_columns = True
    try:
        Case.model_validate_json(text, strict=True)
    except ValidationError:
        as_record = False
    try:
        TypeAdapter(CASE_RECORD).validate_json(text, strict=True)
    except ValidationError:
        as_columns = False
    assert as_columns == as_record
