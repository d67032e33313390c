"""Rows of a worksheet as records: the header row found, its headers matched to columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH

from optimizer.io.xlsx_cells import read_bool, read_date, read_enum, read_float, read_int, text_of
from optimizer.io.xlsx_columns import ENUMS, Column, SheetSpec

HEADER_SEARCH_ROWS = 10  # the case system may put a title line or two above the headers


@dataclass
class Row:
    number: int  # 1-based row number as the spreadsheet shows it
    cells: dict[str, Any]  # column field → raw cell value


@dataclass
class SheetRows:
    rows: list[Row]
    missing: list[Column]  # required columns the sheet lacks


def normal_header(header: Any) -> str:
    """A header cell as a lookup key: trimmed, no spaces, no required-marker `*`, lower case."""
    return "".join(text_of(header).split()).strip("*＊").lower()


def read_sheet(ws: Any, spec: SheetSpec) -> SheetRows:
    """The data rows of `ws` under its header row (the first of the top rows with two or more
    known headers); unknown columns are ignored (the case system exports many more)."""
    known = spec.header_map()
    lines = ws.iter_rows(values_only=True)
    header_at, mapping = 0, {}
    for number, line in enumerate(lines, start=1):
        found = {i: known[normal_header(h)] for i, h in enumerate(line) if normal_header(h) in known}
        if len(found) >= min(2, len(spec.columns)):
            header_at, mapping = number, found
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not header_at:
        return SheetRows([], [c for c in spec.columns if c.required])
    present = {c.field for c in mapping.values()}
    rows = []
    for number, line in enumerate(lines, start=header_at + 1):
        cells = {col.field: line[i] for i, col in mapping.items() if i < len(line)}
        if any(text_of(v) for v in cells.values()):
            rows.append(Row(number, cells))
    return SheetRows(rows, [c for c in spec.columns if c.required and c.field not in present])


def read_key_values(ws: Any) -> Iterator[tuple[int, str, Any]]:
    """(row number, key, value) of a two-column sheet (项目 | 值 | 说明), the header row skipped."""
    for number, line in enumerate(ws.iter_rows(values_only=True), start=1):
        key = text_of(line[0]) if line else ""
        if not key or (number == 1 and key in ("项目", "参数", "key")):
            continue
        yield number, key, line[1] if len(line) > 1 else None


def cell_value(kind: str, raw: Any, epoch: dt.datetime = WINDOWS_EPOCH) -> Any:
    """A non-empty cell read as `kind` (text, id, int, float, date, bool or an enum); `epoch`:
    the workbook's date system, for a date left as a day number."""
    if kind == "date":
        return read_date(raw, epoch)
    if kind == "int":
        return read_int(raw)
    if kind == "float":
        return read_float(raw)
    if kind == "bool":
        return read_bool(raw)
    if kind in ENUMS:
        return read_enum(kind, raw)
    return text_of(raw)
