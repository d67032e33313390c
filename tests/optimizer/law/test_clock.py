"""The Art. 237 clock in calendar months (optimizer/law/clock.py; docs/law.md rule 5)."""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.law.clock import clock_start, is_overdue, months_elapsed, overdue_on, period_end

D = dt.date


def ref_last_day(start: dt.date, months: int, excluded: int = 0) -> dt.date:
    """Independent scalar reference: corresponding day of the end month, else its last day, plus the
    excluded days."""
    y, m0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m0 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(days=excluded)


def ref_overdue(start: dt.date, plan: dt.date, months: int = 6, excluded: int = 0) -> bool:
    return plan > ref_last_day(start, months, excluded)


def end(start: dt.date, months: int = 6, excluded: int = 0) -> dt.date:
    a = period_end(np.array([start], dtype="datetime64[D]"), months, np.array([excluded]))
    return a[0].astype(dt.date)


@pytest.mark.parametrize(("filed", "months", "last"), [
    (D(2024, 1, 15), 6, D(2024, 7, 15)),    # ordinary day
    (D(2024, 1, 31), 6, D(2024, 7, 31)),    # the 31st, end month has a 31st
    (D(2024, 3, 31), 6, D(2024, 9, 30)),    # the 31st, end month has 30 days
    (D(2023, 8, 31), 6, D(2024, 2, 29)),    # leap year: 02-29
    (D(2024, 8, 31), 6, D(2025, 2, 28)),    # non-leap year: 02-28
    (D(2023, 8, 29), 6, D(2024, 2, 29)),    # leap year has the 29th
    (D(2024, 8, 29), 6, D(2025, 2, 28)),    # non-leap year has no 29th
    (D(2024, 2, 29), 6, D(2024, 8, 29)),    # filed on 29 February
    (D(2024, 2, 29), 12, D(2025, 2, 28)),   # 29 February + a year, non-leap
    (D(2023, 2, 28), 6, D(2023, 8, 28)),    # a month end is not "the last day": corresponding day
    (D(2024, 7, 15), 6, D(2025, 1, 15)),    # across the year end
    (D(2024, 1, 31), 1, D(2024, 2, 29)),    # months other than 6
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 5, 31), 3, D(2024, 8, 31)),
    (D(2024, 11, 30), 3, D(2025, 2, 28)),
    (D(2024, 5, 10), 0, D(2024, 5, 10)),
])
def test_period_end_by_hand(filed: dt.date, months: int, last: dt.date) -> None:
    assert end(filed, months) == last
    assert ref_last_day(filed, months) == last


@pytest.mark.parametrize(("filed", "last"), [
    (D(2024, 1, 15), D(2024, 7, 15)),
    (D(2023, 8, 31), D(2024, 2, 29)),
    (D(2024, 8, 31), D(2025, 2, 28)),
    (D(2024, 3, 31), D(2024, 9, 30)),
])
def test_day_before_on_after_last_day(filed: dt.date, last: dt.date) -> None:
    one = dt.timedelta(days=1)
    assert not overdue_on(filed, last - one)
    assert not overdue_on(filed, last)          # "超过" six months: not yet on the last day
    assert overdue_on(filed, last + one)


@pytest.mark.parametrize(("filed", "plan", "net_days"), [
    (D(2024, 1, 31), D(2024, 7, 31), 182),
    (D(2024, 3, 1), D(2024, 9, 1), 184),
    (D(2023, 8, 31), D(2024, 2, 29), 182),
    (D(2024, 8, 31), D(2025, 2, 28), 181),
    (D(2024, 7, 1), D(2025, 1, 1), 184),
])
def test_old_day_rule_is_wrong(filed: dt.date, plan: dt.date, net_days: int) -> None:
    """181–184 net days: over 180 days (the old rule said overdue), yet still inside six months."""
    assert (plan - filed).days == net_days > 180
    assert not overdue_on(filed, plan)


def test_excluded_days_push_back_under_the_line() -> None:
    filed, last = D(2024, 1, 15), D(2024, 7, 15)
    plan = D(2024, 8, 1)                           # 17 days past the plain last day
    assert overdue_on(filed, plan)
    assert overdue_on(filed, plan, excluded_days=16)
    assert not overdue_on(filed, plan, excluded_days=17)   # last day becomes 08-01
    assert not overdue_on(filed, plan, excluded_days=90)
    assert end(filed, 6, 17) == D(2024, 8, 1)
    assert end(filed, 6, 0) == last
    # exclusions are added after the month arithmetic: 08-31 + 6 months = 02-28, + 1 day = 03-01
    assert end(D(2024, 8, 31), 6, 1) == D(2025, 3, 1)


def test_months_other_than_six() -> None:
    assert not overdue_on(D(2024, 1, 31), D(2024, 2, 29), months=1)
    assert overdue_on(D(2024, 1, 31), D(2024, 3, 1), months=1)
    assert not overdue_on(D(2024, 1, 15), D(2025, 1, 15), months=12)
    assert overdue_on(D(2024, 1, 15), D(2025, 1, 16), months=12)


def test_vectorised_and_plan_date_types() -> None:
    filed = np.array(["2024-01-31", "2024-01-15", "2023-08-31", "2024-03-01"], dtype="datetime64[D]")
    excl = np.array([0, 0, 0, 10], dtype=np.int64)
    plan = D(2024, 7, 31)
    want = [False, True, True, False]
    assert is_overdue(filed, excl, plan).tolist() == want
    assert is_overdue(filed, excl, np.datetime64("2024-07-31")).tolist() == want
    assert period_end(filed, 6, excl).dtype == np.dtype("datetime64[D]")
    assert months_elapsed(filed, excl, plan).tolist() == [5, 6, 10, 4]


def test_property_found_restarts_the_clock() -> None:
    """执行程序解释 Art. 10(2): property found later starts the clock on the day it was found."""
    filed = np.array(["2023-01-10", "2023-01-10"], dtype="datetime64[D]")
    found = np.array(["NaT", "2024-03-05"], dtype="datetime64[D]")
    start = clock_start(filed, found)
    assert start.tolist() == [D(2023, 1, 10), D(2024, 3, 5)]
    assert is_overdue(start, np.zeros(2, np.int64), D(2024, 6, 1)).tolist() == [True, False]


def test_nat_start_is_never_overdue() -> None:
    start = np.array(["NaT", "2024-01-01"], dtype="datetime64[D]")
    assert is_overdue(start, np.zeros(2, np.int64), D(2030, 1, 1)).tolist() == [False, True]
    assert months_elapsed(start, np.zeros(2, np.int64), D(2024, 3, 2)).tolist() == [-1, 2]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="excluded_days"):
        period_end(np.array(["2024-01-01"], dtype="datetime64[D]"), 6, np.array([-1]))
    with pytest.raises(ValueError, match="months"):
        period_end(np.array(["2024-01-01"], dtype="datetime64[D]"), -1, np.array([0]))


dates = st.dates(min_value=D(1999, 1, 1), max_value=D(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(dates, st.integers(0, 400), st.integers(-30, 800)), min_size=1, max_size=40),
       st.integers(0, 30))
def test_matches_scalar_reference(rows: list[tuple[dt.date, int, int]], months: int) -> None:
    starts = np.array([r[0] for r in rows], dtype="datetime64[D]")
    excl = np.array([r[1] for r in rows], dtype=np.int64)
    ends = period_end(starts, months, excl)
    for (s, x, _), e in zip(rows, ends, strict=True):
        assert e.astype(dt.date) == ref_last_day(s, months, x)
    # one plan date for all rows, spread around each row's own last day
    for s, x, offset in rows:
        plan = ref_last_day(s, months, x) + dt.timedelta(days=offset % 5 - 2)
        got = is_overdue(starts, excl, plan, months)
        want = [ref_overdue(a, plan, months, b) for a, b, _ in rows]
        assert got.tolist() == want
        assert overdue_on(s, plan, months, x) == ref_overdue(s, plan, months, x)
        elapsed = months_elapsed(starts, excl, plan)
        if months >= 1:
            assert ((elapsed >= months) == got).all()


def ref_months_elapsed(start: dt.date, plan: dt.date, excluded: int) -> int:
    m = 0
    while ref_last_day(start, m + 1, excluded) < plan:
        m += 1
    return m


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(0, 400), st.integers(-100, 3000))
def test_months_elapsed_matches_reference(start: dt.date, excluded: int, age: int) -> None:
    plan = start + dt.timedelta(days=age)
    got = months_elapsed(np.array([start], dtype="datetime64[D]"), np.array([excluded]), plan)
    assert int(got[0]) == ref_months_elapsed(start, plan, excluded)
