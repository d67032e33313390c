"""Hostile or absurd scenario input: every case is a named `ScenarioError` (exit code 2 on the
command line), never a traceback, a hang, an overflow later in the solve, or a silent accept."""

from __future__ import annotations

import copy
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest

from optimizer.cli import main
from optimizer.data import read as read_module
from optimizer.data.read import parse_scenario, read_scenario
from optimizer.data.scenario import Scenario
from optimizer.data.validate import ScenarioError
from tests.conftest import DATA

TINY: dict[str, Any] = json.loads((DATA / "tiny.json").read_text(encoding="utf-8"))
CASE0 = TINY["cases"][0]["id"]
# control characters other than the newlines that separate the listed defects
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def tiny(**paths: Any) -> dict[str, Any]:
    """tiny.json with values set by dotted path, e.g. tiny(**{"courts.1.officers": 5})."""
    d = copy.deepcopy(TINY)
    for path, value in paths.items():
        *head, last = path.split(".")
        node: Any = d
        for k in head:
            node = node[int(k)] if isinstance(node, list) else node[k]
        node[int(last) if isinstance(node, list) else last] = value
    return d


def refused(data: Any) -> list[str]:
    """The defects of `data`, checked both ways in: as a decoded dict and as JSON bytes."""
    with pytest.raises(ScenarioError) as e1:
        parse_scenario(copy.deepcopy(data))
    if isinstance(data, dict):
        with pytest.raises(ScenarioError) as e2:
            parse_scenario(json.dumps(data, ensure_ascii=False).encode())
        assert [str(d) for d in e1.value.defects] == [str(d) for d in e2.value.defects]
    return [str(d) for d in e1.value.defects]


def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | str,
        name: str = "s.json") -> str:
    """Run `courtplan validate` on a file with this content; exit code 2 and a clean message."""
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("courtplan: ") and "Traceback" not in err
    assert not _CONTROL.search(err), repr(err)
    return err


# --- 2. nesting depth ------------------------------------------------------------------------

def _deep(n: int) -> str:
    return "[" * n + "]" * n


@pytest.mark.parametrize("depth", [100, 150, 250, 1000, 100_000])
def test_deep_json_is_refused_not_a_recursion_error(depth):
    # at root, and inside a field (pydantic's own parser stops at 200 levels; json.loads at ~1000)
    for text in (_deep(depth), '{"format_version": 1, "name": ' + _deep(depth) + "}",
                 json.dumps(tiny(name="x"))[:-1] + ', "colour": ' + _deep(depth) + "}"):
        for data in (text, text.encode()):
            with pytest.raises(ScenarioError, match=r"nested deeper than \d+ levels"):
                parse_scenario(data)


@pytest.mark.parametrize("depth", [100, 1000, 100_000])
def test_deep_decoded_dict_is_refused(depth):
    x: list[Any] = []
    for _ in range(depth):
        x = [x]
    for where in ("name", "colour", "format_version"):
        with pytest.raises(ScenarioError, match=r"nested deeper than \d+ levels"):
            parse_scenario(tiny(**{where: x}))
    d: dict[str, Any] = {}
    for _ in range(depth):
        d = {"a": d}
    with pytest.raises(ScenarioError, match=r"nested deeper than \d+ levels"):
        parse_scenario(d)


def test_deep_file_on_the_command_line(tmp_path, capsys):
    assert "nested deeper than" in cli(tmp_path, capsys, _deep(100_000))


def test_brackets_inside_strings_do_not_count_as_nesting():
    name = ("[[[[" * 100 + "{{{{" * 100)[:190] + '\\"]]'
    s = parse_scenario(json.dumps(tiny(name=name), ensure_ascii=False))
    assert s.name.startswith("[[[[")


# --- 3. numbers that validate but break the solve --------------------------------------------

TOO_BIG = {
    "courts.1.officers": 10**20,
    "courts.1.teams": 10**20,
    "courts.1.open_caseload": 1e300,
    "courts.1.cases_per_officer": 1e300,
    "cases.0.excluded_days": 10**20,
    "cases.0.amount": 1e300,
    "cases.0.workload": 1e300,
    "cases.0.assets.0.value": 1e300,
    "weights.applicant_travel": 1e300,
    "weights.officer_lending_fixed": 1e10,
    "weights.load_slopes": [30.0, 1e300],
    "rules.target_utilisation": 1e300,
    "rules.load_band_width": 1e300,
    "rules.max_utilisation": 1e300,
    "rules.understaffed_utilisation": 1e300,
    "rules.overdue_months": 10**20,
    "rules.min_internal_teams": 10**20,
    "rules.concentrate_min_cases": 10**20,
    "rules.concentrate_min_courts": 10**20,
    "rules.max_candidates": 10**20,
    "rules.speed_kmh": 1000.0,
    "rules.detour_factor": 100.0,
}
TOO_SMALL = {
    "courts.1.cases_per_officer": 1e-300,
    "cases.0.workload": 1e-300,
    "rules.speed_kmh": 1e-300,
    "rules.detour_factor": 0.5,
    "rules.load_band_width": 1e-300,
    "rules.target_utilisation": 1e-300,
    "weights.load_slopes": [],
}


@pytest.mark.parametrize(("path", "value"), [*TOO_BIG.items(), *TOO_SMALL.items()],
                         ids=[*TOO_BIG, *(f"{k}-small" for k in TOO_SMALL)])
def test_out_of_range_number_is_refused_by_name(path, value):
    defects = refused(tiny(**{path: value}))
    want = re.sub(r"\.(\d+)", r"[\1]", path)  # courts.1.officers -> courts[1].officers
    record = {"courts": "A", "cases": CASE0}.get(path.split(".")[0], "")
    assert any(d.startswith(want) and record in d for d in defects), defects


def test_too_many_load_bands_and_non_finite_slopes():
    assert any("load_slopes" in d for d in refused(tiny(**{"weights.load_slopes": [1.0] * 11})))
    text = json.dumps(tiny(name="x")).replace('"weights": {}', '"weights": {"load_slopes": [1, NaN]}')
    with pytest.raises(ScenarioError, match="load_slopes"):
        parse_scenario(text)


def test_officers_beyond_int64_on_the_command_line(tmp_path, capsys):
    err = cli(tmp_path, capsys, json.dumps(tiny(**{"courts.1.officers": 10**20})))
    assert "courts[1].officers A" in err


def test_every_number_has_an_upper_bound_named_in_its_description():
    """docs/scenario-format.md shows the descriptions, so each bound is documented there."""
    schema = Scenario.model_json_schema()
    for name, model in schema["$defs"].items():
        for field, spec in model.get("properties", {}).items():
            options = spec.get("anyOf", [spec])
            for o in options:
                if o.get("type") in ("integer", "number"):
                    top = o.get("maximum", o.get("exclusiveMaximum"))
                    assert top is not None, f"{name}.{field} has no upper bound"
                    shown = f"{int(top):,}" if float(top).is_integer() else f"{top:g}"
                    if field not in ("lon", "lat"):
                        assert shown in spec.get("description", ""), (name, field, shown)
                if o.get("type") == "array" and o.get("items", {}).get("type") == "number":
                    assert "maximum" in o["items"] and "maxItems" in o, (name, field)


def test_extreme_but_allowed_numbers_keep_the_objective_finite():
    from optimizer.data.problem import Problem
    from optimizer.pipeline import solve
    from optimizer.solver.params import SolveParams

    d = tiny()
    d["weights"] = {k: 1e9 for k in Scenario.model_fields["weights"].default.model_dump()}
    d["weights"]["load_slopes"] = [1e9] * 10
    d["rules"] = {"speed_kmh": 1.0, "detour_factor": 5.0, "load_band_width": 10.0,
                  "target_utilisation": 10.0, "max_utilisation": 100.0}
    for k in d["cases"]:
        k.update(amount=1e13, workload=10_000.0)
        for a in k["assets"]:
            a["value"] = 1e13
    for c in d["courts"]:
        c.update(officers=100_000, open_caseload=10_000_000.0, cases_per_officer=100_000.0)
    plan = solve(Problem.from_scenario(parse_scenario(d)), SolveParams(time_limit=20))
    assert math.isfinite(plan.objective)


# --- 4. ids and names ------------------------------------------------------------------------

BAD_TEXT = ["a\nb", "a\x00b", "\x1b[2Jx", "a\tb", "a\x7fb", "a\x85b", "a\u2028b", "a\rb"]
TEXT_FIELDS = {
    "cases.0.id": None, "cases.0.court": None, "courts.1.id": None, "courts.1.place": "A",
    "places.1.id": None, "cases.0.debtor_id": CASE0, "cases.0.assets.0.id": CASE0,
    "cases.0.applicant.place": CASE0, "cases.0.wish.preferred_court": CASE0, "dispatcher": "",
    "courts.1.name": "A", "places.1.name": "331102", "cases.0.debtor.name": CASE0,
    "cases.0.applicant.name": CASE0, "name": "",
}


@pytest.mark.parametrize("path", sorted(TEXT_FIELDS))
@pytest.mark.parametrize("bad", BAD_TEXT, ids=[repr(b) for b in BAD_TEXT])
def test_control_characters_are_refused_by_field(path, bad):
    defects = refused(tiny(**{path: bad}))
    want = re.sub(r"\.(\d+)", r"[\1]", path)
    hits = [d for d in defects if d.startswith(want)]
    assert hits and all("control character" in d for d in hits), defects
    record = TEXT_FIELDS[path]
    if record:
        assert any(record in d for d in hits), defects
    assert not any(_CONTROL.search(d) for d in defects), defects  # never echoed raw


def test_ids_keep_their_length_limit_and_names_get_one():
    assert any(d.startswith("cases[0].id") for d in refused(tiny(**{"cases.0.id": "x" * 65})))
    parse_scenario(tiny(**{"courts.1.name": "法" * 200}))
    for path in ("courts.1.name", "places.1.name", "cases.0.debtor.name", "name"):
        defects = refused(tiny(**{path: "法" * 201}))
        assert any("at most 200 characters" in d for d in defects), defects


def test_a_50_mb_party_name_is_refused_without_echoing_it(tmp_path, capsys):
    err = cli(tmp_path, capsys, json.dumps(tiny(**{"cases.0.debtor.name": "x" * 50_000_000})))
    assert "cases[0].debtor.name" in err and len(err) < 2000


def test_hostile_record_id_and_unknown_key_are_not_echoed_raw(tmp_path, capsys):
    d = tiny(**{"cases.0.id": "\x1b]0;pwned\x07" + "y" * 10_000, "cases.0.amount": -1})
    d["cases"][0]["\x1b[31mevil" + "z" * 10_000] = 1
    err = cli(tmp_path, capsys, json.dumps(d))
    assert "cases[0]" in err and len(err) < 5000


# --- 6. anything else that used to crash, hang or pass silently ------------------------------

@pytest.mark.parametrize("text", ["[1, 2]", '"a scenario"', "42", "null", "true"])
def test_non_object_root(tmp_path, capsys, text):
    assert "JSON object" in cli(tmp_path, capsys, text)


def test_huge_integer(tmp_path, capsys):
    err = cli(tmp_path, capsys, '{"format_version": 1, "name": ' + "9" * 5000 + "}")
    assert "digits" in err and "(scenario)" not in err
    err = cli(tmp_path, capsys, json.dumps(tiny(**{"courts.1.officers": 10**30})))
    assert "courts[1].officers A" in err


@pytest.mark.parametrize("where", ["format_version", "cases.0.amount", "courts.1.officers",
                                   "rules.speed_kmh"])
def test_1e999_is_refused(tmp_path, capsys, where):
    text = json.dumps(tiny(**{where: 123456789.5})).replace("123456789.5", "1e999")
    want = re.sub(r"\.(\d+)", r"[\1]", where)
    assert want in cli(tmp_path, capsys, text)


def test_duplicate_keys_are_refused(tmp_path, capsys):
    text = json.dumps(tiny(), ensure_ascii=False)
    text = text.replace('"officers": 20,', '"officers": 20, "officers": 99999,', 1)
    err = cli(tmp_path, capsys, text)
    assert "officers" in err and "duplicate" in err
    with pytest.raises(ScenarioError, match="duplicate key 'name'"):
        parse_scenario(json.dumps(tiny())[:-1] + ', "name": "again"}')
    with pytest.raises(ScenarioError, match=r"\(input\) A: .*duplicate key 'officers'"):
        parse_scenario(text)


def test_bom_is_fine_but_utf16_is_named(tmp_path, capsys):
    raw = (DATA / "tiny.json").read_text(encoding="utf-8")
    p = tmp_path / "bom.json"
    p.write_bytes(b"\xef\xbb\xbf" + raw.encode())
    assert main(["validate", str(p)]) == 0
    capsys.readouterr()
    for enc in ("utf-16", "utf-16-le", "utf-16-be", "utf-32"):
        assert "UTF-16" in cli(tmp_path, capsys, raw.encode(enc)) or enc == "utf-32"


def test_lone_surrogate_in_text():
    with pytest.raises(ScenarioError, match=r"UTF-8|surrogate"):
        parse_scenario('{"format_version": 1, "name": "\ud800"}')
    # as a JSON escape: refused, and the message is still valid UTF-8 (the API sends it as JSON)
    for where in ("name", "cases.0.id", "cases.0.debtor.name"):
        text = json.dumps(tiny(**{where: "\ud800x"}))
        with pytest.raises(ScenarioError) as e:
            parse_scenario(text)
        str(e.value).encode("utf-8")


def test_directory(tmp_path, capsys):
    (tmp_path / "d.json").mkdir()
    assert main(["validate", str(tmp_path / "d.json")]) == 2
    err = capsys.readouterr().err
    assert "directory" in err and "Traceback" not in err


def test_device_is_refused_not_read_forever(capsys):
    assert main(["validate", os.devnull]) == 2
    assert "not a regular file" in capsys.readouterr().err
    with pytest.raises(ScenarioError, match="not a regular file"):
        read_scenario("/dev/zero", max_bytes=1000)


def test_unreadable_file(tmp_path, capsys, monkeypatch):
    p = tmp_path / "secret.json"
    p.write_text("{}", encoding="utf-8")
    p.chmod(0)

    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(p))

    if os.geteuid() == 0:  # root reads anything
        monkeypatch.setattr(read_module, "open", denied, raising=False)
    assert main(["validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "Permission denied" in err and "Traceback" not in err


def test_sparse_2_gb_file_is_refused_without_reading_it(tmp_path, capsys):
    p = tmp_path / "big.json"
    with p.open("wb") as f:
        f.truncate(2 << 30)
    assert main(["validate", str(p)]) == 2
    assert "above the limit" in capsys.readouterr().err


def test_growing_file_is_cut_at_the_limit(tmp_path, monkeypatch):
    p = tmp_path / "s.json"
    p.write_text(json.dumps(tiny()), encoding="utf-8")
    size = p.stat().st_size
    real_stat = os.stat
    # the size seen by stat is stale: the file grew after it was checked
    monkeypatch.setattr(read_module.os, "stat",
                        lambda x, *a, **k: os.stat_result((*real_stat(x)[:6], 10, *real_stat(x)[7:])))
    with pytest.raises(ScenarioError, match="above the limit"):
        read_scenario(p, max_bytes=size - 1)


def test_a_long_parent_chain_is_checked_in_linear_time():
    """20,000 courts each the parent of the next: a walk up from every court took minutes."""
    import time

    d = tiny()
    n = 20_000
    d["courts"] += [{**d["courts"][1], "id": f"X{i}", "parent": f"X{i + 1}" if i + 1 < n else "X0"}
                    for i in range(n)]
    t0 = time.perf_counter()
    with pytest.raises(ScenarioError) as e:
        parse_scenario(d)
    assert time.perf_counter() - t0 < 10
    assert sum("cycle" in str(x) for x in e.value.defects) == n


def test_cycles_and_chains_into_them_are_named():
    d = tiny(**{"courts.0.parent": "A"})  # M → A → M, and B, C hang below the cycle
    defects = refused(d)
    assert sum("cycle" in x for x in defects) == 4, defects
    assert not any("cycle" in x for x in refused(tiny(**{"courts.1.parent": "Z"})))
