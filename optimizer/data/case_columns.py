"""The fields of a scenario's cases as columns, gathered in one pass over the records.

Reading, the cross-record checks and `Problem.from_scenario` each need several fields of every
case; at 300,000 cases each pass over the pydantic records costs a tenth of a second or more
(the records are scattered over two gigabytes), so they are gathered once, in one pass, and
kept for the scenario they came from while it lives (the last one only: a reading, its checks
and its problem follow each other). A `Scenario` is frozen, so its cases cannot change under
the columns.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from optimizer.data.scenario import Scenario

_EPOCH = dt.date(1970, 1, 1).toordinal()


def days(dates: tuple[Any, ...], missing: dt.date | None = None) -> NDArray[np.datetime64]:
    """`datetime.date`s (None: `missing`) as datetime64[D] (numpy converts date objects one
    at a time, slowly; ordinals are plain integers)."""
    fill = missing.toordinal() if missing is not None else _EPOCH
    ordinals = np.fromiter((fill if d is None else d.toordinal() for d in dates)
                           if missing is not None else map(dt.date.toordinal, dates),
                           dtype=np.int64, count=len(dates))
    return (ordinals - _EPOCH).astype("datetime64[D]")


@dataclass(frozen=True)
class CaseColumns:
    """One tuple per field, in case order (`flags_*` and `wish_*` unpacked)."""

    court: tuple[str, ...]
    workload: tuple[float, ...]
    applicant_place: tuple[str, ...]
    debtor_place: tuple[str, ...]
    debtor_kind: tuple[str, ...]
    debtor_id: tuple[str, ...]
    filed: tuple[Any, ...]  # datetime.date
    property_found: tuple[Any, ...]  # datetime.date or None
    excluded_days: tuple[int, ...]
    act_obligation: tuple[bool, ...]
    prior_action: tuple[str, ...]
    assets: tuple[tuple[Any, ...], ...]  # each case's `Asset` records
    fields_given: tuple[int, ...]  # fields the file gave: the case's, its flags' and wish's
    interference: tuple[bool, ...]
    passive_handling: tuple[bool, ...]
    complex: tuple[bool, ...]
    objects_to_transfer: tuple[bool, ...]
    requests_escalation: tuple[bool, ...]
    preferred_court: tuple[str | None, ...]
    amount: tuple[float, ...]  # 执行标的, yuan (执转破 screening's claims)


_last: tuple[weakref.ref[Scenario], CaseColumns] | None = None


def _forget(_gone: weakref.ref[Scenario]) -> None:
    global _last
    if _last is not None and _last[0] is _gone:
        _last = None


def _row(k: Any) -> tuple[Any, ...]:
    f, w = k.flags, k.wish
    return (k.court, k.workload, k.applicant.place, k.debtor.place, k.debtor.kind, k.debtor_id,
            k.filed, k.property_found, k.excluded_days, k.act_obligation, k.prior_action,
            k.assets, len(k.__pydantic_fields_set__) + len(f.__pydantic_fields_set__)
            + len(w.__pydantic_fields_set__), f.interference, f.passive_handling, f.complex,
            w.objects_to_transfer, w.requests_escalation, w.preferred_court, k.amount)


def case_columns(s: Scenario) -> CaseColumns:
    """The columns of `s.cases` (gathered once per scenario object)."""
    global _last
    if _last is not None and _last[0]() is s:
        return _last[1]
    n = len(CaseColumns.__dataclass_fields__)
    cols = list(zip(*map(_row, s.cases), strict=True)) if s.cases else [()] * n
    out = CaseColumns(*cols)
    _last = (weakref.ref(s, _forget), out)
    return out
