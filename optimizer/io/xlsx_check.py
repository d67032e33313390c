"""The checks of a workbook's records, all in one round: each record's own fields (ranges, lengths),
then the checks across records (`check_scenario`: filing dates against the planning date, parents,
caseloads…) on every record that passed its own — whatever the cells got wrong. Each defect is
named by the sheet, row and column its value came from, in both languages.

A record whose own check failed is left out of the checks across records, and what they would
then say only because it is missing (a court "not defined" because its row had a bad number) is
not said: the planner sees each real defect once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from optimizer.data.scenario import Case, Court, Period, Place, Scenario
from optimizer.data.validate import Defect, check_scenario
from optimizer.io.xlsx_columns import ASSETS, CASES, COURTS, PLACES, SheetSpec
from optimizer.io.xlsx_messages import check_message, field_message

_PATH = re.compile(r"^(courts|cases|places)\[(\d+)\](?:\.assets\[(\d+)\])?\.?(.*)$")
_NOT_DEFINED = re.compile(r"'(.*)' is not defined$")
_NO_CASE = re.compile(r"holds no case to plan$")
_MAX_LISTED = 1000
#: where the cross-record checks read the planning date when the 场景 sheet has none: far
#: enough that no filing date is "after" it (that would be a defect of the missing date)
_NO_PERIOD = Period(start=dt.date(9999, 12, 30), end=dt.date(9999, 12, 31))


class Cell(NamedTuple):
    sheet: str
    row: int | None
    column: str | None

    def __str__(self) -> str:
        return self.sheet + (f"!第{self.row}行" if self.row is not None else "") + \
            (f" {self.column}" if self.column else "")


@dataclass
class Where:
    """Where each record came from, to name a defect by its cell."""

    courts: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    assets: dict[tuple[int, int], int] = field(default_factory=dict)
    places: dict[int, int | None] = field(default_factory=dict)
    keys: dict[str, tuple[str, int]] = field(default_factory=dict)  # "period.start" → (sheet, row)


def _header(spec: SheetSpec, tail: str) -> str:
    tail = re.sub(r"\[\d+\]$", "", tail)
    for col in spec.columns:
        if col.field == tail or (tail and col.field.startswith(tail + ".")):
            return col.header
    return tail


def locate(path: str, where: Where) -> Cell | None:
    """The cell of a scenario path (`cases[3].filed` → 案件!第5行 立案日期), if known."""
    m = _PATH.match(path)
    if m:
        kind, i, j, tail = m[1], int(m[2]), m[3], m[4]
        if j is not None:
            row, spec = where.assets.get((i, int(j))), ASSETS
        elif kind == "cases":
            row, spec = where.cases[i] if i < len(where.cases) else None, CASES
        elif kind == "courts":
            row, spec = where.courts[i] if i < len(where.courts) else None, COURTS
        else:
            row, spec = where.places.get(i), PLACES
        return Cell(spec.name, row, _header(spec, tail or "id"))
    key = re.sub(r"\[\d+\]$", "", path)
    if key in where.keys:
        sheet, row = where.keys[key]
        return Cell(sheet, row, None)
    return None


@dataclass
class Checked:
    """The records that passed their own checks, and the defects found so far."""

    where: Where
    known: set[Cell]  # cells already named (a bad cell is not named again as "required")
    missing: set[tuple[str, str]]  # (sheet, header) of missing columns, named once per sheet
    defects: list[Defect] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)  # ids of records that failed their own check
    kept: dict[str, list[int]] = field(default_factory=dict)  # kind → positions that passed

    def add(self, path: str, record: str | None, message: str, *, required: bool = False) -> None:
        cell = locate(path, self.where)
        if cell is not None and required and (cell in self.known or (cell.sheet, cell.column) in self.missing):
            return  # said already: the cell's own problem, or the whole column missing
        if cell is not None:
            self.known.add(cell)
        self.defects.append(Defect(str(cell) if cell else path, record, message))

    def records(self, model: type[BaseModel], kind: str, raws: list[dict[str, Any]]) -> list[Any]:
        """The records of one collection that pass their own checks; the others' defects
        added, their ids kept in `dropped`, the kept ones' positions in `kept[kind]`."""
        out, self.kept[kind] = [], []
        for i, raw in enumerate(raws):
            try:
                out.append(model.model_validate(raw))
                self.kept[kind].append(i)
            except ValidationError as e:
                self.dropped.add(str(raw.get("id")))
                for err in e.errors(include_url=False)[:_MAX_LISTED]:
                    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in err["loc"])
                    self.add(f"{kind}[{i}]{loc}", _record(raw), field_message(err),
                             required=err["type"] == "missing")
        return out

    def workbook_path(self, path: str) -> str:
        """A path of the checked records (`cases[3]`, the fourth kept case) as a path of the
        workbook's records (`cases[5]`, had two rows before it failed)."""
        m = re.match(r"^(courts|cases|places)\[(\d+)\]", path)
        if not m or m[1] not in self.kept:
            return path
        return f"{m[1]}[{self.kept[m[1]][int(m[2])]}]" + path[m.end():]


def _record(raw: dict[str, Any]) -> str | None:
    return str(raw["id"]) if raw.get("id") is not None else None


def _head(checked: Checked, raw: dict[str, Any]) -> Scenario | None:
    """The 场景 sheet and the settings checked on their own (no records)."""
    try:
        return Scenario.model_validate({**raw, "places": (), "courts": (), "cases": ()})
    except ValidationError as e:
        for err in e.errors(include_url=False):
            path = ".".join(str(p) for p in err["loc"])
            if err["type"] == "missing" and locate(path, checked.where) is None:
                continue  # a missing sheet or item of 场景 is named where it is read
            checked.add(path, None, field_message(err), required=err["type"] == "missing")
        return None


def _period(raw: Any) -> Period | None:
    try:
        return Period.model_validate(raw)
    except ValidationError:
        return None


def _follows(d: Defect, checked: Checked, cases_named: bool) -> bool:
    """Whether a cross-record defect only follows from something already named: a court "not
    defined" because its row failed its own check, a district "without cases" when case rows
    (or the case sheet) were named."""
    m = _NOT_DEFINED.search(d.message)
    return bool(m and m[1] in checked.dropped) or (cases_named and _NO_CASE.search(d.message) is not None)


def check_all(raw: dict[str, Any], checked: Checked) -> Scenario | None:
    """The scenario of `raw` when every check passes; else None, with every defect in `checked`."""
    places = checked.records(Place, "places", raw["places"])
    courts = checked.records(Court, "courts", raw["courts"])
    cases = checked.records(Case, "cases", raw["cases"])
    head = _head(checked, {k: v for k, v in raw.items() if k not in ("places", "courts", "cases")})
    period = head.period if head else _period(raw.get("period"))
    dispatcher = head.dispatcher if head else raw.get("dispatcher")
    if not dispatcher:
        checked.dropped.add("")  # the dispatcher's own cell is named already
    whole = Scenario.model_construct(
        format_version=1, name="", dispatcher=str(dispatcher or ""), period=period or _NO_PERIOD,
        places=tuple(places), courts=tuple(courts), cases=tuple(cases))
    cases_named = len(cases) < len(raw["cases"]) or any(d.path.startswith(CASES.name) for d in checked.defects)
    for d in check_scenario(whole):
        if not _follows(d, checked, cases_named):
            checked.add(checked.workbook_path(d.path), d.record, check_message(d.message))
    if checked.defects or head is None:
        return None
    return head.model_copy(update={"places": tuple(places), "courts": tuple(courts), "cases": tuple(cases)})
