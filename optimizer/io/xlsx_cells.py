"""Reading one spreadsheet cell as a scenario value: dates, numbers, yes/no and labels.

Each reader returns the value, or raises `CellProblem` with a bilingual message that names the
bad text (`'2025-13-01' 不是日期 (not a date)`); the caller adds sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from openpyxl.utils.datetime import WINDOWS_EPOCH, from_excel

from optimizer.data.identity import visible
from optimizer.io.xlsx_columns import ENUM_SYNONYMS, ENUMS, NO_WORDS, NULL_WORD, YES_WORDS

#: a date, optionally followed by a time of day (the case system exports "2025-03-01 00:00:00")
_TIME = r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?" + _TIME + "$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
#: a date left as the spreadsheet's day number (a cell in General format shows 45717 for
#: 2025-03-01); read only within these years, so that a year (2025) or an amount is not a date
_SERIAL_YEARS = (1950, 2100)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class CellProblem(ValueError):
    """A cell that cannot be read as the column's kind (the message is shown as it is)."""


def text_of(raw: Any) -> str:
    """A cell as trimmed text without invisible characters (a zero-width space pasted with a
    case number); numbers without a trailing .0 (a code typed as a number)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    return visible(str(raw))


def _shown(raw: Any) -> str:
    text = text_of(raw)
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= 40 else text[:40] + "…"


def _serial_date(raw: Any, epoch: dt.datetime) -> dt.date | None:
    """A day number of the spreadsheet (General format) as a date, if it is one in range."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and re.fullmatch(r"\d{5}(\.\d+)?", raw.strip()):
        raw = float(raw)
    if not isinstance(raw, int | float) or not math.isfinite(raw):
        return None
    try:
        day = from_excel(raw, epoch)
    except (ValueError, OverflowError):
        return None
    day = day.date() if isinstance(day, dt.datetime) else day
    if isinstance(day, dt.date) and _SERIAL_YEARS[0] <= day.year <= _SERIAL_YEARS[1]:
        return day
    return None


def read_date(raw: Any, epoch: dt.datetime = WINDOWS_EPOCH) -> dt.date:
    """A date cell, a day number (General format, `epoch` the workbook's), or text: 2025-03-01,
    2025/3/1, 2025.3.1, 2025年3月1日, 20250301, each with or without a time of day."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    serial = _serial_date(raw, epoch)
    if serial is not None:
        return serial
    text = text_of(raw)
    m = _DATE.match(text) or _COMPACT_DATE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise CellProblem(f"'{_shown(raw)}' 不是日期 (not a date; write 2025-03-01)")


def read_float(raw: Any) -> float:
    if isinstance(raw, bool):
        raise CellProblem(f"'{_shown(raw)}' 不是数字 (not a number)")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = text_of(raw).replace(",", "").replace("，", "").removesuffix("元")
        if not _NUMBER.match(text):
            raise CellProblem(f"'{_shown(raw)}' 不是数字 (not a number)")
        value = float(text)
    if not math.isfinite(value):
        raise CellProblem(f"'{_shown(raw)}' 不是有限的数字 (not a finite number)")
    return value


def read_int(raw: Any) -> int:
    try:
        value = read_float(raw)
    except CellProblem:
        raise CellProblem(f"'{_shown(raw)}' 不是整数 (not a whole number)") from None
    if not value.is_integer():
        raise CellProblem(f"'{_shown(raw)}' 不是整数 (not a whole number)")
    return int(value)


def read_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = text_of(raw).lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise CellProblem(f"'{_shown(raw)}' 应为 是 或 否 (expected yes or no)")


def read_enum(kind: str, raw: Any) -> str:
    """A label (中级), a synonym (中级人民法院) or the English value (intermediate) → value."""
    labels = ENUMS[kind]
    text = text_of(raw)
    by_label = {v: k for k, v in labels.items()}
    for table in (by_label, ENUM_SYNONYMS.get(kind, {})):
        if text in table:
            return table[text]
    if text.lower() in labels:
        return text.lower()
    allowed = "/".join(labels.values())
    raise CellProblem(f"'{_shown(raw)}' 不是可选值 {allowed} (not one of the allowed values)")


def read_setting(raw: Any) -> Any:
    """A weight or rule value: a number, 是/否, 无 (off, null), a comma list of numbers (the load
    slopes) or text (interference_scope); pydantic checks it against the field."""
    if isinstance(raw, bool | int | float):
        return raw
    text = text_of(raw)
    if text in (NULL_WORD, "null", "关闭"):
        return None
    if text.lower() in YES_WORDS - {"1"}:
        return True
    if text.lower() in NO_WORDS - {"0", ""}:
        return False
    parts = [p.strip() for p in re.split(r"[,，、;；]", text)]
    if len(parts) > 1 and all(_NUMBER.match(p) for p in parts):
        return tuple(float(p) for p in parts)
    if _NUMBER.match(text):
        return float(text)
    return text
