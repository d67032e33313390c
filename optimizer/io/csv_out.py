"""Tables as CSV text (the sweep table, benchmark results), safe to open in a spreadsheet.

A spreadsheet opening a CSV runs any field that starts with = + - @ (or a tab or carriage
return before one) as a formula: a court id or a setting typed as `=HYPERLINK(…)` would become a
live link. Such a text field is written with a leading apostrophe, the usual sign for "this is
text" (OWASP's advice on CSV injection); numbers are written as numbers, negative ones too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from optimizer.io.xlsx_style import FORMULA_START


def safe_field(value: Any) -> Any:
    """A text that a spreadsheet would run as a formula, quoted as text; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(out: TextIO, rows: Iterable[Mapping[str, Any]], keys: list[str]) -> None:
    """`rows` as CSV under the header `keys` (a missing key is an empty field), every text
    field safe (`safe_field`)."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow([safe_field(k) for k in keys])
    for row in rows:
        w.writerow([safe_field(row.get(k, "")) for k in keys])


def to_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV text, columns in the order they first appear."""
    keys = list(dict.fromkeys(k for r in rows for k in r))
    buffer = io.StringIO()
    write_csv(buffer, rows, keys)
    return buffer.getvalue()
