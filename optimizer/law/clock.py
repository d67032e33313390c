"""The Art. 237 clock: "six months unexecuted", counted in calendar months.

The law (texts in ``/work/shared/law``; quotes verbatim)
-------------------------------------------------------
* 民事诉讼法 (2023) 第二百三十七条 (numbered 第二百二十六条 in the 2012/2017 text that the 2020
  执行程序解释 still cites): "人民法院自收到申请执行书之日起超过六个月未执行的，申请执行人可以向上一级
  人民法院申请执行。……"
* 执行程序解释 (2020) 第十条: the six months run "自收到申请执行书之日起" for property the debtor had
  when the application was filed (（一）) and for acts (（三）: "对法律文书确定的行为义务的执行，执行
  法院自收到申请执行书之日起超过六个月未依法采取相应执行措施的"), but "执行过程中发现被执行人可供执行的
  财产，执行法院自发现财产之日起超过六个月对该财产未执行完结的" (（二）): for property found later
  the start event is the day it was found.  `clock_start` picks that date where a case records it,
  except for an obligation to act: its clock runs from filing whatever property is found later
  (a later find starts a clock for that property, never a new one for the act).
* 民事诉讼法 第八十五条第二款: "期间以时、日、月、年计算。期间开始的时和日，不计算在期间内。" and
  民诉法解释 (2022) 第一百二十五条: "……以日、月、年计算的期间从次日起算。"  The start day is therefore
  not counted; the period starts the next day.
* Month arithmetic: the period is counted in calendar months, not in days.  The last day is the day of
  the end month that corresponds to the start day, or the end month's last day where it has no such day
  (filed 08-31, six months → last day 02-28, or 02-29 in a leap year).  This is the convention of
  民法典 第二百零二条 (按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，为当月的末日).
  NOTE: the 民法典 is *not* among the texts in ``/work/shared/law``; that sentence is quoted from outside
  this folder and should be checked against an official text before it is printed in a ruling.  The
  procedural texts in the folder only say that periods may be counted in months (CPL Art. 85) and that
  counting starts the next day (解释 Art. 125).
* 执行程序解释 第十三条: "民事诉讼法第二百二十六条规定的六个月期间，不应当计算执行中的公告期间、鉴定评估
  期间、管辖争议处理期间、执行争议协调期间、暂缓执行期间以及中止执行期间。"  The case's
  ``excluded_days`` (the sum of those periods) push the last day later by that many days.
* "超过六个月" (more than six months): the case is overdue when the plan date is strictly after the
  (extended) last day.  On the last day itself it is not yet overdue.

* 民事诉讼法 第八十五条第三款: "期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的
  日期。"  Given a `Calendar` (`optimizer/law/calendar.py`: weekends, the State Council's holidays
  and 调休 working days), `period_end` moves a last day that is a rest day to the next working day,
  after the excluded days are added (the extension applies to the day the period actually ends).

The old rule of this project, "net days > 180", is wrong: six calendar months are 181–184 days, so a case
at 181–184 net days may still be inside its period (filed 01-31, plan 07-31: 182 days, not overdue).

All functions are vectorised over cases; dates are ``datetime64[D]``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from optimizer.law.calendar import Calendar

#: the six months of 民事诉讼法第237条: statutory, not a setting
STATUTORY_MONTHS = 6

__all__ = [
    "STATUTORY_MONTHS",
    "clock_start",
    "is_overdue",
    "months_elapsed",
    "overdue_on",
    "period_end",
]

DateLike = dt.date | np.datetime64


def _days(x: Any) -> NDArray[np.datetime64]:
    """Dates (array, list of `datetime.date`, strings) as ``datetime64[D]``."""
    return np.asarray(x, dtype="datetime64[D]")


def _day(x: DateLike) -> np.datetime64:
    if isinstance(x, np.datetime64):
        return x.astype("datetime64[D]")
    return np.datetime64(x, "D")


def _ints(x: ArrayLike, n: int | None = None) -> NDArray[np.int64]:
    a = np.asarray(x, dtype=np.int64)
    if n is not None and a.ndim == 0:
        a = np.full(n, int(a), dtype=np.int64)
    return a


def _add_months(start: NDArray[np.datetime64], months: NDArray[np.int64] | int) -> NDArray[np.datetime64]:
    """The day of month ``month(start) + months`` corresponding to ``start``'s day, clipped to that
    month's last day (民法典 Art. 202 convention)."""
    first = start.astype("datetime64[M]")
    day0 = (start - first.astype("datetime64[D]")).astype(np.int64)  # 0-based day of month
    end_month = first + np.asarray(months, dtype="timedelta64[M]")
    end_first = end_month.astype("datetime64[D]")
    month_len = ((end_month + 1).astype("datetime64[D]") - end_first).astype(np.int64)
    return end_first + np.minimum(day0, month_len - 1).astype("timedelta64[D]")


def clock_start(filed: Any, property_found: Any = None,
                act_obligation: Any = None) -> NDArray[np.datetime64]:
    """The start event of the clock per case: the filing date (收到申请执行书之日, Art. 237 and
    执行程序解释 Art. 10(1)/(3)), or the date property was found during execution (发现财产之日,
    执行程序解释 Art. 10(2)) where the case records one (NaT = not recorded) — but never for an
    obligation to act (`act_obligation`): Art. 10(3) counts it from filing, and a later find
    does not restart it."""
    f = _days(filed)
    if property_found is None:
        return f
    p = _days(property_found)
    start = np.where(np.isnat(p), f, p)
    if act_obligation is not None:
        start = np.where(np.asarray(act_obligation, dtype=bool), f, start)
    return start


def period_end(start: NDArray[np.datetime64], months: int, excluded_days: NDArray[np.int64],
               calendar: Calendar | None = None) -> NDArray[np.datetime64]:
    """The last day of the period, per case (``datetime64[D]``).

    ``start`` is the start event (not counted: CPL Art. 85 §2, 民诉法解释 Art. 125); the period runs
    ``months`` calendar months to the corresponding day of the end month (or its last day), is then
    extended by ``excluded_days`` (执行程序解释 Art. 13), and, with a ``calendar``, a last day that
    is a 法定休假日 becomes the next working day (CPL Art. 85 §3).  NaT starts give NaT.
    """
    if months < 0:
        raise ValueError("months must be >= 0")
    s = _days(start)
    excl = _ints(excluded_days, s.size if s.ndim else None)
    if np.any(excl < 0):
        raise ValueError("excluded_days must be >= 0")
    last = _add_months(s, months) + excl.astype("timedelta64[D]")
    return last if calendar is None else calendar.next_working_day(last)


def is_overdue(start: NDArray[np.datetime64], excluded_days: NDArray[np.int64],
               plan_date: DateLike, months: int = STATUTORY_MONTHS,
               calendar: Calendar | None = None) -> NDArray[np.bool_]:
    """True where more than ``months`` months have passed (超过六个月, CPL Art. 237): the plan date is
    strictly after the last day of the period extended by the excluded days (and, with a
    ``calendar``, by the rest days it ends on).  NaT starts are False."""
    return period_end(start, months, excluded_days, calendar) < _day(plan_date)


def months_elapsed(start: NDArray[np.datetime64], excluded_days: NDArray[np.int64],
                   plan_date: DateLike) -> NDArray[np.int64]:
    """Net whole months fully passed at the plan date, for display: the largest ``m >= 0`` with
    ``period_end(start, m, excluded_days) < plan_date``.  ``is_overdue(..., months=m)`` holds exactly
    when ``months_elapsed(...) >= m`` (for ``m >= 1``) without a calendar (the holiday extension
    is left out of this display figure).  NaT starts give -1."""
    s = _days(start)
    excl = _ints(excluded_days, s.size if s.ndim else None)
    # end(m) + excl < plan  <=>  end(m) < plan - excl
    eff = _day(plan_date) - excl.astype("timedelta64[D]")
    nat = np.isnat(s)
    s_ok = np.where(nat, eff, s)
    m = (eff.astype("datetime64[M]") - s_ok.astype("datetime64[M]")).astype(np.int64)
    m = np.maximum(m, 0)
    # end(m) lies in the month of eff: it counts only when strictly before eff; end(m-1) always does
    m = np.where(_add_months(s_ok, m) < eff, m, m - 1)
    return np.where(nat, -1, np.maximum(m, 0))


def overdue_on(filed: dt.date, plan_date: dt.date, months: int = STATUTORY_MONTHS,
               excluded_days: int = 0, calendar: Calendar | None = None) -> bool:
    """Scalar form of `is_overdue` for one case started on ``filed``."""
    return bool(is_overdue(_days([filed]), np.array([excluded_days], dtype=np.int64), plan_date,
                           months, calendar)[0])
