"""Scenario workbooks in and out, and the plan workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from optimizer.cli import main
from optimizer.data.scenario import Scenario
from optimizer.data.validate import ScenarioError
from optimizer.io.place_names import resolve_place
from optimizer.io.xlsx_in import read_workbook
from optimizer.io.xlsx_out import CASE_HEADERS, COURT_HEADERS, STAFF_HEADERS, write_plan_workbook
from optimizer.io.xlsx_scenario import write_scenario_workbook, write_template
from optimizer.pipeline import plan_scenario
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams

COURT_ROWS = [
    ["法院编号", "法院名称", "层级", "上级法院", "所在地", "执行人员", "执行团队", "未结案件量", "人均办案量"],
    ["M", "丽水市中级人民法院", "中级", None, "丽水市", 10, 2, 10, 60],
    ["A", "丽水市莲都区人民法院", "基层", "丽水市中级人民法院", "莲都区", 20, 3, 100, 60],
    ["B", "青田县人民法院", "基层人民法院", "M", "331121", 20, 2, 100, 60],
]
CASE_HEADER = ["案号", "执行法院", "立案日期", "执行标的", "申请执行人", "申请执行人类型", "申请执行人住所地",
               "被执行人", "被执行人类型", "被执行人住所地", "消极执行", "不当干预"]


def _case_row(n: int, **change: Any) -> list[Any]:
    row = {"案号": f"（2025）浙1102执{n}号", "执行法院": "丽水市莲都区人民法院",
           "立案日期": dt.date(2025, 1, n), "执行标的": 10000 * n, "申请执行人": f"申请人{n}",
           "申请执行人类型": "企业", "申请执行人住所地": "丽水市莲都区", "被执行人": f"被执行人{n}",
           "被执行人类型": "自然人", "被执行人住所地": "青田县", "消极执行": "是", "不当干预": None}
    row.update(change)
    return [row[h] for h in CASE_HEADER]


def _workbook(path: Path, cases: list[list[Any]], case_header: list[str] = CASE_HEADER) -> Path:
    wb = openpyxl.Workbook()
    head = wb.active
    head.title = "场景"
    for r in (["项目", "值"], ["名称", "测试"], ["调度法院", "丽水市中级人民法院"],
              ["规划期开始", "2026-01-01"], ["规划期结束", dt.date(2026, 6, 30)]):
        head.append(r)
    courts = wb.create_sheet("法院")
    for r in COURT_ROWS:
        courts.append(r)
    sheet = wb.create_sheet("案件")
    sheet.append(["丽水市法院 执行案件导出"])  # a title line above the headers, as exports have
    sheet.append(case_header)
    for r in cases:
        sheet.append(r)
    assets = wb.create_sheet("财产")
    assets.append(["案号", "财产类型", "财产所在地", "财产价值"])
    assets.append(["（2025）浙1102执1号", "不动产", "缙云县", 500000])
    wb.save(path)
    return path


def test_case_system_workbook_reads_names_and_fills_real_coordinates(tmp_path: Path) -> None:
    s = read_workbook(_workbook(tmp_path / "ok.xlsx", [_case_row(1), _case_row(2)]))
    assert [c.id for c in s.courts] == ["M", "A", "B"]
    assert s.courts[1].parent == "M" and s.courts[2].level == "basic"
    k = s.cases[0]
    assert (k.court, k.applicant.place, k.debtor.place) == ("A", "331102", "331121")
    assert k.flags.passive_handling and not k.flags.interference
    assert k.assets[0].kind == "real_estate" and k.assets[0].place == "331122"
    places = {p.id: p for p in s.places}
    assert set(places) == {"331100", "331102", "331121", "331122"}
    assert places["331102"].name == "莲都区" and places["331102"].lon == pytest.approx(119.912626)


def test_a_broken_workbook_names_every_problem_at_once_and_writes_nothing(tmp_path: Path) -> None:
    rows = [_case_row(1, 立案日期="2025-13-01"), _case_row(2, 执行法院="火星人民法院"),
            _case_row(3, 申请执行人住所地="不存在县"), _case_row(1)]
    header = [h if h != "被执行人类型" else "备注" for h in CASE_HEADER]  # a required column gone
    path = _workbook(tmp_path / "bad.xlsx", rows, header)
    with pytest.raises(ScenarioError) as e:
        read_workbook(path)
    text = str(e.value)
    assert "案件!第3行 立案日期: '2025-13-01' 不是日期 (not a date" in text
    assert "案件!第4行 执行法院: '火星人民法院' 不是 法院 表中的法院 (unknown court)" in text
    assert "案件!第5行 申请执行人住所地: '不存在县' 不是已知的地名" in text
    assert "案件!第6行 案号: 案号 '（2025）浙1102执1号' 重复，与第3行相同" in text
    assert "案件 被执行人类型: 缺少必填列 被执行人类型" in text
    assert len(e.value.defects) == 5  # the missing column once, not once per row
    out = tmp_path / "scenario.json"
    assert main(["import", str(path), "--out", str(out)]) == 2
    assert not out.exists()


def test_scenario_defects_are_named_by_sheet_row_and_column(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "late.xlsx", [_case_row(1), _case_row(2, 立案日期="2026-03-01")])
    with pytest.raises(ScenarioError) as e:
        read_workbook(path)
    assert "案件!第4行 立案日期" in str(e.value) and "after the planning date" in str(e.value)


def test_place_names_resolve_only_when_unambiguous() -> None:
    assert resolve_place("莲都区").code == "331102"
    assert resolve_place("丽水市莲都区").code == "331102"
    assert resolve_place("浙江省丽水市莲都区").code == "331102"
    assert resolve_place("上海市").code == "310100"
    found = resolve_place("鼓楼区")
    assert found.code is None and "ambiguous" in (found.problem or "")
    assert resolve_place("南京市鼓楼区").code == "320106"


def test_lishui_round_trip_gives_the_same_scenario_and_plan(lishui: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    assert main(["export-scenario", "scenarios/lishui.json", "--xlsx", str(path)]) == 0
    back = read_workbook(path)
    # the case-system workbook does not carry the blocks of docs/outcomes.md (debtors, 终本库,
    # history) yet: everything else comes back as it was
    assert back == lishui.model_copy(update={"debtors": (), "terminated": (), "history": ()})
    params = SolveParams(time_limit=30.0, workers=1)
    a, b = plan_scenario(lishui, None, params), plan_scenario(back, None, params)
    assert a.cases == b.cases and a.objective == b.objective


def test_template_is_documented_and_has_drop_down_lists(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert {"说明", "场景", "法院", "案件", "财产", "地点", "权重", "规则"} <= set(wb.sheetnames)
    cases = wb["案件"]
    assert [c.value for c in cases[1]][:3] == ["案号", "执行法院", "立案日期"]
    lists = {dv.formula1 for dv in cases.data_validations.dataValidation}
    assert '"是,否"' in lists and '"自然人,企业,国有企业,党政机关"' in lists
    assert '"最高,高级,中级,基层"' in {dv.formula1 for dv in wb["法院"].data_validations.dataValidation}
    assert '"存款,不动产,车辆,股权"' in {dv.formula1 for dv in wb["财产"].data_validations.dataValidation}
    assert cases["A1"].comment is not None
    helps = [r[1] for r in wb["说明"].iter_rows(values_only=True)]
    assert "立案日期" in helps and "申请执行人住所地" in helps


def test_names_starting_with_equals_stay_text(lishui: Scenario, tmp_path: Path) -> None:
    first = lishui.cases[0].model_copy(update={"applicant": lishui.cases[0].applicant.model_copy(
        update={"name": "=HYPERLINK(\"x\")"})})
    s = lishui.model_copy(update={"cases": (first, *lishui.cases[1:])})
    write_scenario_workbook(s, tmp_path / "eq.xlsx")
    assert read_workbook(tmp_path / "eq.xlsx").cases[0].applicant.name == "=HYPERLINK(\"x\")"


@pytest.fixture(scope="module")
def lishui_plan(lishui: Scenario) -> Plan:
    return plan_scenario(lishui, None, SolveParams(time_limit=30.0, workers=1))


def test_plan_workbook_has_its_sheets_and_headers(lishui: Scenario, lishui_plan: Plan,
                                                   tmp_path: Path) -> None:
    plan_file, path = tmp_path / "plan.json", tmp_path / "plan.xlsx"
    plan_file.write_text(lishui_plan.to_json(), encoding="utf-8")
    assert main(["export", str(plan_file), "--xlsx", str(path), "--scenario",
                 "scenarios/lishui.json"]) == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总", "案件", "法院", "人员调配", "预测", "执转破"]
    projection = wb["预测"]
    assert projection["A2"].value == "全辖区（合计）" and projection["C2"].value == 0
    assert projection.max_row == 1 + 13 * (1 + len(lishui_plan.courts))  # district + each court
    assert wb["执转破"].max_row > 1
    cases = wb["案件"]
    headers = [c.value for c in cases[1]]
    assert set(CASE_HEADERS) <= set(headers) and "申请执行人" in headers
    assert cases.max_row == len(lishui_plan.cases) + 1
    assert cases.freeze_panes == "B2" and cases.auto_filter.ref
    decisions = {r[headers.index("决定")] for r in cases.iter_rows(min_row=2, values_only=True)}
    assert any(str(d).startswith("指令执行") for d in decisions)
    assert [c.value for c in wb["法院"][1]] == COURT_HEADERS
    assert [c.value for c in wb["人员调配"][1]] == STAFF_HEADERS
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert summary["差距 gap"] == pytest.approx(lishui_plan.gap)
    assert summary["督促期满未执结 supervision deadline missed"] == lishui_plan.kpis["rules"]["deadline_missed"]


def test_plan_workbook_without_scenario(lishui_plan: Plan, tmp_path: Path) -> None:
    write_plan_workbook(lishui_plan, tmp_path / "p.xlsx")
    headers = [c.value for c in openpyxl.load_workbook(tmp_path / "p.xlsx")["案件"][1]]
    assert headers == CASE_HEADERS
