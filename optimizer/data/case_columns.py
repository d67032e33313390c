"""The cases of a scenario as columns: one tuple per field, in case order.

A national scenario has 300,000 cases (执行案件) with 400,000 assets (财产); as pydantic records
they take two gigabytes and seconds to build, while reading, the cross-record checks and
`Problem.from_scenario` each want a few fields of every case. So a scenario file's case records
are validated straight into columns (`case_rows.py`: the `Case` model's own fields and
constraints, no record made), and the scenario's `cases` is a `CaseSequence`: a `Case` record
is made from the columns when one is asked for (the few places that need a whole case: a
message, a report line, an edited copy), equal to the one validation would have made.

A scenario whose cases are records (built in code, or edited) gets its columns gathered in one
pass over the records, kept for the last such scenario while it lives (a reading, its checks and
its problem follow each other). A `Scenario` is frozen, so its cases cannot change under them.
"""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from itertools import islice
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel

from optimizer.data.scenario import ApplicantWish, Asset, Case, CaseFlags, Party, Scenario

_EPOCH = dt.date(1970, 1, 1).toordinal()


def days(dates: Sequence[Any], missing: dt.date | None = None) -> NDArray[np.datetime64]:
    """`datetime.date`s (None: `missing`) as datetime64[D] (numpy converts date objects one
    at a time, slowly; ordinals are plain integers)."""
    fill = missing.toordinal() if missing is not None else _EPOCH
    ordinals = np.fromiter((fill if d is None else d.toordinal() for d in dates)
                           if missing is not None else map(dt.date.toordinal, dates),
                           dtype=np.int64, count=len(dates))
    return (ordinals - _EPOCH).astype("datetime64[D]")


@dataclass(frozen=True, eq=False)
class CaseColumns:
    """One tuple per field of `Case`, in case order: the parties' fields, `flags_*` and `wish_*`
    unpacked; `given`, `flags_given` and `wish_given` are the fields each record set (the file's
    keys: a default is not given). The assets (财产) are flat, case after case: `asset_count`
    per case, then one tuple per field of `Asset` (`asset_case()` gives each one's case)."""

    id: tuple[str, ...]
    court: tuple[str, ...]
    filed: tuple[dt.date, ...]
    excluded_days: tuple[int, ...]
    amount: tuple[float, ...]  # 执行标的, yuan (执转破 screening's claims)
    workload: tuple[float, ...]
    property_found: tuple[dt.date | None, ...]
    applicant_name: tuple[str, ...]
    applicant_kind: tuple[str, ...]
    applicant_place: tuple[str, ...]
    debtor_name: tuple[str, ...]
    debtor_kind: tuple[str, ...]
    debtor_place: tuple[str, ...]
    debtor_id: tuple[str, ...]
    asset_count: tuple[int, ...]
    act_obligation: tuple[bool, ...]
    interference: tuple[bool, ...]
    passive_handling: tuple[bool, ...]
    complex: tuple[bool, ...]
    objects_to_transfer: tuple[bool, ...]
    requests_escalation: tuple[bool, ...]
    preferred_court: tuple[str | None, ...]
    prior_action: tuple[str, ...]
    given: tuple[frozenset[str], ...]
    flags_given: tuple[frozenset[str], ...]
    wish_given: tuple[frozenset[str], ...]
    asset_id: tuple[str, ...]
    asset_kind: tuple[str, ...]
    asset_place: tuple[str, ...]
    asset_value: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.id)

    def fields_given(self) -> int:
        """Key/value pairs the file wrote for the cases, nested records included (each party
        and asset gives all its fields: they are required)."""
        return (sum(map(len, self.given)) + sum(map(len, self.flags_given))
                + sum(map(len, self.wish_given)) + 2 * len(Party.model_fields) * len(self)
                + len(Asset.model_fields) * len(self.asset_id))

    def asset_case(self) -> NDArray[np.int64]:
        """Each asset's case (its index)."""
        return np.repeat(np.arange(len(self), dtype=np.int64), self.asset_counts())

    def asset_counts(self) -> NDArray[np.int64]:
        """Assets per case."""
        return np.array(self.asset_count, dtype=np.int64)


COLUMN_NAMES = tuple(f.name for f in fields(CaseColumns))
CASE_FIELDS = ("id", "court", "filed", "excluded_days", "amount", "workload", "property_found",
                "debtor_id", "act_obligation", "prior_action")
PARTY_FIELDS = tuple(Party.model_fields)  # name, kind, place
ASSET_FIELDS = tuple(Asset.model_fields)  # id, kind, place, value

# ------------------------------------------------------------ columns gathered from records
def columns_of_records(cases: Sequence[Case]) -> CaseColumns:
    """The columns of `Case` records (one pass)."""
    out: dict[str, list[Any]] = {name: [] for name in COLUMN_NAMES}
    for k in cases:
        for name in CASE_FIELDS:
            out[name].append(getattr(k, name))
        for role, party in (("applicant", k.applicant), ("debtor", k.debtor)):
            for name in PARTY_FIELDS:
                out[f"{role}_{name}"].append(getattr(party, name))
        for name in CaseFlags.model_fields:
            out[name].append(getattr(k.flags, name))
        for name in ApplicantWish.model_fields:
            out[name].append(getattr(k.wish, name))
        out["given"].append(frozenset(k.__pydantic_fields_set__))
        out["flags_given"].append(frozenset(k.flags.__pydantic_fields_set__))
        out["wish_given"].append(frozenset(k.wish.__pydantic_fields_set__))
        out["asset_count"].append(len(k.assets))
        for a in k.assets:
            for name in ASSET_FIELDS:
                out[f"asset_{name}"].append(getattr(a, name))
    return CaseColumns(**{name: tuple(v) for name, v in out.items()})


# ------------------------------------------------------------ records made from the columns
_set = object.__setattr__
_new = object.__new__


def _record(model: type[BaseModel], values: dict[str, Any], given: frozenset[str]) -> Any:
    """A `model` instance holding `values` (already validated), as `model_construct` makes it
    but without its per-field work."""
    out = _new(model)
    _set(out, "__dict__", values)
    _set(out, "__pydantic_fields_set__", set(given))
    _set(out, "__pydantic_extra__", None)
    _set(out, "__pydantic_private__", None)
    return out


_ALL_PARTY = frozenset(PARTY_FIELDS)
_ALL_ASSET = frozenset(ASSET_FIELDS)
_FLAT_ASSET_NAMES = tuple(f"asset_{name}" for name in ASSET_FIELDS)
#: the columns of one case's row, in this order (the assets apart)
_ROW_NAMES = ("id", "court", "filed", "excluded_days", "amount", "workload", "property_found",
              "applicant_name", "applicant_kind", "applicant_place", "debtor_name", "debtor_kind",
              "debtor_place", "debtor_id", "asset_count", "act_obligation", "interference",
              "passive_handling", "complex", "objects_to_transfer", "requests_escalation",
              "preferred_court", "prior_action", "given", "flags_given", "wish_given")
assert set(_ROW_NAMES) | set(_FLAT_ASSET_NAMES) == set(COLUMN_NAMES)
_ASSET_COUNT = _ROW_NAMES.index("asset_count")


def _case_from(row: tuple[Any, ...], assets: Iterable[tuple[Any, ...]]) -> Case:
    """The `Case` of one row of columns (`_ROW_NAMES`) and its asset rows."""
    (case_id, court, filed, excluded_days, amount, workload, property_found, a_name, a_kind,
     a_place, d_name, d_kind, d_place, debtor_id, _, act_obligation, interference, passive,
     complex_, objects, requests, preferred, prior_action, given, flags_given, wish_given) = row
    case: Case = _record(Case, {
        "id": case_id, "court": court, "filed": filed, "excluded_days": excluded_days,
        "amount": amount, "workload": workload, "property_found": property_found,
        "applicant": _record(Party, {"name": a_name, "kind": a_kind, "place": a_place},
                             _ALL_PARTY),
        "debtor": _record(Party, {"name": d_name, "kind": d_kind, "place": d_place}, _ALL_PARTY),
        "debtor_id": debtor_id,
        "assets": tuple([_record(Asset, {"id": a, "kind": k, "place": p, "value": v}, _ALL_ASSET)
                         for a, k, p, v in assets]),
        "act_obligation": act_obligation,
        "flags": _record(CaseFlags, {"interference": interference, "passive_handling": passive,
                                     "complex": complex_}, flags_given),
        "wish": _record(ApplicantWish, {"objects_to_transfer": objects,
                                        "requests_escalation": requests,
                                        "preferred_court": preferred}, wish_given),
        "prior_action": prior_action,
    }, given)
    return case


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The cycle collector off while many objects are made (a scenario parsed, its cases made
    as records): they make no cycle, and each collection walks all of them again (a third of
    the CPU time of a national file; making its 300,000 records, 12 s instead of 3).
    Afterwards they join the oldest generation directly (`freeze` + `unfreeze` moves them
    without a walk): left in the youngest, the first collection after would walk them all
    (1.5 s nationally), and each older one again as they age."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_on:
            gc.enable()


class CaseSequence(Sequence[Case]):
    """A scenario's cases held as columns: `len`, indexing, slicing and iteration give `Case`
    records made on demand, equal to those validation makes (each time anew: keep the ones you
    need; read many cases' fields from `columns` instead)."""

    __slots__ = ("_asset_start", "columns")

    def __init__(self, columns: CaseColumns):
        self.columns = columns
        self._asset_start: NDArray[np.int64] | None = None

    def __len__(self) -> int:
        return len(self.columns.id)

    @overload
    def __getitem__(self, i: int) -> Case: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Case, ...]: ...

    def __getitem__(self, i: int | slice) -> Case | tuple[Case, ...]:
        if isinstance(i, slice):
            chosen = range(len(self))[i]
            with no_cyclic_gc():
                if chosen.step == 1:
                    return tuple(self._made(chosen.start, chosen.stop))
                return tuple(map(self.__getitem__, chosen))
        i = range(len(self))[i]  # (negative indices; IndexError beyond the end)
        cols = self.columns
        if self._asset_start is None:
            self._asset_start = np.concatenate(([0], np.cumsum(cols.asset_counts())))
        first, count = int(self._asset_start[i]), cols.asset_count[i]
        assets = zip(*(getattr(cols, name)[first:first + count] for name in _FLAT_ASSET_NAMES),
                     strict=True)
        return _case_from(tuple(getattr(cols, name)[i] for name in _ROW_NAMES), assets)

    def __iter__(self) -> Iterator[Case]:
        return self._made(0, len(self))

    def _made(self, start: int, stop: int) -> Iterator[Case]:
        """The records of cases `start` to `stop` (excluded), one after the other."""
        cols = self.columns
        first = int(np.sum(cols.asset_count[:start]))
        assets = zip(*(getattr(cols, name)[first:] if first else getattr(cols, name)
                       for name in _FLAT_ASSET_NAMES), strict=True)
        rows = zip(*(getattr(cols, name)[start:stop] if (start, stop) != (0, len(self))
                     else getattr(cols, name) for name in _ROW_NAMES), strict=True)
        for row in rows:
            count = row[_ASSET_COUNT]
            yield _case_from(row, islice(assets, count) if count else ())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # (a tuple of cases is not hashable either)

    def __repr__(self) -> str:
        return f"CaseSequence({len(self)} cases)"


class CasesById:
    """A scenario's cases by 案号, each record made when asked for (a dict of them all would
    make every record of a national scenario)."""

    def __init__(self, s: Scenario):
        self._cases = s.cases
        self._index = {case_id: i for i, case_id in enumerate(case_columns(s).id)}

    def get(self, case_id: str) -> Case | None:
        i = self._index.get(case_id)
        return None if i is None else self._cases[i]


_last: tuple[weakref.ref[Scenario], CaseColumns] | None = None


def _forget(_gone: weakref.ref[Scenario]) -> None:
    global _last
    if _last is not None and _last[0] is _gone:
        _last = None


def case_columns(s: Scenario) -> CaseColumns:
    """The columns of `s.cases`: its own when it holds columns, else gathered from its records
    (once per scenario object)."""
    global _last
    if isinstance(s.cases, CaseSequence):
        return s.cases.columns
    if _last is not None and _last[0]() is s:
        return _last[1]
    out = columns_of_records(s.cases)
    _last = (weakref.ref(s, _forget), out)
    return out

