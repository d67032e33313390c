"""The checker's own periods (期间), written from the statutes and the State Council's notices, not
from the model code: it reads the holiday data file as data and counts with `datetime` day by day.

- 民事诉讼法第237条: six calendar months (statutory: whatever the scenario says), from filing
  (执行程序解释第10条（一）（三）: an obligation to act always from filing) or from when property was
  found (（二）), the period's last day being the corresponding day (the month's last day where
  none), extended by the excluded days (执行程序解释第13条);
- 民事诉讼法第85条第3款: a last day that is a 法定休假日 (a weekend day not made a working day,
  or a day given off) moves to the first day after the rest days;
- the planner's watch period (`rules.watch_months`): counted the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from functools import cache
from pathlib import Path

HOLIDAYS_FILE = Path(__file__).resolve().parent.parent / "optimizer" / "law" / "holidays.json"
STATUTORY_MONTHS = 6


def add_months(d: dt.date, months: int) -> dt.date:
    """The corresponding day `months` calendar months after `d`; the month's last day where that
    month has no corresponding day (民法典第二百零二条; 民事诉讼法第八十五条)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@cache
def _shipped() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, 调休 working days) of the shipped notices."""
    raw = json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8"))
    off: set[dt.date] = set()
    work: set[dt.date] = set()
    for year in raw["years"].values():
        for h in year["holidays"]:
            d, last = dt.date.fromisoformat(h["from"]), dt.date.fromisoformat(h["to"])
            while d <= last:
                off.add(d)
                d += dt.timedelta(days=1)
        work.update(dt.date.fromisoformat(x) for x in year["working_days"])
    return frozenset(off), frozenset(work)


def rest_day(s, d: dt.date) -> bool:
    """Is `d` a 法定休假日 under the shipped notices and the scenario's `calendar` block?"""
    off, work = _shipped()
    extra = getattr(s, "calendar", None)
    extra_off = set(getattr(extra, "holidays", ()))
    extra_work = set(getattr(extra, "working_days", ()))
    if d in extra_work:
        return False
    if d in extra_off:
        return True
    return d in off or (d.weekday() >= 5 and d not in work)


def last_day(s, k, months: int = STATUTORY_MONTHS) -> dt.date:
    """The last day of a case's period of `months` months, holidays counted."""
    found = getattr(k, "property_found", None)
    start = k.filed if (found is None or k.act_obligation) else found
    d = add_months(start, months) + dt.timedelta(days=k.excluded_days)
    while rest_day(s, d):
        d += dt.timedelta(days=1)
    return d


def art237_last_day(s, k) -> dt.date:
    """Last day of the Art. 237 period: six months, whatever the rules say."""
    return last_day(s, k, STATUTORY_MONTHS)


def clock_run(s, k) -> bool:
    """Is the plan date strictly after the last day of the Art. 237 period?"""
    return s.period.start > art237_last_day(s, k)


def watch_run(s, k) -> bool:
    """Past the planner's watch period for 督促, and not past the statutory six months."""
    months = getattr(s.rules, "watch_months", None)
    return months is not None and s.period.start > last_day(s, k, months) and not clock_run(s, k)
