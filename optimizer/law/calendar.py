"""法定休假日: when a period ends on a rest day, it ends on the next working day.

The law (texts in ``/work/shared/law``; quotes verbatim)
-------------------------------------------------------
* 民事诉讼法 (2023) 第八十五条第一款: "期间包括法定期间和人民法院指定的期间。" — the Art. 237 six
  months are a 法定期间; a planner's watch period for 督促 is counted the same way.
* 第八十五条第三款: "期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期。"

Which days are 法定休假日 (outside the folder: check before quoting in a ruling): the Saturdays and
Sundays (国务院关于职工工作时间的规定 第七条: "星期六和星期日为周休息日"), except the weekend days
the State Council's annual notice makes working days (调休上班), and the days the notice gives off
(放假). The notices of 2024–2026 ship as package data (`holidays.json`, each year's notice named
with its number, date and where it was published); a scenario's `calendar` block adds days or
overrides them (a later year's notice, a correction).

"以法定休假日后的第一日": after a run of rest days (a weekend, a holiday block), the first day that is
not one — the next working day.

All functions are vectorised over ``datetime64[D]`` arrays.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Calendar", "HolidayNotice", "national_calendar", "notices"]

#: a run of rest days never lasts longer than this (the longest block plus its weekends is
#: about ten days; a scenario may add more, up to a year)
_MAX_RUN = 400


@dataclass(frozen=True)
class HolidayNotice:
    """One year's arrangement as the State Council published it."""

    year: int
    title: str
    number: str  # 国办发明电〔…〕…号
    issued: dt.date
    holidays: tuple[tuple[str, dt.date, dt.date, int], ...]  # (festival, first, last, days)
    working_days: tuple[dt.date, ...]  # 调休上班的周末

    def citation(self) -> str:
        return f"{self.title}（{self.number}，{self.issued.isoformat()}）"


@cache
def notices() -> tuple[HolidayNotice, ...]:
    """The shipped notices, by year."""
    raw: dict[str, Any] = json.loads(
        resources.files("optimizer.law").joinpath("holidays.json").read_text(encoding="utf-8"))
    out = []
    for year, y in sorted(raw["years"].items()):
        out.append(HolidayNotice(
            int(year), y["notice"], y["number"], dt.date.fromisoformat(y["issued"]),
            tuple((h["name"], dt.date.fromisoformat(h["from"]), dt.date.fromisoformat(h["to"]),
                   int(h["days"])) for h in y["holidays"]),
            tuple(dt.date.fromisoformat(d) for d in y["working_days"])))
    return tuple(out)


def _day_array(days: Any) -> NDArray[np.datetime64]:
    return np.unique(np.asarray(list(days), dtype="datetime64[D]"))


@dataclass(frozen=True, eq=False)
class Calendar:
    """Rest days and working days: weekends are rest days unless listed as working days;
    `holidays` are rest days whatever the weekday. `years` are those whose whole arrangement is
    known (a period ending in another year is counted with the weekends only)."""

    holidays: NDArray[np.datetime64] = field(default_factory=lambda: _day_array([]))
    working_days: NDArray[np.datetime64] = field(default_factory=lambda: _day_array([]))
    years: frozenset[int] = frozenset()
    sources: tuple[str, ...] = ()

    def with_days(self, holidays: Any = (), working_days: Any = (), years: Any = ()) -> Calendar:
        """This calendar with a scenario's additions: its holidays and working days override
        the shipped ones (a day listed as both is refused by the scenario validator)."""
        extra_h, extra_w = _day_array(holidays), _day_array(working_days)
        keep_h = self.holidays[~np.isin(self.holidays, extra_w)]
        keep_w = self.working_days[~np.isin(self.working_days, extra_h)]
        return Calendar(np.union1d(keep_h, extra_h), np.union1d(keep_w, extra_w),
                        self.years | frozenset(int(y) for y in years), self.sources)

    def is_rest_day(self, days: Any) -> NDArray[np.bool_]:
        """法定休假日: a holiday, or a weekend day that is not a working day."""
        d = np.asarray(days, dtype="datetime64[D]")
        weekday = (d.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
        weekend = (weekday >= 5) & ~np.isin(d, self.working_days)
        return (weekend | np.isin(d, self.holidays)) & ~np.isnat(d)

    def next_working_day(self, days: Any) -> NDArray[np.datetime64]:
        """Each day itself when it is a working day, else the first working day after it
        (民事诉讼法第八十五条第三款). NaT stays NaT."""
        d = np.array(days, dtype="datetime64[D]", copy=True)
        rest = self.is_rest_day(d)
        for _ in range(_MAX_RUN):
            if not rest.any():
                return d
            d[rest] += np.timedelta64(1, "D")
            rest[rest] = self.is_rest_day(d[rest])
        raise ValueError(f"more than {_MAX_RUN} rest days in a row: check the calendar")

    def covers(self, days: Any) -> NDArray[np.bool_]:
        """Is the year of each day one whose holiday arrangement is known?"""
        d = np.asarray(days, dtype="datetime64[D]")
        year = d.astype("datetime64[Y]").astype(np.int64) + 1970
        return np.isin(year, np.array(sorted(self.years), dtype=np.int64))

    def covered_years(self) -> str:
        """The years covered, as a short text ("2024–2026")."""
        years = sorted(self.years)
        if not years:
            return "none"
        if years == list(range(years[0], years[-1] + 1)) and len(years) > 1:
            return f"{years[0]}–{years[-1]}"
        return "、".join(map(str, years))


@cache
def national_calendar() -> Calendar:
    """The State Council's arrangements 2024–2026 (package data)."""
    hol: list[np.datetime64] = []
    work: list[dt.date] = []
    for n in notices():
        for _name, first, last, _days in n.holidays:
            hol.extend(np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1))
        work.extend(n.working_days)
    return Calendar(_day_array(hol), _day_array(work), frozenset(n.year for n in notices()),
                    tuple(n.citation() for n in notices()))
