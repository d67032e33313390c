"""Importing workbooks typed and exported the way case systems and people make them: debtors linked
by identifier only, case numbers in every width, every defect in one round, sheets found by their
headers, dates as exported, short court names."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from optimizer.data.validate import ScenarioError
from optimizer.io.xlsx_in import import_workbook, read_workbook
from optimizer.io.xlsx_scenario import write_scenario_workbook, write_template

COURTS = [
    ["法院编号", "法院名称", "层级", "上级法院", "所在地", "执行人员", "执行团队", "未结案件量", "人均办案量"],
    ["M", "丽水市中级人民法院", "中级", None, "丽水市", 10, 2, 10, 60],
    ["A", "丽水市莲都区人民法院", "基层", "M", "莲都区", 20, 3, 100, 60],
    ["B", "青田县人民法院", "基层", "M", "青田县", 20, 2, 100, 60],
    ["C", "缙云县人民法院", "基层", "M", "缙云县", 20, 2, 100, 60],
]
CASE_HEADER = ["案号", "执行法院", "立案日期", "发现财产日期", "扣除天数", "执行标的", "申请执行人",
               "申请执行人类型", "申请执行人住所地", "被执行人", "被执行人类型", "被执行人住所地", "被执行人编号",
               "消极执行"]
ASSET_HEADER = ["案号", "财产类型", "财产所在地", "财产价值"]


def case(n: int, **change: Any) -> list[Any]:
    row = {"案号": f"（2025）浙1102执{n}号", "执行法院": "丽水市莲都区人民法院", "立案日期": dt.date(2025, 1, n),
           "发现财产日期": None, "扣除天数": None, "执行标的": 10000 * n, "申请执行人": f"申请人{n}",
           "申请执行人类型": "企业", "申请执行人住所地": "丽水市莲都区", "被执行人": f"被执行人{n}",
           "被执行人类型": "自然人", "被执行人住所地": "青田县", "被执行人编号": None, "消极执行": "是"}
    row.update(change)
    return [row[h] for h in CASE_HEADER]


def workbook(path: Path, cases: list[list[Any]], assets: list[list[Any]] = (), *,  # type: ignore[assignment]
             courts: list[list[Any]] = COURTS, head: list[list[Any]] | None = None,
             case_sheet: str = "案件") -> Path:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "场景"
    for r in head or [["项目", "值"], ["名称", "测试"], ["调度法院", "丽水市中级人民法院"],
                      ["规划期开始", "2026-01-01"], ["规划期结束", dt.date(2026, 6, 30)]]:
        sheet.append(r)
    for name, rows in (("法院", courts), (case_sheet, [CASE_HEADER, *cases]), ("财产", [ASSET_HEADER, *assets])):
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


def test_a_name_alone_never_links_two_debtors(tmp_path: Path) -> None:
    rows = [case(1, 被执行人="张伟", 被执行人住所地="莲都区"), case(2, 被执行人="张伟", 被执行人住所地="青田县"),
            case(3, 被执行人="李娜", 被执行人编号="33110219800101123x"),
            case(4, 被执行人="李娜", 被执行人编号="３３１１０２１９８００１０１１２３Ｘ")]
    imported = import_workbook(workbook(tmp_path / "names.xlsx", rows))
    ids = {k.id: k.debtor_id for k in imported.scenario.cases}
    assert ids["（2025）浙1102执1号"] != ids["（2025）浙1102执2号"]  # two people called 张伟
    assert ids["（2025）浙1102执3号"] == ids["（2025）浙1102执4号"] == "33110219800101123X"  # one identifier
    [warning] = imported.warnings
    text = str(warning)
    assert "同名被执行人 '张伟' 未关联" in text and "same debtor name, not linked" in text
    assert "第2行 （2025）浙1102执1号（住所地 莲都区，无编号）" in text
    assert "第3行 （2025）浙1102执2号（住所地 青田县，无编号）" in text


def test_unlinked_debtors_survive_the_round_trip(tmp_path: Path) -> None:
    rows = [case(1, 被执行人="张伟"), case(2, 被执行人="张伟", 被执行人编号="D7")]
    s = read_workbook(workbook(tmp_path / "a.xlsx", rows))
    write_scenario_workbook(s, tmp_path / "b.xlsx")
    back = openpyxl.load_workbook(tmp_path / "b.xlsx")["案件"]
    headers = [c.value for c in back[1]]
    assert [r[headers.index("被执行人编号")] for r in back.iter_rows(min_row=2, values_only=True)] == [None, "D7"]
    assert read_workbook(tmp_path / "b.xlsx") == s


def test_case_numbers_are_one_whatever_their_width_brackets_or_invisible_characters(tmp_path: Path) -> None:
    rows = [case(1), case(2, 案号="(2025)浙1102执2号\u200b"), case(5, 案号="（２０２５）浙１１０２执１号")]
    with pytest.raises(ScenarioError) as e:
        read_workbook(workbook(tmp_path / "dup.xlsx", rows))
    [defect] = e.value.defects
    assert str(defect).startswith("案件!第4行 案号: 案号 '（２０２５）浙１１０２执１号' 重复，"
                                  "与第2行 '（2025）浙1102执1号' 为同一案号")
    assets = [["〔2025〕浙1102执1号", "存款", "莲都区", 100], ["（2025）浙1102执2号", "车辆", "青田县", 200],
              ["（２０２５）浙１１０２执２号\ufeff", "股权", "缙云县", 300]]
    s = read_workbook(workbook(tmp_path / "ok.xlsx", rows[:2], assets))
    first, second = s.cases
    assert second.id == "(2025)浙1102执2号"  # as written, the invisible character dropped
    assert [a.value for a in first.assets] == [100] and [a.value for a in second.assets] == [200, 300]


FOURTEEN = {  # cell → what the message says (Chinese, English)
    "法院!第4行 执行人员": ("-3 应不小于 0", "greater than or equal to 0"),
    "法院!第4行 执行团队": ("0 应不小于 1", "greater than or equal to 1"),
    "法院!第5行 上级法院": ("上级法院层级不符", "parent must be an intermediate court"),
    "案件!第2行 立案日期": ("不是日期", "not a date"),
    "案件!第3行 执行法院": ("不是 法院 表中的法院", "unknown court"),
    "案件!第4行 申请执行人住所地": ("不是已知的地名", "unknown place name"),
    "案件!第5行 消极执行": ("应为 是 或 否", "expected yes or no"),
    "案件!第6行 执行标的": ("-100 应不小于 0", "greater than or equal to 0"),
    "案件!第7行 扣除天数": ("-5 应不小于 0", "greater than or equal to 0"),
    "案件!第8行 立案日期": ("立案日期 2026-03-01 晚于规划期开始 2026-01-01", "after the planning date"),
    "案件!第9行 发现财产日期": ("不在立案日期", "outside the filing date"),
    "财产!第2行 财产价值": ("不是数字", "not a number"),
    "财产!第3行 案号": ("不是 案件 表中的案号", "unknown case"),
    "场景!第5行": ("规划期结束 2025-12-01 早于开始 2026-01-01", "is before start"),
}


def test_fourteen_defects_of_every_kind_are_named_in_one_round_in_both_languages(tmp_path: Path) -> None:
    courts = [*COURTS[:2], ["A", "丽水市莲都区人民法院", "基层", "M", "莲都区", 20, 3, 100, 60],
              ["B", "青田县人民法院", "基层", "M", "青田县", -3, 0, 100, 60],
              ["C", "缙云县人民法院", "基层", "A", "缙云县", 20, 2, 100, 60]]
    rows = [case(1, 立案日期="2025-13-01"), case(2, 执行法院="火星人民法院"), case(3, 申请执行人住所地="不存在县"),
            case(4, 消极执行="也许"), case(5, 执行标的=-100), case(6, 扣除天数=-5),
            case(7, 立案日期=dt.date(2026, 3, 1)), case(8, 发现财产日期=dt.date(2024, 1, 1)),
            case(9, 执行法院="青田县人民法院")]  # at the court whose row is bad: no follow-on
    assets = [["（2025）浙1102执1号", "存款", "莲都区", "abc"], ["（2025）浙1102执99号", "存款", "莲都区", 1]]
    head = [["项目", "值"], ["名称", "测试"], ["调度法院", "丽水市中级人民法院"], ["规划期开始", "2026-01-01"],
            ["规划期结束", dt.date(2025, 12, 1)]]
    with pytest.raises(ScenarioError) as e:
        read_workbook(workbook(tmp_path / "bad.xlsx", rows, assets, courts=courts, head=head))
    found = {d.path: d.message for d in e.value.defects}
    assert len(e.value.defects) == len(found) == 14, "\n".join(map(str, e.value.defects))
    assert set(found) == set(FOURTEEN)
    for path, (chinese, english) in FOURTEEN.items():
        assert chinese in found[path] and english in found[path], (path, found[path])
    for message in found.values():  # Chinese first, English after it
        assert re.search(r"[\u4e00-\u9fff][^(]*\([A-Za-z]", message), message


def test_sheets_are_found_by_their_headers_or_listed(tmp_path: Path) -> None:
    imported = import_workbook(workbook(tmp_path / "renamed.xlsx", [case(1)], case_sheet="案件信息"))
    assert [k.id for k in imported.scenario.cases] == ["（2025）浙1102执1号"]
    assert "案件信息: 按列名识别为 案件 表" in str(imported.warnings[0])
    wb = openpyxl.load_workbook(tmp_path / "renamed.xlsx")
    wb["案件信息"].delete_rows(1, 2)  # no case header anywhere now
    wb["案件信息"].append(["备注", "无关内容"])
    wb.save(tmp_path / "none.xlsx")
    with pytest.raises(ScenarioError) as e:
        read_workbook(tmp_path / "none.xlsx")
    [defect] = e.value.defects  # not one per asset row that names a case
    assert defect.path == "案件" and "缺少工作表 案件" in defect.message
    assert "'案件信息'（备注、无关内容）" in defect.message and "'财产'（案号、财产类型" in defect.message
    del wb["法院"]  # no court sheet: named once, not once per court a case or the 场景 sheet names
    wb["案件信息"].title = "案件"
    for row in (CASE_HEADER, case(1), case(2)):
        wb["案件"].append(row)
    wb.save(tmp_path / "no-courts.xlsx")
    with pytest.raises(ScenarioError) as e:
        read_workbook(tmp_path / "no-courts.xlsx")
    assert [d.path for d in e.value.defects] == ["法院"], e.value.defects
    del wb["场景"]
    wb.save(tmp_path / "no-head.xlsx")
    with pytest.raises(ScenarioError) as e:
        read_workbook(tmp_path / "no-head.xlsx")
    assert [d.path for d in e.value.defects] == ["场景", "法院"], e.value.defects


def test_dates_as_the_case_system_exports_them(tmp_path: Path) -> None:
    rows = [case(1, 立案日期="2025-03-01 00:00:00"), case(2, 立案日期=45717), case(3, 立案日期="2025/3/1 9:30")]
    s = read_workbook(workbook(tmp_path / "dates.xlsx", rows))
    assert {k.filed for k in s.cases} == {dt.date(2025, 3, 1)}
    with pytest.raises(ScenarioError, match="'2025' 不是日期"):  # a year is not a day number
        read_workbook(workbook(tmp_path / "year.xlsx", [case(1, 立案日期=2025)]))


@pytest.mark.parametrize(("written", "meant"), [
    ("莲都法院", "丽水市莲都区人民法院"), ("莲都区人民法院", "丽水市莲都区人民法院"),
    ("丽水中院", "丽水市中级人民法院"), ("青田法院", "青田县人民法院")])
def test_short_court_names_get_a_suggestion(tmp_path: Path, written: str, meant: str) -> None:
    with pytest.raises(ScenarioError) as e:
        read_workbook(workbook(tmp_path / "short.xlsx", [case(1, 执行法院=written)]))
    [defect] = e.value.defects
    suggestion = f"'{written}' 不是 法院 表中的法院 (unknown court)；是否为 {meant}？(did you mean {meant}?)"
    assert suggestion in str(defect)


def test_template_drop_downs_reach_the_last_row(tmp_path: Path) -> None:
    write_template(tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "t.xlsx")
    for name in ("法院", "案件", "财产"):
        ranges = [str(dv.sqref) for dv in wb[name].data_validations.dataValidation]
        assert ranges and all(r.endswith("1048576") for r in ranges), (name, ranges)
