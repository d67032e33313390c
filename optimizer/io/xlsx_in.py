"""Scenario workbooks in: the case system's export (法院, 案件, 财产, 场景, optional 地点/权重/规则)
→ a validated `Scenario`, with warnings for the planner.

Every problem is found in one round and named by sheet, row and column, in both languages
(`案件!第12行 立案日期: '2025-13-01' 不是日期 (not a date)`): the cells, then each record's own
fields, then the checks across records (`xlsx_check`). Sheets are found by name or by their
headers (`xlsx_sheets`). Case numbers are compared as keys (width, brackets, invisible characters
aside: `identity`), the number as written kept. Debtors are linked by identifier only; the same
name without one is a warning, never a link (`xlsx_debtors`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH

from optimizer.data.identity import case_number_key
from optimizer.data.read import read_bytes_bounded
from optimizer.data.scenario import Rules, Scenario, Weights
from optimizer.data.validate import Defect, ScenarioError
from optimizer.io.court_names import suggest_courts
from optimizer.io.place_names import display_name, region_by_code, resolve_place
from optimizer.io.xlsx_cells import CellProblem, read_setting, text_of
from optimizer.io.xlsx_check import Cell, Checked, Where, check_all
from optimizer.io.xlsx_columns import (
    ASSETS,
    CASES,
    COURTS,
    DATA_SHEETS,
    PLACES,
    RULES_SHEET,
    SCENARIO_KEYS,
    SCENARIO_SHEET,
    WEIGHTS_SHEET,
    Column,
    SheetSpec,
)
from optimizer.io.xlsx_debtors import debtor_identity, same_name_warnings
from optimizer.io.xlsx_limits import check_workbook
from optimizer.io.xlsx_rows import Row, SheetRows, cell_value, read_key_values, read_sheet
from optimizer.io.xlsx_sheets import KeySheet, Sheets, find_sheets

MAX_WORKBOOK_BYTES = 256 << 20
_KEY_SHEETS = (
    KeySheet(SCENARIO_SHEET, frozenset(k.lower() for key, fld, _, _ in SCENARIO_KEYS for k in (key, fld))),
    KeySheet(WEIGHTS_SHEET, frozenset(k.lower() for k in Weights.model_fields)),
    KeySheet(RULES_SHEET, frozenset(k.lower() for k in Rules.model_fields)),
)


@dataclass(frozen=True)
class Imported:
    """A workbook read: the scenario, and what the planner should look at (same-name debtors
    not linked, sheets found by their headers)."""

    scenario: Scenario
    warnings: list[Defect]


class _Book:
    """The workbook being read, and every problem found so far."""

    def __init__(self, wb: Any):
        self.wb = wb
        self.epoch = getattr(wb, "epoch", WINDOWS_EPOCH)  # the date system of day numbers
        self.sheets: Sheets = find_sheets(wb, DATA_SHEETS, _KEY_SHEETS)
        self.defects: list[Defect] = []
        self.warnings: list[Defect] = [
            Defect(own, None, f"按列名识别为 {name} 表 (read as the {name} sheet by its headers)")
            for name, own in self.sheets.renamed.items()]
        self.cells: set[Cell] = set()  # cells already named
        self.where = Where()
        self.place_names: dict[str, str] = {}  # names given in the 地点 sheet → code
        self.own_places: dict[str, dict[str, Any]] = {}  # 地点 sheet rows by code
        self.used_places: set[str] = set()
        self.court_ids: dict[str, str] = {}  # id or unique name → id
        self.court_names: list[str] = []
        self.unchecked: set[str] = set()  # court references not checked (no court sheet)
        self.missing: set[tuple[str, str]] = set()  # (sheet, header) of missing columns

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        cell = Cell(sheet, row, column)
        self.cells.add(cell)
        self.defects.append(Defect(str(cell), None, message))

    def value(self, sheet: str, row: Row, col: Column, default: Any = None) -> Any:
        """The cell of `col` in `row` read as the column's kind (places and courts resolved)."""
        raw = row.cells.get(col.field)
        if raw is None or text_of(raw) == "":
            if col.required and (sheet, col.header) not in self.missing:  # named once already
                self.problem(sheet, row.number, col.header, "必填项为空 (required, empty)")
            return default
        try:
            if col.kind == "place":
                return self.place(text_of(raw))
            if col.kind == "court":
                return self.court(text_of(raw))
            return cell_value(col.kind, raw, self.epoch)
        except CellProblem as e:
            self.problem(sheet, row.number, col.header, str(e))
            return default

    def place(self, text: str) -> str:
        found = resolve_place(text, self.place_names)
        if found.code is None:
            raise CellProblem(found.problem or text)
        if found.code not in self.own_places and region_by_code()[found.code].lon is None:
            raise CellProblem(f"'{text}' 没有已知坐标 (no coordinates known); 请在 地点 表中给出经纬度")
        self.used_places.add(found.code)
        return found.code

    def court(self, text: str) -> str:
        if text in self.court_ids:
            return self.court_ids[text]
        if self.sheets.get(COURTS.name) is None:
            self.unchecked.add(text)  # no court sheet: that one defect is named, not one per reference
            return text
        hint = suggest_courts(text, self.court_names)
        did_you_mean = f"；是否为 {'、'.join(hint)}？(did you mean {' / '.join(hint)}?)" if hint else ""
        raise CellProblem(f"'{text}' 不是 法院 表中的法院 (unknown court){did_you_mean}")

    def sheet(self, spec: SheetSpec, optional: bool = False) -> SheetRows | None:
        ws = self.sheets.get(spec.name)
        if ws is None:
            if not optional:
                self.problem(spec.name, None, None, f"缺少工作表 {spec.name}，也没有列名相符的工作表 "
                                                    f"(missing sheet); 工作簿中的工作表 sheets found: "
                                                    f"{self.sheets.listing}")
            return None
        rows = read_sheet(ws, spec)
        for col in rows.missing:
            self.missing.add((spec.name, col.header))
            self.problem(spec.name, None, col.header, f"缺少必填列 {col.header} (missing column '{col.field}')")
        return rows


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    """{"applicant.name": x} → {"applicant": {"name": x}} (empty values left out)."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if value is None:
            continue
        *parents, last = key.split(".")
        node = out
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return out


def _read_places(book: _Book) -> None:
    rows = book.sheet(PLACES, optional=True)
    for row in rows.rows if rows else ():
        code = book.value(PLACES.name, row, PLACES.columns[0])
        if code is None:
            continue
        values = {c.field: book.value(PLACES.name, row, c) for c in PLACES.columns[1:]}
        region = region_by_code().get(code)
        if region is None and None in values.values():
            book.problem(PLACES.name, row.number, None, f"'{code}' 不是已知的行政区划代码，需给出名称和经纬度 "
                                                        "(unknown code: give name, longitude, latitude)")
            continue
        fill = {"name": display_name(region), "lon": region.lon, "lat": region.lat} if region else {}
        place = {"id": code, **{k: v if v is not None else fill.get(k) for k, v in values.items()}}
        book.own_places[code] = place
        book.where.places[len(book.own_places) - 1] = row.number
        book.place_names[code] = code
        book.place_names.setdefault(str(place["name"]), code)


def _court_ids(book: _Book, rows: SheetRows) -> list[Row]:
    """Ids and names first (parents and cases refer to courts by either); the rows to read,
    a duplicate id named and left out."""
    names: dict[str, list[str]] = {}
    kept = []
    for row in rows.rows:
        cid, name = text_of(row.cells.get("id")), text_of(row.cells.get("name"))
        place_text = text_of(row.cells.get("place"))
        if not cid and place_text:
            found = resolve_place(place_text, book.place_names)
            cid = f"C{found.code}" if found.code else ""
        row.cells["id"] = cid or None
        if cid in book.court_ids:
            book.problem(COURTS.name, row.number, COURTS.columns[0].header,
                         f"法院编号 '{cid}' 重复 (duplicate court id)")
            continue
        if cid:
            book.court_ids[cid] = cid
            names.setdefault(name, []).append(cid)
        kept.append(row)
    book.court_ids.update({n: ids[0] for n, ids in names.items() if n and len(ids) == 1
                           and n not in book.court_ids})
    book.court_names = sorted(n for n in names if n)
    return kept


def _read_courts(book: _Book) -> list[dict[str, Any]]:
    rows = book.sheet(COURTS)
    if rows is None:
        return []
    courts = []
    for row in _court_ids(book, rows):
        courts.append(_nest({c.field: book.value(COURTS.name, row, c) for c in COURTS.columns}))
        book.where.courts.append(row.number)
    return courts


def _read_cases(book: _Book) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The case rows; `index`: case-number key → position. A case number that repeats — as
    written or in another width or bracket — is named and its row left out."""
    rows = book.sheet(CASES)
    cases: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for row in rows.rows if rows else ():
        record = {c.field: book.value(CASES.name, row, c) for c in CASES.columns}
        case_id = record.get("id")
        key = case_number_key(str(case_id)) if case_id is not None else None
        if key is not None and key in index:
            first = cases[index[key]]["id"]
            same = "相同" if first == case_id else f" '{first}' 为同一案号（全角/半角、括号写法不同）"
            book.problem(CASES.name, row.number, CASES.columns[0].header, f"案号 '{case_id}' 重复，"
                         f"与第{book.where.cases[index[key]]}行{same} (duplicate case number)")
            continue
        record["debtor_id"] = debtor_identity(record.get("debtor_id"), str(case_id or ""))
        case = _nest(record)
        case["assets"] = []
        if key is not None:
            index[key] = len(cases)
        cases.append(case)
        book.where.cases.append(row.number)
    return cases, index


def _read_assets(book: _Book, cases: list[dict[str, Any]], index: dict[str, int]) -> None:
    rows = book.sheet(ASSETS, optional=True)
    if book.sheets.get(CASES.name) is None:
        return  # no case sheet: that defect is named once, not once per asset
    for row in rows.rows if rows else ():
        record = {c.field: book.value(ASSETS.name, row, c) for c in ASSETS.columns}
        case_id = record.pop("case")
        if case_id is None:
            continue
        i = index.get(case_number_key(str(case_id)))
        if i is None:
            book.problem(ASSETS.name, row.number, ASSETS.columns[0].header,
                         f"'{case_id}' 不是 案件 表中的案号 (unknown case)")
            continue
        assets = cases[i]["assets"]
        record["id"] = record["id"] or f"{cases[i].get('id')}-{len(assets) + 1}"
        book.where.assets[(i, len(assets))] = row.number
        assets.append(_nest(record))


def _read_settings(book: _Book, sheet: str, model: type[Weights] | type[Rules]) -> dict[str, Any]:
    ws = book.sheets.get(sheet)
    if ws is None:
        return {}
    out: dict[str, Any] = {}
    for number, key, raw in read_key_values(ws):
        if key not in model.model_fields:
            book.problem(sheet, number, "项目", f"'{key}' 不是可设置的参数 (unknown setting)")
        elif raw is not None and text_of(raw) != "":
            out[key] = read_setting(raw)
            book.where.keys[f"{'weights' if model is Weights else 'rules'}.{key}"] = (sheet, number)
    return out


def _read_head(book: _Book) -> dict[str, Any]:
    """The 场景 sheet: name, dispatcher, period."""
    ws = book.sheets.get(SCENARIO_SHEET)
    if ws is None:
        book.problem(SCENARIO_SHEET, None, None, f"缺少工作表 {SCENARIO_SHEET} (missing sheet); "
                                                 f"工作簿中的工作表 sheets found: {book.sheets.listing}")
        return {}
    by_key = {k: (f, kind) for k, f, kind, _ in SCENARIO_KEYS} | {f: (f, kind)
                                                                   for _, f, kind, _ in SCENARIO_KEYS}
    flat: dict[str, Any] = {}
    for number, key, raw in read_key_values(ws):
        if key not in by_key:
            book.problem(SCENARIO_SHEET, number, "项目", f"'{key}' 不是场景项目 (unknown item)")
            continue
        fld, kind = by_key[key]
        col = Column(key, fld, kind, True, "")
        flat[fld] = book.value(SCENARIO_SHEET, Row(number, {fld: raw}), col)
        book.where.keys[fld] = (SCENARIO_SHEET, number)
    for key, fld, _, _ in SCENARIO_KEYS:
        if fld not in book.where.keys:
            book.problem(SCENARIO_SHEET, None, key, f"缺少项目 {key} (missing item '{fld}')")
    return _nest(flat)


def _places(book: _Book) -> list[dict[str, Any]]:
    """The 地点 sheet's places in its order, then every other place used, by code."""
    out = list(book.own_places.values())
    for code in sorted(book.used_places - set(book.own_places)):
        r = region_by_code()[code]
        out.append({"id": code, "name": display_name(r), "lon": r.lon, "lat": r.lat})
    return out


_SHEET_ORDER = (SCENARIO_SHEET, COURTS.name, CASES.name, ASSETS.name, PLACES.name, WEIGHTS_SHEET, RULES_SHEET)
_AT = re.compile(r"^([^!\s]+)(?:!第(\d+)行)?")


def _reading_order(d: Defect) -> tuple[int, int]:
    """Defects as a planner reads the workbook: sheet by sheet, row by row (a sheet's own first)."""
    m = _AT.match(d.path)
    if m is None or m[1] not in _SHEET_ORDER:
        return (len(_SHEET_ORDER), 0)
    return (_SHEET_ORDER.index(m[1]), int(m[2]) if m[2] else 0)


def _open(path: str | Path) -> Any:
    from openpyxl import load_workbook

    data = read_bytes_bounded(path, MAX_WORKBOOK_BYTES)
    check_workbook(data, str(path))  # what it would cost to read, before reading it
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise ScenarioError([Defect(str(path), None, f"不是可读的 .xlsx 工作簿 (not a readable .xlsx "
                                                     f"workbook: {type(e).__name__})")]) from None


def import_workbook(path: str | Path) -> Imported:
    """A scenario workbook → the validated `Scenario` and the warnings for the planner;
    `ScenarioError` lists every defect at once, each named by sheet, row and column."""
    book = _Book(_open(path))
    _read_places(book)
    courts = _read_courts(book)
    head = _read_head(book)
    cases, index = _read_cases(book)
    _read_assets(book, cases, index)
    raw = {"format_version": 1, **head, "places": _places(book), "courts": courts, "cases": cases,
           "weights": _read_settings(book, WEIGHTS_SHEET, Weights),
           "rules": _read_settings(book, RULES_SHEET, Rules)}
    checked = Checked(book.where, book.cells, book.missing, book.defects, dropped=book.unchecked)
    scenario = check_all(raw, checked)
    if scenario is None:
        raise ScenarioError(sorted(checked.defects, key=_reading_order))
    names = {p["id"]: str(p["name"]) for p in raw["places"]}
    return Imported(scenario, book.warnings + same_name_warnings(cases, book.where.cases, names))


def read_workbook(path: str | Path) -> Scenario:
    """A scenario workbook → a validated `Scenario` (`import_workbook` without the warnings)."""
    return import_workbook(path).scenario
