"""Scenario workbooks in: the case system's export (法院, 案件, 财产, 场景, optional 地点/权重/规则)
→ a validated `Scenario`.

Every problem is collected before anything is raised: one `Defect` per bad cell, named by sheet,
row and column (`案件!第12行 立案日期: '2025-13-01' 不是日期 (not a date)`), a missing column once
per sheet. The scenario built from the cells then goes through the scenario checks; their
defects are mapped back to the sheet, row and column the value came from.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from optimizer.data.read import defects_from_validation, read_bytes_bounded
from optimizer.data.scenario import Rules, Scenario, Weights
from optimizer.data.validate import Defect, ScenarioError, check_scenario
from optimizer.io.place_names import display_name, region_by_code, resolve_place
from optimizer.io.xlsx_cells import CellProblem, read_setting, text_of
from optimizer.io.xlsx_columns import (
    ASSETS,
    CASES,
    COURTS,
    PLACES,
    RULES_SHEET,
    SCENARIO_KEYS,
    SCENARIO_SHEET,
    WEIGHTS_SHEET,
    Column,
    SheetSpec,
)
from optimizer.io.xlsx_limits import check_workbook
from optimizer.io.xlsx_rows import Row, SheetRows, cell_value, read_key_values, read_sheet

MAX_WORKBOOK_BYTES = 256 << 20
_PATH = re.compile(r"^(courts|cases|places)\[(\d+)\](?:\.assets\[(\d+)\])?\.?(.*)$")


@dataclass
class _Where:
    """Where each record came from, to map scenario defects back to cells."""

    courts: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    assets: dict[tuple[int, int], int] = field(default_factory=dict)
    places: dict[int, int | None] = field(default_factory=dict)
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)  # "period.start" → (sheet, row)


class _Book:
    """The workbook being read, and every problem found so far."""

    def __init__(self, wb: Any):
        self.wb = wb
        self.defects: list[Defect] = []
        self.where = _Where()
        self.place_names: dict[str, str] = {}  # names given in the 地点 sheet → code
        self.own_places: dict[str, dict[str, Any]] = {}  # 地点 sheet rows by code
        self.used_places: set[str] = set()
        self.court_ids: dict[str, str] = {}  # id or unique name → id
        self.missing: set[tuple[str, str]] = set()  # (sheet, field) of missing columns

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        where = sheet + (f"!第{row}行" if row is not None else "") + (f" {column}" if column else "")
        self.defects.append(Defect(where, None, message))

    def value(self, sheet: str, row: Row, col: Column, default: Any = None) -> Any:
        """The cell of `col` in `row` read as the column's kind (places and courts resolved)."""
        raw = row.cells.get(col.field)
        if raw is None or text_of(raw) == "":
            if col.required and (sheet, col.field) not in self.missing:  # named once already
                self.problem(sheet, row.number, col.header, "必填项为空 (required, empty)")
            return default
        try:
            if col.kind == "place":
                return self.place(text_of(raw))
            if col.kind == "court":
                return self.court(text_of(raw))
            return cell_value(col.kind, raw)
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
        if text not in self.court_ids:
            raise CellProblem(f"'{text}' 不是 法院 表中的法院 (unknown court)")
        return self.court_ids[text]

    def sheet(self, spec: SheetSpec, optional: bool = False) -> SheetRows | None:
        if spec.name not in self.wb.sheetnames:
            if not optional:
                self.problem(spec.name, None, None, f"缺少工作表 {spec.name} (missing sheet)")
            return None
        rows = read_sheet(self.wb[spec.name], spec)
        for col in rows.missing:
            self.missing.add((spec.name, col.field))
            self.problem(spec.name, None, col.header,
                         f"缺少必填列 {col.header} (missing column '{col.field}')")
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


def _read_courts(book: _Book) -> list[dict[str, Any]]:
    rows = book.sheet(COURTS)
    if rows is None:
        return []
    # ids and names first: parents and cases refer to courts by either
    names: dict[str, list[str]] = {}
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
        elif cid:
            book.court_ids[cid] = cid
            names.setdefault(name, []).append(cid)
    book.court_ids.update({n: ids[0] for n, ids in names.items() if n and len(ids) == 1
                           and n not in book.court_ids})
    courts = []
    for row in rows.rows:
        record = {c.field: book.value(COURTS.name, row, c) for c in COURTS.columns}
        courts.append(_nest(record))
        book.where.courts.append(row.number)
    return courts


def _read_cases(book: _Book) -> tuple[list[dict[str, Any]], dict[str, int]]:
    rows = book.sheet(CASES)
    cases: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for row in rows.rows if rows else ():
        record = {c.field: book.value(CASES.name, row, c) for c in CASES.columns}
        if record.get("debtor_id") is None and record.get("debtor.name"):
            record["debtor_id"] = str(record["debtor.name"])[:64]
        case = _nest(record)
        case["assets"] = []
        case_id = str(case.get("id"))
        if case.get("id") is not None and case_id in index:
            book.problem(CASES.name, row.number, CASES.columns[0].header,
                         f"案号 '{case_id}' 重复，与第{book.where.cases[index[case_id]]}行相同 "
                         "(duplicate case number)")
        index.setdefault(case_id, len(cases))
        cases.append(case)
        book.where.cases.append(row.number)
    return cases, index


def _read_assets(book: _Book, cases: list[dict[str, Any]], index: dict[str, int]) -> None:
    rows = book.sheet(ASSETS, optional=True)
    for row in rows.rows if rows else ():
        record = {c.field: book.value(ASSETS.name, row, c) for c in ASSETS.columns}
        case_id = record.pop("case")
        if case_id is None:
            continue
        if case_id not in index:
            book.problem(ASSETS.name, row.number, ASSETS.columns[0].header,
                         f"'{case_id}' 不是 案件 表中的案号 (unknown case)")
            continue
        i = index[case_id]
        assets = cases[i]["assets"]
        record["id"] = record["id"] or f"{case_id}-{len(assets) + 1}"
        book.where.assets[(i, len(assets))] = row.number
        assets.append(_nest(record))


def _read_settings(book: _Book, sheet: str, model: type[Weights] | type[Rules]) -> dict[str, Any]:
    if sheet not in book.wb.sheetnames:
        return {}
    out: dict[str, Any] = {}
    for number, key, raw in read_key_values(book.wb[sheet]):
        if key not in model.model_fields:
            book.problem(sheet, number, "项目", f"'{key}' 不是可设置的参数 (unknown setting)")
        elif raw is not None and text_of(raw) != "":
            out[key] = read_setting(raw)
            book.where.keys[f"{'weights' if model is Weights else 'rules'}.{key}"] = (sheet, number)
    return out


def _read_head(book: _Book) -> dict[str, Any]:
    """The 场景 sheet: name, dispatcher, period."""
    if SCENARIO_SHEET not in book.wb.sheetnames:
        book.problem(SCENARIO_SHEET, None, None, f"缺少工作表 {SCENARIO_SHEET} (missing sheet)")
        return {}
    by_key = {k: (f, kind) for k, f, kind, _ in SCENARIO_KEYS} | {f: (f, kind)
                                                                   for _, f, kind, _ in SCENARIO_KEYS}
    flat: dict[str, Any] = {}
    for number, key, raw in read_key_values(book.wb[SCENARIO_SHEET]):
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


def _open(path: str | Path) -> Any:
    from openpyxl import load_workbook

    data = read_bytes_bounded(path, MAX_WORKBOOK_BYTES)
    check_workbook(data, str(path))  # what it would cost to read, before reading it
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise ScenarioError([Defect(str(path), None, f"不是可读的 .xlsx 工作簿 (not a readable .xlsx "
                                                     f"workbook: {type(e).__name__})")]) from None


def read_workbook(path: str | Path) -> Scenario:
    """A scenario workbook → a validated `Scenario`; `ScenarioError` lists every defect, each
    named by sheet, row and column."""
    book = _Book(_open(path))
    _read_places(book)
    courts = _read_courts(book)
    head = _read_head(book)
    cases, index = _read_cases(book)
    _read_assets(book, cases, index)
    weights = _read_settings(book, WEIGHTS_SHEET, Weights)
    rules = _read_settings(book, RULES_SHEET, Rules)
    if book.defects:
        raise ScenarioError(book.defects)
    raw = {"format_version": 1, **head, "places": _places(book), "courts": courts,
           "cases": cases, "weights": weights, "rules": rules}
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as e:
        raise ScenarioError([_locate(d, book.where) for d in defects_from_validation(raw, e)]) from None
    defects = check_scenario(scenario)
    if defects:
        raise ScenarioError([_locate(d, book.where) for d in defects])
    return scenario


def _header(spec: SheetSpec, tail: str) -> str:
    tail = re.sub(r"\[\d+\]$", "", tail)
    for col in spec.columns:
        if col.field == tail or (tail and col.field.startswith(tail + ".")):
            return col.header
    return tail


def _locate(d: Defect, where: _Where) -> Defect:
    """A scenario defect (`cases[3].filed`) named by its cell (`案件!第5行 立案日期`)."""
    m = _PATH.match(d.path)
    if m:
        kind, i, j, tail = m[1], int(m[2]), m[3], m[4]
        if j is not None:
            row, spec = where.assets.get((i, int(j))), ASSETS
        elif kind == "cases":
            row, spec = where.cases[i] if i < len(where.cases) else None, CASES
        elif kind == "courts":
            row, spec = where.courts[i] if i < len(where.courts) else None, COURTS
        else:
            row, spec = where.places.get(i), PLACES
        column = _header(spec, tail or "id")
        at = f"{spec.name}!第{row}行 {column}" if row else f"{spec.name} {column}"
        return Defect(at, d.record, d.message)
    key = re.sub(r"\[\d+\]$", "", d.path)
    if key in where.keys:
        sheet, row = where.keys[key]
        return Defect(f"{sheet}!第{row}行", d.record, d.message)
    return d
