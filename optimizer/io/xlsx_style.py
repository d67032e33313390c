"""Making written worksheets readable on screen and on paper, and safe to open; saving a
workbook whole or not at all.

On screen: a bold header on a blue fill, frozen with the first column (the case number), widths
for Chinese text (a CJK character is two columns wide), number and date formats. On paper: A4
landscape, fitted to the page width, the header row (and the first column) repeated on every
page, the sheet's name and "第 n 页 共 N 页" in the margins.

Safe to open: every workbook the product writes passes `save_workbook`, which turns any cell that
would be a formula into text and marks every text cell that starts like one (= + - @) with a
quote prefix, so a name such as `=HYPERLINK(…)` is shown as typed and stays text when edited.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from optimizer.io.files import write_atomic

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
DATE_FORMAT = "yyyy-mm-dd"
MAX_WIDTH = 60
_WIDTH_SAMPLE = 500  # rows read to size a column: enough for its usual text
_LINE_HEIGHT = 15.0  # points per line of the default 11-point font
#: what a spreadsheet could read as the start of a formula, in text typed into a cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def text_width(value: Any) -> int:
    """Display width in spreadsheet columns: a CJK character takes two; numbers as shown."""
    if value is None:
        return 0
    if isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float):
        text = f"{value:,.2f}"
    elif isinstance(value, int):
        text = f"{value:,}"
    elif isinstance(value, dt.date):
        text = "2026-01-01"
    else:
        text = str(value)
    longest = max(text.split("\n"), key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _lines(value: Any, width: float) -> int:
    """About how many lines `value` takes wrapped in a column `width` wide (a CJK character is
    two columns: UTF-8 gives it 3 bytes, so the byte count estimates the width in C speed)."""
    if not isinstance(value, str) or not value:
        return 1
    lines = 0
    for part in value.split("\n"):
        shown = len(part) + (len(part.encode("utf-8")) - len(part)) / 2
        lines += max(1, math.ceil(shown / max(width - 1.0, 1.0)))
    return lines


def _style_column(ws: Any, column: int, number_format: str | None, alignment: Alignment | None) -> None:
    """One number format and alignment for a column's data cells: set on the first, its style
    copied to the others (setting each looks the style up again: minutes for 300,000 rows)."""
    template = None
    for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
        if template is None:
            if number_format:
                cell.number_format = number_format
            if alignment:
                cell.alignment = alignment
            template = cell._style
        else:
            cell._style = copy(template)


def write_table(ws: Any, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                formats: dict[int, str] | None = None, widths: dict[int, int] | None = None,
                wrap: set[int] | None = None, *, auto_filter: bool = True,
                freeze: str | None = None) -> None:
    """Headers and rows into `ws`, formatted for reading: bold header on a blue fill, frozen
    (with the first column unless `freeze` says otherwise), an auto-filter unless asked not to;
    column widths from the widest text (sampled, header included), capped at 60.

    `formats`: column index → number format; `widths`: column index → fixed width; `wrap`:
    columns whose long text wraps (top-aligned, so a row reads across); a row holding wrapped
    text is made as tall as its longest cell (spreadsheets do not grow rows when they open a
    file, so without it the text would be cut on screen and on paper)."""
    formats, widths, wrap = formats or {}, widths or {}, wrap or set()
    table = [list(headers), *(list(r) for r in rows)]
    widest = [max(text_width(r[i]) if i < len(r) else 0 for r in table[:_WIDTH_SAMPLE + 1])
              for i in range(len(headers))]
    final = [min(widths.get(i, widest[i] + 2), MAX_WIDTH) for i in range(len(headers))]
    for number, row in enumerate(table, start=1):
        ws.append(row)
        lines = max((_lines(row[i], final[i]) for i in wrap if i < len(row)), default=1)
        if lines > 1:
            ws.row_dimensions[number].height = _LINE_HEIGHT * lines
    for i, width in enumerate(final):
        ws.column_dimensions[get_column_letter(i + 1)].width = width
        if i in formats or wrap:  # in a table with tall rows every cell starts at the top
            _style_column(ws, i + 1, formats.get(i), (WRAP if i in wrap else TOP) if wrap else None)
    for cell in ws[1]:
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
    header_lines = max(_lines(h, final[i]) for i, h in enumerate(headers))
    if header_lines > 1:
        ws.row_dimensions[1].height = _LINE_HEIGHT * header_lines
    ws.freeze_panes = freeze or ("B2" if len(headers) > 1 else "A2")
    if len(table) > 1 and auto_filter:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(table)}"


def print_layout(ws: Any, *, repeat_first_column: bool = True, print_columns: int | None = None) -> None:
    """A4 landscape, fitted to the page width (as many pages down as needed), the header row —
    and the first column, the case number — printed on every page, the sheet's name at the
    top and the page number at the bottom. `print_columns`: print only the first so many
    columns (the rest stay on screen)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # 0: as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = "1:1"
    if repeat_first_column:
        ws.print_title_cols = "A:A"
    if print_columns is not None:
        last = get_column_letter(print_columns)
        ws.print_area = f"A1:{last}{max(ws.max_row, 1)}"
    # the sheet's own (product-chosen) name; "&" would start a header code, hence the check
    ws.oddHeader.center.text = ws.title.replace("&", "&&")
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"


def neutralise_formulas(wb: Any) -> int:
    """Every cell of `wb` that openpyxl would write as a formula becomes text, and text that
    starts like a formula gets the quote prefix (it stays text when a user edits the cell);
    returns how many cells were touched. The product writes no formula of its own."""
    touched = 0
    for ws in wb.worksheets:
        for cell in ws._cells.values():  # every cell written (openpyxl's own store: no empty ones)
            value = cell.value
            if not isinstance(value, str) or not value.startswith(FORMULA_START):
                continue
            cell.data_type = "s"  # openpyxl took a leading "=" for a formula
            cell.quotePrefix = True
            touched += 1
    return touched


def save_workbook(wb: Any, path: str | Path) -> None:
    """Save whole or not at all (a temporary file renamed over the target), every cell text
    or a value, never a formula (`neutralise_formulas`)."""
    neutralise_formulas(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomic(path, buffer.getvalue())
