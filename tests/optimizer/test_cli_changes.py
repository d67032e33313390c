"""`courtplan solve` with changes: flags parsed into a ChangeSet, exit codes 2 and 3, --out -."""

from __future__ import annotations

import json

import pytest

from optimizer.cli import build_parser, main
from optimizer.cli.changes import changes_from_args
from tests.builders import case, scenario


@pytest.fixture()
def scenario_file(tmp_path):
    cases = ([case(f"K{i}", "A", passive=True, filed="2025-01-01", workload=5.0) for i in range(3)]
             + [case("X1", "B", interference=True)])
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario(cases, weights={"mode_designate": 10.0}),
                               ensure_ascii=False), encoding="utf-8")
    return path


def test_flags_become_one_change_set(tmp_path):
    doc = tmp_path / "c.json"
    doc.write_text(json.dumps({"keep": ["K9"], "weights": {"applicant_travel": 3}}))
    a = build_parser().parse_args([
        "solve", "s.json", "--changes", str(doc), "--officers", "C=+5", "--officers", "B==12",
        "--bar-receiving", "A", "--bar-executing", "B", "--pin", "K0=designate@C", "--keep", "K1",
        "--forbid", "K2@B", "--concentrate", "D1", "--never-concentrate", "D2", "--shock", "C=1.2",
        "--loan", "B:C=2", "--weight", "load_slopes=1,2,3", "--rule", "max_utilisation=null"])
    ch = changes_from_args(a)
    assert [(o.court, o.add, o.set) for o in ch.officers] == [("C", 5, None), ("B", None, 12)]
    assert ch.keep == ("K9", "K1") and ch.weights == {"applicant_travel": 3,
                                                      "load_slopes": [1.0, 2.0, 3.0]}
    assert ch.rules == {"max_utilisation": None}
    assert (ch.pins[0].case, ch.pins[0].mode, ch.pins[0].court) == ("K0", "designate", "C")
    assert (ch.forbid[0].case, ch.forbid[0].court) == ("K2", "B")
    assert (ch.loans[0].from_court, ch.loans[0].to_court, ch.loans[0].officers) == ("B", "C", 2)
    assert ch.shocks[0].factor == 1.2 and ch.concentrate == ("D1",)


def test_bad_pin_exits_2_naming_it(scenario_file, capsys):
    code = main(["solve", str(scenario_file), "--quiet", "--workers", "1",
                 "--pin", "K0=elevate@C"])
    assert code == 2
    assert "changes.pins[0]: case K0 may not be elevated to C" in capsys.readouterr().err
    assert main(["solve", str(scenario_file), "--quiet", "--loan", "B-C=2"]) == 2


def test_conflict_exits_3_without_traceback(scenario_file, capsys):
    code = main(["solve", str(scenario_file), "--quiet", "--workers", "1", "--time-limit", "5",
                 "--rule", "max_utilisation=0.1", "--shock", "C=1.19", "--pin", "K0=designate@C"])
    err = capsys.readouterr().err
    assert code == 3 and "changes.pins[0]" in err and "Traceback" not in err


def test_out_dash_and_previous(scenario_file, tmp_path, capsys):
    assert main(["solve", str(scenario_file), "--quiet", "--workers", "1", "--out", "-"]) == 0
    out = capsys.readouterr()
    plan = json.loads(out.out)
    assert "方案 Plan" in out.err and plan["status"] == "optimal"
    prev = tmp_path / "p.json"
    prev.write_text(out.out, encoding="utf-8")
    assert main(["solve", str(scenario_file), "--quiet", "--workers", "1", "--out", "-",
                 "--previous", str(prev)]) == 0
    again = json.loads(capsys.readouterr().out)
    assert [(c["mode"], c["court_id"]) for c in again["cases"]] == \
        [(c["mode"], c["court_id"]) for c in plan["cases"]]


def test_changes_schema(capsys):
    assert main(["changes-schema", "--out", "-"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False and "pins" in schema["properties"]
