"""Place names → administrative codes, with the regions of `optimizer/data/geography.py`.

A place may be written as its 6-digit code (331102), its own name when only one region has it
(莲都区), or with its superiors in front (丽水市莲都区, 浙江省丽水市莲都区). A municipality's
districts sit under a prefecture called 市辖区 in the region table; its name is the province's
(上海市), so 上海市黄浦区 resolves too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from optimizer.data.geography import Region, regions

_CODE = re.compile(r"^\d{6}$")
_PLACEHOLDER_PREFECTURES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True, slots=True)
class Resolved:
    """A place text read: its code, or why it could not be read."""

    code: str | None
    problem: str | None = None


def display_name(r: Region) -> str:
    """The name a place carries in a scenario: a municipality's 市辖区 is the province's name."""
    if r.name in _PLACEHOLDER_PREFECTURES:
        province = region_by_code().get(r.province_code)
        return province.name if province else r.name
    return r.name


@cache
def region_by_code() -> dict[str, Region]:
    return {r.code: r for r in regions()}


def _spellings(r: Region) -> set[str]:
    by_code = region_by_code()
    province = by_code.get(r.province_code)
    prefecture = by_code.get(r.prefecture_code)
    own = display_name(r)
    out = {own, r.name}
    p_name = province.name if province else ""
    if r.kind == "prefecture":
        out.add(p_name + own)
    elif r.kind == "county":
        pre = "" if prefecture is None or prefecture.name in _PLACEHOLDER_PREFECTURES \
            else prefecture.name
        out |= {pre + r.name, p_name + pre + r.name, p_name + r.name}
    return {s for s in out if s}


@cache
def _index() -> dict[str, tuple[str, ...]]:
    index: dict[str, set[str]] = defaultdict(set)
    for r in regions():
        for s in _spellings(r):
            index[s].add(r.code)
    # a municipality's name (上海市) means its 市辖区 (310100), as scenarios use it, not the
    # province-level code (310000): the same place, the same coordinates
    for codes in index.values():
        provinces = {c for c in codes if c.endswith("0000")}
        if any(c[:2] + "0100" in codes for c in provinces):
            codes -= provinces
    return {k: tuple(sorted(v)) for k, v in index.items()}


def full_name(code: str) -> str:
    """The shortest spelling with the prefecture in front (丽水市莲都区), for writing a cell."""
    r = region_by_code().get(code)
    if r is None:
        return code
    if r.kind != "county":
        return display_name(r)
    prefecture = region_by_code().get(r.prefecture_code)
    if prefecture is None or prefecture.name in _PLACEHOLDER_PREFECTURES:
        return display_name(region_by_code().get(r.province_code, r)) + r.name
    return prefecture.name + r.name


def resolve_place(text: str, extra: dict[str, str] | None = None) -> Resolved:
    """The code of a place written as a code or a name. `extra` maps the ids and names given in
    the workbook's own 地点 sheet to ids; they are looked up first."""
    text = re.sub(r"\s+", "", text)
    if extra and text in extra:
        return Resolved(extra[text])
    if _CODE.match(text):
        if text in region_by_code():
            return Resolved(text)
        return Resolved(None, f"'{text}' 不是已知的行政区划代码 (unknown region code)")
    codes = _index().get(text, ())
    if len(codes) == 1:
        return Resolved(codes[0])
    if not codes:
        return Resolved(None, f"'{text}' 不是已知的地名 (unknown place name); 请写全称如 丽水市莲都区，"
                              "或行政区划代码")
    options = "、".join(f"{full_name(c)} {c}" for c in codes[:6])
    more = " …" if len(codes) > 6 else ""
    return Resolved(None, f"'{text}' 有多个同名地区 (ambiguous): {options}{more}; 请写全称或代码")
