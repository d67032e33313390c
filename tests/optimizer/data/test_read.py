"""Reading and validating scenario files: round trip, and every broken file refused by name."""

from __future__ import annotations

import json

import pytest

from optimizer.cli import main
from optimizer.data.read import parse_scenario, read_scenario
from optimizer.data.scenario import Scenario
from optimizer.data.validate import ScenarioError
from optimizer.pipeline import Changes
from tests.conftest import DATA

# broken file -> (JSON path in the message, the record it must name; the file for file-level defects)
BAD = {
    "bad_unknown_court": ("cases[1].court", "（2025）浙1121执2号"),
    "bad_duplicate_case_id": ("cases[2]", "（2025）浙1102执1号"),
    "bad_case_number_width_variant": ("cases[2]", "（２０２５）浙１１０２执１号\u200b"),
    "bad_duplicate_court_id": ("courts[3]", "B"),
    "bad_negative_officers": ("courts[1].officers", "A"),
    "bad_coordinates_outside_china": ("places[2].lon", "331121"),
    "bad_parent_cycle": ("courts[1].parent", "A"),
    "bad_level_mismatch": ("courts[2].parent", "B"),
    "bad_dispatcher_without_cases": ("dispatcher", "M2"),
    "bad_unknown_dispatcher": ("dispatcher", "NOPE"),
    "bad_future_filing_date": ("cases[0].filed", "（2025）浙1102执1号"),
    "bad_unparseable_date": ("cases[1].filed", "（2025）浙1121执2号"),
    "bad_unknown_place": ("cases[0].debtor.place", "（2025）浙1102执1号"),
    "bad_unknown_asset_place": ("cases[0].assets[0].place", "（2025）浙1102执1号"),
    "bad_excluded_days_exceed_age": ("cases[0].excluded_days", "（2025）浙1102执1号"),
    "bad_caseload_below_listed": ("courts[1].open_caseload", "A"),
    "bad_unknown_field": ("cases[0].colour", "（2025）浙1102执1号"),
    "bad_nan_amount": ("cases[2].amount", "（2025）浙1122执3号"),
    "bad_format_version": ("format_version", "99"),
    "bad_truncated": ("bad_truncated.json", "truncated"),
    "bad_not_utf8": ("bad_not_utf8.json", "not UTF-8"),
    "bad_not_an_object": ("(root)", "JSON object"),
}


def test_every_broken_file_has_a_case_here():
    on_disk = {p.stem for p in DATA.glob("bad_*.json")}
    assert on_disk == set(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_broken_file_is_refused_naming_the_record(name, capsys):
    path, record = BAD[name]
    with pytest.raises(ScenarioError) as e:
        read_scenario(DATA / f"{name}.json")
    text = str(e.value)
    assert any(path in str(p) and record in str(p) for p in e.value.defects), text
    # the command line: exit code 2, readable message, no traceback
    assert main(["validate", str(DATA / f"{name}.json")]) == 2
    err = capsys.readouterr().err
    assert record in err and "Traceback" not in err


def test_all_defects_are_reported_at_once():
    data = json.loads((DATA / "tiny.json").read_text(encoding="utf-8"))
    data["cases"][0]["court"] = "X1"
    data["cases"][1]["court"] = "X2"
    data["courts"][1]["officers"] = -1
    with pytest.raises(ScenarioError) as e:
        parse_scenario(data)
    assert len(e.value.defects) >= 1  # field errors come first, in one pass
    data["courts"][1]["officers"] = 1
    with pytest.raises(ScenarioError) as e:
        parse_scenario(data)
    assert {p.record for p in e.value.defects} >= {"（2025）浙1102执1号", "（2025）浙1121执2号"}


def test_size_limit(tmp_path):
    with pytest.raises(ScenarioError, match="above the limit"):
        read_scenario(DATA / "tiny.json", max_bytes=100)


def test_missing_file_is_a_clean_error(capsys):
    assert main(["validate", "no/such/file.json"]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_round_trip_keeps_everything(tmp_path):
    s = read_scenario(DATA / "tiny.json")
    again = parse_scenario(s.model_dump_json())
    assert again == s
    out = tmp_path / "copy.json"
    out.write_text(s.model_dump_json(indent=1), encoding="utf-8")
    assert read_scenario(out) == s
    assert "浙1102" in out.read_text(encoding="utf-8")  # Chinese kept as UTF-8, not escaped


def test_utf8_bom_is_accepted(tmp_path):
    p = tmp_path / "bom.json"
    p.write_bytes(b"\xef\xbb\xbf" + (DATA / "tiny.json").read_bytes())
    assert read_scenario(p).name == "测试场景"


def test_changes_override_weights_and_refuse_unknown():
    from optimizer.data.problem import Problem

    p = Problem.from_scenario(read_scenario(DATA / "tiny.json"))
    assert Changes(weights={"applicant_travel": 2.0}).apply(p).weights.applicant_travel == 2.0
    with pytest.raises(ValueError, match=r"changes\.weights: unknown weight\(s\) nonsense"):
        Changes(weights={"nonsense": 1.0}).check(p)
    with pytest.raises(ValueError, match=r"changes\.weights"):
        Changes(weights={"applicant_travel": -1.0}).check(p)


def test_problem_replace_keeps_travel_times_and_changes_costs():
    from optimizer.data.problem import Problem
    from optimizer.pipeline import apply_changes

    p = Problem.from_scenario(read_scenario(DATA / "tiny.json"))
    q = apply_changes(p, Changes(weights={"applicant_travel": 2.0}))
    assert q.travel is p.travel  # shared, not recomputed
    assert q.weights.applicant_travel == 2.0 and p.weights.applicant_travel != 2.0
    r = apply_changes(p, Changes(rules={"speed_kmh": 30.0}))
    assert r.travel is not p.travel and float(r.travel.max()) > float(p.travel.max())


def test_schema_is_generated_from_the_models(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(Scenario.model_fields) <= set(schema["properties"])
    assert "Case" in schema["$defs"] and "案号" in json.dumps(schema, ensure_ascii=False)


@pytest.mark.parametrize(("where", "value", "words"), [
    (("courts", 0, "officers"), "30", 'a whole number is required, not the text "30"'),
    (("cases", 0, "act_obligation"), "yes", 'true or false is required, not the text "yes"'),
    (("cases", 0, "amount"), "1e6", 'a number is required, not the text "1e6"'),
])
def test_a_number_or_truth_written_as_text_is_refused_not_converted(where, value, words):
    """JSON has numbers and text; "30" for officers may be a typo for 3 or 300, so the planner says
    which (the HTTP bodies are strict the same way)."""
    raw = json.loads((DATA / "tiny.json").read_text(encoding="utf-8"))
    node = raw
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = value
    with pytest.raises(ScenarioError) as e:
        parse_scenario(json.dumps(raw, ensure_ascii=False).encode())
    text = str(e.value)
    assert words in text and ".".join(map(str, where)).replace(".0.", "[0].") in text, text
