"""Finding the sheets of a scenario workbook: by their names (案件, 法院, …), else by their
headers — a case sheet renamed 案件信息 or left as Sheet1 is still the case sheet when its
header row holds the case columns. What could not be found is said together with the sheets the
workbook has and their first headers, so the planner sees at once what was read as what.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from optimizer.io.xlsx_cells import text_of
from optimizer.io.xlsx_columns import SheetSpec
from optimizer.io.xlsx_rows import HEADER_SEARCH_ROWS, normal_header

_SHOWN_HEADERS = 6


@dataclass(frozen=True)
class KeySheet:
    """A two-column sheet (项目 | 值) recognised by the keys in its first column."""

    name: str
    keys: frozenset[str]  # lower-case keys that belong to it


@dataclass
class Sheets:
    """The worksheet found for each expected sheet name, and how."""

    found: dict[str, Any] = field(default_factory=dict)  # expected name → worksheet
    renamed: dict[str, str] = field(default_factory=dict)  # expected name → the sheet's own name
    listing: str = ""  # every sheet of the workbook with its first headers, for messages

    def get(self, name: str) -> Any | None:
        return self.found.get(name)


def _top(ws: Any) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True))


def _data_score(top: list[tuple[Any, ...]], spec: SheetSpec) -> float:
    """The share of `spec`'s required columns found in the best header row (0 if fewer than 2)."""
    known = spec.header_map()
    required = {c.field for c in spec.columns if c.required}
    best = 0
    for line in top:
        fields = {known[normal_header(h)].field for h in line if normal_header(h) in known}
        best = max(best, len(fields & required))
    return best / len(required) if best >= min(2, len(required)) else 0.0


def _key_score(top: list[tuple[Any, ...]], sheet: KeySheet) -> float:
    keys = {normal_header(line[0]) for line in top if line}
    hits = len(keys & sheet.keys)
    return hits / len(sheet.keys) if hits >= 2 else 0.0


def _describe(name: str, top: list[tuple[Any, ...]]) -> str:
    line = next((row for row in top if sum(1 for v in row if text_of(v)) >= 2), ())
    heads = [text_of(v) for v in line if text_of(v)][:_SHOWN_HEADERS]
    more = "…" if len([v for v in line if text_of(v)]) > _SHOWN_HEADERS else ""
    return f"'{name}'" + (f"（{'、'.join(heads)}{more}）" if heads else "（空 empty）")


def find_sheets(wb: Any, data: Iterable[SheetSpec], keyed: Iterable[KeySheet]) -> Sheets:
    """Each expected sheet by its name, else the best-matching unclaimed sheet by its headers
    (data sheets) or its keys (项目 | 值 sheets); at least half the required columns or two keys
    must match."""
    out = Sheets()
    tops = {name: _top(wb[name]) for name in wb.sheetnames}
    specs = {s.name: s for s in data}
    keys = {k.name: k for k in keyed}
    for name in [*specs, *keys]:
        if name in tops:
            out.found[name] = wb[name]
    free = [n for n in wb.sheetnames if n not in out.found]
    for name in [*specs, *keys]:
        if name in out.found or not free:
            continue
        if name in specs:
            scores = {n: _data_score(tops[n], specs[name]) for n in free}
        else:
            scores = {n: _key_score(tops[n], keys[name]) for n in free}
        best = max(free, key=lambda n: scores[n])
        if scores[best] >= 0.5:
            out.found[name], out.renamed[name] = wb[best], best
            free.remove(best)
    out.listing = "、".join(_describe(n, tops[n]) for n in wb.sheetnames)
    return out
