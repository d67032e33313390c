"""The cases of a scenario as columns: one tuple per field, in case order.

A national scenario has 300,000 cases (执行案件) with 400,000 assets (财产); as pydantic records
they take two gigabytes and seconds to build, while reading, the cross-record checks and
`Problem.from_scenario` each want a few fields of every case. So a scenario file's case records
are validated straight into columns (`CASE_ROWS`: the `Case` model's own fields and constraints,
each record as a plain tuple), and the scenario's `cases` is a `CaseSequence`: a `Case` record
is made from the columns when one is asked for (the few places that need a whole case: a
message, a report line, an edited copy), equal to the one validation would have made.

A scenario whose cases are records (built in code, or edited) gets its columns gathered in one
pass over the records, kept for the last such scenario while it lives (a reading, its checks and
its problem follow each other). A `Scenario` is frozen, so its cases cannot change under them.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import chain, islice, repeat
from operator import contains, itemgetter, methodcaller
from typing import Annotated, Any, NotRequired, overload

import numpy as np
from numpy.typing import NDArray
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo
from typing_extensions import TypedDict

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


_COLUMN_NAMES = tuple(f.name for f in fields(CaseColumns))
_CASE_FIELDS = ("id", "court", "filed", "excluded_days", "amount", "workload", "property_found",
                "debtor_id", "act_obligation", "prior_action")
_PARTY_FIELDS = tuple(Party.model_fields)  # name, kind, place
_ASSET_FIELDS = tuple(Asset.model_fields)  # id, kind, place, value

# ------------------------------------------------------------ case records validated as columns
# The same fields, types and constraints as the `Case`, `Party`, `Asset`, `CaseFlags` and
# `ApplicantWish` models (taken from them, so a rule lives in one place), validated as typed
# dicts that are handed, as each is validated, to a `CaseCollector`; it turns them into columns
# a chunk at a time: no model instance and no field set is made, and no more than a chunk of
# dicts lives at once.
_KEY_SETS: dict[frozenset[str], frozenset[str]] = {}  # bounded: subsets of a record's fields
_TYPED_DICT: Any = TypedDict  # (made from the models' fields: no static type)


def _typed_dict(model: type[BaseModel], nested: dict[str, Any]) -> Any:
    """A TypedDict with `model`'s fields (`nested` replaces some types); optional fields are
    NotRequired, so the validated dict holds only the keys the file gave."""
    annotations: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        kind = nested.get(name, f.annotation)
        if f.metadata:
            kind = Annotated[kind, *f.metadata]
        annotations[name] = kind if f.is_required() else NotRequired[kind]
    out = _TYPED_DICT(f"{model.__name__}Record", annotations)
    out.__pydantic_config__ = ConfigDict(extra="forbid")
    return out


def _defaults(model: type[BaseModel]) -> dict[str, Any]:
    return {name: f.default for name, f in model.model_fields.items() if not f.is_required()}


def _by_field(records: list[dict[str, Any]], model: type[BaseModel],
              defaults: dict[str, Any]) -> tuple[dict[str, Sequence[Any]], list[frozenset[str]]]:
    """The values of each of `model`'s fields over validated `records` (`defaults` where a
    record left the field out), and the keys each record gave.

    The validated dicts hold their keys in the model's field order (the first one is checked),
    so records that gave the same fields (usually all of a chunk: each optional field is in
    every record or in none) are transposed whole; others are read field by field."""
    n = len(records)
    optional = {name: sum(map(contains, records, repeat(name, n))) for name in defaults}
    names = [name for name in model.model_fields if optional.get(name, n) == n]
    if all(count in (0, n) for count in optional.values()) and (not n or list(records[0]) == names):
        out: dict[str, Sequence[Any]] = dict(zip(
            names, zip(*map(dict.values, records), strict=True), strict=True) if n else ())
        for name, count in optional.items():
            if not count:
                out[name] = [defaults[name]] * n
        keys = frozenset(names)
        return out, [_KEY_SETS.setdefault(keys, keys)] * n
    out = {name: list(map(methodcaller("get", name, defaults[name]) if name in defaults
                          else itemgetter(name), records)) for name in model.model_fields}
    sets = list(map(frozenset, records))
    return out, list(map(_KEY_SETS.setdefault, sets, sets))


class CaseCollector:
    """Receives the validated case records of one reading (`CASE_ROWS`, as the validation
    context) and keeps them as columns."""

    CHUNK = 256  # dicts kept before they become columns (small: they stay in the cache)

    def __init__(self) -> None:
        self._chunk: list[dict[str, Any]] = []
        self._columns: dict[str, list[Any]] = {name: [] for name in _COLUMN_NAMES}

    def add(self, record: dict[str, Any]) -> None:
        self._chunk.append(record)
        if len(self._chunk) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        chunk, out = self._chunk, self._columns
        self._chunk = []
        case, given = _by_field(chunk, Case, _CASE_DEFAULTS)
        out["given"] += given
        for name in _CASE_FIELDS:
            out[name] += case[name]
        for role in ("applicant", "debtor"):
            party, _ = _by_field(list(case[role]), Party, {})
            for name in _PARTY_FIELDS:
                out[f"{role}_{name}"] += party[name]
        for block, model in (("flags", CaseFlags), ("wish", ApplicantWish)):
            values, given = _by_field(list(case[block]), model, _defaults(model))
            out[f"{block}_given"] += given
            for name in model.model_fields:
                out[name] += values[name]
        out["asset_count"] += map(len, case["assets"])
        flat = list(chain.from_iterable(case["assets"]))
        if flat:
            assets, _ = _by_field(flat, Asset, {})
            for name in _ASSET_FIELDS:
                out[f"asset_{name}"] += assets[name]

    def columns(self) -> CaseColumns:
        self._flush()
        return CaseColumns(**{name: tuple(v) for name, v in self._columns.items()})


#: a case left without `flags`, `wish` or `assets` has them empty (their fields' defaults)
_CASE_DEFAULTS = {**_defaults(Case), "flags": {}, "wish": {}, "assets": ()}


def _collect(record: dict[str, Any], info: ValidationInfo) -> None:
    info.context.add(record)  # type: ignore[union-attr]  # (a CaseCollector)


#: a scenario file's `cases` array, each record validated into the `CaseCollector` passed as
#: the validation context (what is left in the array is None)
_PARTY_RECORD, _ASSET_RECORD = _typed_dict(Party, {}), _typed_dict(Asset, {})
_CASE_RECORD = _typed_dict(Case, {
    "applicant": _PARTY_RECORD, "debtor": _PARTY_RECORD,
    "assets": tuple[_ASSET_RECORD, ...],  # type: ignore[valid-type]  # (made from the models)
    "flags": _typed_dict(CaseFlags, {}), "wish": _typed_dict(ApplicantWish, {})})
CASE_ROWS: Any = tuple[Annotated[_CASE_RECORD, AfterValidator(_collect)], ...]  # type: ignore[valid-type]


# ------------------------------------------------------------ columns gathered from records
def columns_of_records(cases: Sequence[Case]) -> CaseColumns:
    """The columns of `Case` records (one pass)."""
    out: dict[str, list[Any]] = {name: [] for name in _COLUMN_NAMES}
    for k in cases:
        for name in _CASE_FIELDS:
            out[name].append(getattr(k, name))
        for role, party in (("applicant", k.applicant), ("debtor", k.debtor)):
            for name in _PARTY_FIELDS:
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
            for name in _ASSET_FIELDS:
                out[f"asset_{name}"].append(getattr(a, name))
    return CaseColumns(**{name: tuple(v) for name, v in out.items()})


# ------------------------------------------------------------ records made from the columns
_set = object.__setattr__


def _record(model: type[BaseModel], values: dict[str, Any], given: frozenset[str]) -> Any:
    """A `model` instance holding `values` (already validated), as `model_construct` makes it
    but without its per-field work."""
    out = model.__new__(model)
    _set(out, "__dict__", values)
    _set(out, "__pydantic_fields_set__", set(given))
    _set(out, "__pydantic_extra__", None)
    _set(out, "__pydantic_private__", None)
    return out


_ALL_PARTY = frozenset(_PARTY_FIELDS)
_ALL_ASSET = frozenset(_ASSET_FIELDS)


def _case_from(c: dict[str, Any], assets: Iterable[tuple[Any, ...]]) -> Case:
    """The `Case` of one row of columns (`c`: a value per column name; its asset rows)."""
    case: Case = _record(Case, {
        **{name: c[name] for name in _CASE_FIELDS[:7]},
        "applicant": _record(Party, {name: c[f"applicant_{name}"] for name in _PARTY_FIELDS},
                             _ALL_PARTY),
        "debtor": _record(Party, {name: c[f"debtor_{name}"] for name in _PARTY_FIELDS},
                          _ALL_PARTY),
        "debtor_id": c["debtor_id"],
        "assets": tuple(_record(Asset, dict(zip(_ASSET_FIELDS, a, strict=True)), _ALL_ASSET)
                        for a in assets),
        "act_obligation": c["act_obligation"],
        "flags": _record(CaseFlags, {name: c[name] for name in CaseFlags.model_fields},
                         c["flags_given"]),
        "wish": _record(ApplicantWish, {name: c[name] for name in ApplicantWish.model_fields},
                        c["wish_given"]),
        "prior_action": c["prior_action"],
    }, c["given"])
    return case


_FLAT_ASSET_NAMES = tuple(f"asset_{name}" for name in _ASSET_FIELDS)
_ROW_NAMES = tuple(name for name in _COLUMN_NAMES if name not in _FLAT_ASSET_NAMES)


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
            return tuple(map(self.__getitem__, range(len(self))[i]))
        i = range(len(self))[i]  # (negative indices; IndexError beyond the end)
        cols = self.columns
        if self._asset_start is None:
            self._asset_start = np.concatenate(([0], np.cumsum(cols.asset_counts())))
        first, count = int(self._asset_start[i]), cols.asset_count[i]
        assets = zip(*(getattr(cols, name)[first:first + count] for name in _FLAT_ASSET_NAMES),
                     strict=True)
        return _case_from({name: getattr(cols, name)[i] for name in _ROW_NAMES}, assets)

    def __iter__(self) -> Iterator[Case]:
        cols = self.columns
        assets = zip(*(getattr(cols, name) for name in _FLAT_ASSET_NAMES), strict=True)
        for row in zip(*(getattr(cols, name) for name in _ROW_NAMES), strict=True):
            c = dict(zip(_ROW_NAMES, row, strict=True))
            yield _case_from(c, islice(assets, c["asset_count"]))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # (a tuple of cases is not hashable either)

    def __repr__(self) -> str:
        return f"CaseSequence({len(self)} cases)"


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

