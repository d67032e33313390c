"""A scenario file's case records validated straight into columns (`CaseColumns`).

The same fields, types and constraints as the `Case`, `Party`, `Asset`, `CaseFlags` and
`ApplicantWish` models (taken from them, so a rule lives in one place), validated as typed dicts
that are handed, as each is validated, to a `CaseCollector`; it turns them into columns a chunk
at a time: no model instance and no field set is made, and no more than a chunk of dicts lives
at once (a national scenario's 300,000 cases as pydantic records took two gigabytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, repeat
from operator import contains, itemgetter, methodcaller
from typing import Annotated, Any, NotRequired

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationInfo
from typing_extensions import TypedDict

from optimizer.data.case_columns import (
    ASSET_FIELDS,
    CASE_FIELDS,
    COLUMN_NAMES,
    PARTY_FIELDS,
    CaseColumns,
)
from optimizer.data.scenario import ApplicantWish, Asset, Case, CaseFlags, Party

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
    if not n:
        return {name: [] for name in model.model_fields}, []
    optional = {name: sum(map(contains, records, repeat(name, n))) for name in defaults}
    names = [name for name in model.model_fields if optional.get(name, n) == n]
    if all(count in (0, n) for count in optional.values()) and list(records[0]) == names:
        out: dict[str, Sequence[Any]] = dict(zip(
            names, zip(*map(dict.values, records), strict=True), strict=True))
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
        self._columns: dict[str, list[Any]] = {name: [] for name in COLUMN_NAMES}

    def add(self, record: dict[str, Any]) -> None:
        self._chunk.append(record)
        if len(self._chunk) >= self.CHUNK:
            self._flush()

    def _flush(self) -> None:
        chunk, out = self._chunk, self._columns
        self._chunk = []
        case, given = _by_field(chunk, Case, _CASE_DEFAULTS)
        out["given"] += given
        for name in CASE_FIELDS:
            out[name] += case[name]
        for role in ("applicant", "debtor"):
            party, _ = _by_field(list(case[role]), Party, {})
            for name in PARTY_FIELDS:
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
            for name in ASSET_FIELDS:
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
CASE_RECORD = _typed_dict(Case, {
    "applicant": _PARTY_RECORD, "debtor": _PARTY_RECORD,
    "assets": tuple[_ASSET_RECORD, ...],  # type: ignore[valid-type]  # (made from the models)
    "flags": _typed_dict(CaseFlags, {}), "wish": _typed_dict(ApplicantWish, {})})
CASE_ROWS: Any = tuple[Annotated[CASE_RECORD, AfterValidator(_collect)], ...]  # type: ignore[valid-type]
