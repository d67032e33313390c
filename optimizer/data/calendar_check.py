"""A scenario's clocks against the holiday calendar (法定休假日, 民事诉讼法第85条第3款).

A day listed both as a holiday and as a working day in the scenario's `calendar` is a defect,
found with the other cross-record checks in `validate.py`. A warning (the file is usable): a
period that decides a case — the Art. 237 six months, or the planner's watch period — ends in a
year whose holiday arrangement neither the shipped notices nor `calendar.covers_years` give.
Its holidays are then unknown, only its weekends counted, so a case may be called overdue a few
days early. Only periods whose verdict a holiday could change are named: those ending before
the plan date by at most `NEAR_DAYS` (one ending later is not overdue whatever the holidays; one
ending a month or more before is overdue whatever they are).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from optimizer.data.case_columns import case_columns, days
from optimizer.data.scenario import Scenario
from optimizer.data.validate import Defect, courts_at_and_below
from optimizer.law.calendar import national_calendar
from optimizer.law.clock import STATUTORY_MONTHS, clock_start, period_end

#: the longest run of rest days a holiday can add to a period, with margin (the longest block,
#: 春节 with its weekends, is nine or ten days)
NEAR_DAYS = 31
_EXAMPLES = 3


def calendar_warnings(s: Scenario) -> list[Defect]:
    """Periods deciding a case that end in a year the holiday calendar does not cover."""
    cal = national_calendar().with_days(s.calendar.holidays, s.calendar.working_days,
                                        s.calendar.covers_years)
    k = case_columns(s)
    if not k.court:
        return []
    plan = np.datetime64(s.period.start, "D")
    filed = days(k.filed)
    found = np.where(np.array([x is None for x in k.property_found], dtype=bool), filed,
                     days(k.property_found, missing=s.period.start))
    start = clock_start(filed, found, np.array(k.act_obligation, dtype=bool))
    excluded = np.array(k.excluded_days, dtype=np.int64)
    district = courts_at_and_below(s, s.dispatcher)
    planned = (np.array([c in district for c in k.court], dtype=bool)
               & ((k.asset_counts() > 0)
                  | np.array(k.act_obligation, dtype=bool)))
    periods = [("民事诉讼法第237条 six months", STATUTORY_MONTHS)]
    if s.rules.watch_months is not None:
        periods.append((f"watch period ({s.rules.watch_months} months)", s.rules.watch_months))
    out = []
    for label, months in periods:
        end = period_end(start, months, excluded)  # before any holiday extension
        gap = (plan - end).astype(np.int64)
        near = planned & (gap > 0) & (gap <= NEAR_DAYS) & ~cal.covers(end)
        by_year: dict[int, list[int]] = defaultdict(list)
        for i in np.flatnonzero(near).tolist():
            by_year[int(str(end[i])[:4])].append(i)
        for year, cases in sorted(by_year.items()):
            shown = ", ".join(f"cases[{i}] {s.cases[i].id}" for i in cases[:_EXAMPLES])
            more = f" and {len(cases) - _EXAMPLES} more" if len(cases) > _EXAMPLES else ""
            out.append(Defect(
                "calendar", None,
                f"the {label} of {len(cases)} case(s) end in {year}, a year whose holidays the "
                f"calendar does not cover ({cal.covered_years()}): only weekends are counted, so "
                f"a holiday on the last day would be missed (民事诉讼法第85条第3款); add that "
                f"year's days under `calendar` (holidays, working_days, covers_years): {shown}{more}"))
    return out
