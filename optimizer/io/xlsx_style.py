"""Making written worksheets readable: bold frozen header, auto-filter, widths for Chinese text,
number and date formats; and saving a workbook whole or not at all."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from optimizer.io.files import write_atomic

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60


def text_width(value: Any) -> int:
    """Display width in spreadsheet columns: a CJK character takes two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def write_table(ws: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                formats: dict[int, str] | None = None, widths: dict[int, int] | None = None,
                wrap: set[int] | None = None) -> None:
    """Headers and rows into `ws`, formatted for reading: bold header on a blue fill, frozen,
    with an auto-filter; column widths from the longest text (sampled), capped at 60.

    `formats`: column index → number format; `widths`: column index → fixed width; `wrap`:
    columns whose long text wraps."""
    formats, widths, wrap = formats or {}, widths or {}, wrap or set()
    ws.append(list(headers))
    longest = [text_width(h) + 2 for h in headers]
    n = 0
    for n, row in enumerate(rows, start=1):
        ws.append(list(row))
        if n <= 500:  # widths from a sample: enough for a column's usual text
            longest = [max(w, text_width(v)) for w, v in zip(longest, row, strict=False)]
    for i, header_width in enumerate(longest):
        letter = get_column_letter(i + 1)
        ws.column_dimensions[letter].width = min(widths.get(i, header_width + 2), MAX_WIDTH)
        for cell in ws[letter][1:]:
            if i in formats:
                cell.number_format = formats[i]
            if i in wrap:
                cell.alignment = WRAP
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    ws.freeze_panes = "B2" if len(headers) > 1 else "A2"
    if n:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{n + 1}"


def save_workbook(wb: Any, path: str | Path) -> None:
    """Save whole or not at all (a temporary file renamed over the target)."""
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomic(path, buffer.getvalue())


def text_safe(ws: Any, row: list[Any]) -> list[Any]:
    """Text starting with '=' stays text, never becomes a formula (a name is not a command)."""
    out = []
    for v in row:
        if isinstance(v, str) and v.startswith("="):
            cell = Cell(ws, value=v)
            cell.data_type = "s"  # openpyxl took it for a formula
            out.append(cell)
        else:
            out.append(v)
    return out
