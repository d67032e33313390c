"""Scenario workbooks out: a scenario in the case system's format (read back by `xlsx_in` to an
equal scenario), and the empty template with drop-down lists and a 说明 sheet.

Places are written by name (丽水市莲都区) where the name reads back to the same place, else by
code; every place is listed in the 地点 sheet with its coordinates, so places outside the region
table survive the round trip. Courts are written by name where names are unique.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from optimizer.data.identity import is_unlinked
from optimizer.data.scenario import Rules, Scenario, Weights
from optimizer.io.place_names import full_name, region_by_code, resolve_place
from optimizer.io.xlsx_columns import (
    ASSETS,
    CASES,
    COURTS,
    DATA_SHEETS,
    ENUMS,
    HELP_SHEET,
    KEY_VALUE_HEADERS,
    NO,
    NULL_WORD,
    PLACES,
    RULES_SHEET,
    SCENARIO_KEYS,
    SCENARIO_SHEET,
    WEIGHTS_SHEET,
    YES,
    Column,
    SheetSpec,
)
from optimizer.io.xlsx_style import DATE_FORMAT, print_layout, save_workbook, write_table

#: drop-down lists and date checks cover every row a sheet can have (Excel's last row)
_LAST_ROW = 1_048_576


class _Names:
    """How places and courts are written so that the reader finds the same ones again."""

    def __init__(self, s: Scenario):
        extra: dict[str, str] = {}
        for p in s.places:
            extra[p.id] = p.id
        for p in s.places:
            extra.setdefault(p.name, p.id)
        self.places: dict[str, str] = {}
        for p in s.places:
            name = full_name(p.id) if p.id in region_by_code() else p.name
            self.places[p.id] = name if resolve_place(name, extra).code == p.id else p.id
        ids = {c.id for c in s.courts}
        counts = Counter(c.name for c in s.courts)
        self.courts = {c.id: c.name if counts[c.name] == 1 and c.name not in ids else c.id
                       for c in s.courts}


def _get(record: Any, path: str) -> Any:
    for part in path.split("."):
        record = getattr(record, part)
    return record


def _cell(col: Column, value: Any, names: _Names) -> Any:
    if value is None or (col.field == "debtor_id" and is_unlinked(value)):
        return None  # a case without a debtor identifier reads back as one (never linked)
    if col.kind == "bool":
        return YES if value else NO
    if col.kind in ENUMS:
        return ENUMS[col.kind][str(value)]
    if col.kind == "place":
        return names.places.get(value, value)
    if col.kind == "court":
        return names.courts.get(value, value)
    return value


def _formats(spec: SheetSpec) -> dict[int, str]:
    out = {}
    for i, c in enumerate(spec.columns):
        if c.kind == "date":
            out[i] = DATE_FORMAT
        elif c.kind == "float":
            out[i] = "#,##0.00" if c.field in ("amount", "value") else "0.###"
    return out


def _data_sheet(wb: Any, spec: SheetSpec, records: list[list[Any]], documented: bool) -> None:
    ws = wb.create_sheet(spec.name)
    headers = [c.header for c in spec.columns]
    widths = {i: c.width + 2 for i, c in enumerate(spec.columns)}
    write_table(ws, headers, records, _formats(spec), widths)
    _validations(ws, spec, _LAST_ROW)
    print_layout(ws)
    if documented:
        for cell, col in zip(ws[1], spec.columns, strict=True):
            required = "必填 required" if col.required else "选填 optional"
            cell.comment = Comment(f"{col.help}\n{required}; English: {col.field}", "courtplan")


def _validations(ws: Any, spec: SheetSpec, last_row: int) -> None:
    """Drop-down lists for levels, party and asset kinds, prior actions and yes/no; dates."""
    for i, col in enumerate(spec.columns):
        letter = get_column_letter(i + 1)
        if col.kind in ENUMS:
            choices = ",".join(ENUMS[col.kind].values())
            dv = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        elif col.kind == "bool":
            dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True)
        elif col.kind == "date":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1",
                                allow_blank=True)
        else:
            continue
        dv.error, dv.errorTitle = f"{col.header}: {col.help}", col.header
        dv.add(f"{letter}2:{letter}{last_row}")
        ws.add_data_validation(dv)


def _setting_value(value: Any) -> Any:
    if value is None:
        return NULL_WORD
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, tuple):
        return ", ".join(f"{v:g}" for v in value)
    return value


def _settings_sheet(wb: Any, name: str, model: Weights | Rules) -> None:
    ws = wb.create_sheet(name)
    rows = [[key, _setting_value(getattr(model, key)), info.description or ""]
            for key, info in type(model).model_fields.items()]
    write_table(ws, KEY_VALUE_HEADERS, rows, widths={0: 28, 1: 16, 2: 90}, wrap={2})


def _head_sheet(wb: Any, values: dict[str, Any]) -> None:
    ws = wb.create_sheet(SCENARIO_SHEET)
    rows = [[key, values.get(fld), info] for key, fld, _, info in SCENARIO_KEYS]
    write_table(ws, KEY_VALUE_HEADERS, rows, widths={0: 14, 1: 40, 2: 60})
    for row in ws.iter_rows(min_row=2, max_col=2):
        if isinstance(row[1].value, dt.date):
            row[1].number_format = DATE_FORMAT


def _help_sheet(wb: Any) -> None:
    ws = wb.create_sheet(HELP_SHEET, 0)
    intro = [
        ["courtplan 场景工作簿 — 交叉执行规划的输入 (scenario workbook)"],
        ["填写 场景、法院、案件、财产 四张表；地点、权重、规则 可选。列名可用中文或英文字段名。"],
        ["地点可写名称（丽水市莲都区；唯一时可写 莲都区）或行政区划代码（331102）；法院可写编号或全称。"],
        ["是/否 列空白即为 否；日期写作 2025-03-01。导入：courtplan import 本文件 --out scenario.json"],
        [],
    ]
    for row in intro:
        ws.append(row)
    rows = [[spec.name, c.header, c.field, "必填" if c.required else "选填", c.help]
            for spec in DATA_SHEETS for c in spec.columns]
    rows += [[SCENARIO_SHEET, key, fld, "必填", info] for key, fld, _, info in SCENARIO_KEYS]
    rows += [[WEIGHTS_SHEET, "（每行一个参数）", "weights.*", "选填",
              "目标权重，空则取默认值 (objective weights)"],
             [RULES_SHEET, "（每行一个参数）", "rules.*", "选填", "规则开关，空则取默认值；无 = 关闭 (rules)"]]
    start = len(intro) + 1
    for i, header in enumerate(["工作表 sheet", "列名 column", "英文 English", "必填 required",
                                "说明 meaning"], start=1):
        ws.cell(start, i, header)
    for r in rows:
        ws.append(r)
    for letter, width in zip("ABCDE", (10, 18, 26, 10, 80), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{start + 1}"


def _records(s: Scenario, names: _Names) -> dict[str, list[list[Any]]]:
    cases = [[_cell(c, _get(k, c.field), names) for c in CASES.columns] for k in s.cases]
    assets = [[_cell(c, k.id if c.field == "case" else _get(a, c.field), names)
               for c in ASSETS.columns] for k in s.cases for a in k.assets]
    courts = [[_cell(c, _get(k, c.field), names) for c in COURTS.columns] for k in s.courts]
    places = [[p.id, p.name, p.lon, p.lat] for p in s.places]
    return {COURTS.name: courts, CASES.name: cases, ASSETS.name: assets, PLACES.name: places}


def write_scenario_workbook(s: Scenario, path: str | Path) -> None:
    """`s` as a workbook in the case system's format, read back by `read_workbook` to `s`."""
    names = _Names(s)
    wb = Workbook()
    wb.remove(wb.active)
    _help_sheet(wb)
    _head_sheet(wb, {"name": s.name, "dispatcher": names.courts.get(s.dispatcher, s.dispatcher),
                     "period.start": s.period.start, "period.end": s.period.end})
    records = _records(s, names)
    for spec in DATA_SHEETS:
        _data_sheet(wb, spec, records[spec.name], documented=False)
    _settings_sheet(wb, WEIGHTS_SHEET, s.weights)
    _settings_sheet(wb, RULES_SHEET, s.rules)
    save_workbook(wb, path)


def write_template(path: str | Path) -> None:
    """An empty, documented workbook: headers with notes, drop-down lists, a 说明 sheet, the
    weights and rules at their defaults."""
    wb = Workbook()
    wb.remove(wb.active)
    _help_sheet(wb)
    _head_sheet(wb, {})
    for spec in DATA_SHEETS:
        _data_sheet(wb, spec, [], documented=True)
    _settings_sheet(wb, WEIGHTS_SHEET, Weights())
    _settings_sheet(wb, RULES_SHEET, Rules())
    save_workbook(wb, path)
