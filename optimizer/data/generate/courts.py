"""The court tree of a preset on real geography, and the places the courts sit at.

Every county-level unit is a basic court, every prefecture an intermediate court, every province a
high court, and the national preset adds the Supreme People's Court. The random draws, in order:
the staff and caseload of each high court, then of each intermediate court, then of each basic
court (courts in code order). Changing that order changes every scenario generated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from optimizer.data.generate.presets import FAR_PLACES, LISHUI_POPULATION, Shape
from optimizer.data.geography import Region, regions

CASES_PER_OFFICER = 60.0


@dataclass
class CourtTree:
    """The courts of a scenario (parents before children), the places they and the parties sit
    at, and the dispatcher: the court whose level decides on cross-execution."""

    preset: str
    shape: Shape
    places: dict[str, dict[str, Any]] = field(default_factory=dict)
    courts: list[dict[str, Any]] = field(default_factory=list)
    dispatcher: str = ""

    def add_place(self, code: str, name: str, lon: float, lat: float) -> str:
        """Record place `code` unless already known (the first name given wins); return it."""
        if code not in self.places:
            self.places[code] = {"id": code, "name": name, "lon": round(lon, 6), "lat": round(lat, 6)}
        return code


def build_courts(preset: str, shape: Shape, rng: np.random.Generator) -> CourtTree:
    """The court tree of `preset`: supreme, high, intermediate, then basic courts."""
    all_regions = regions()
    by_code = {r.code: r for r in all_regions}
    counties = _counties_of(shape, all_regions)
    tree = CourtTree(preset, shape)
    supreme = shape.province is None
    if supreme:
        tree.add_place("110000", "北京市", *_seat(by_code, "110000", []))
        tree.courts.append(_court("SPC", "最高人民法院", "supreme", None, "110000", 200, 600.0))
    if shape.prefecture is None:
        _add_high_courts(tree, rng, by_code, counties, "SPC" if supreme else None)
    _add_intermediate_courts(tree, rng, by_code, counties)
    _add_basic_courts(tree, rng, counties)
    tree.dispatcher = _dispatcher(shape)
    return tree


def _counties_of(shape: Shape, all_regions: tuple[Region, ...]) -> list[Region]:
    """The county-level regions of the preset's province or prefecture (all of them if none)."""
    counties = [r for r in all_regions if r.kind == "county"]
    if shape.province:
        counties = [r for r in counties if r.code[:2] == shape.province]
    if shape.prefecture:
        counties = [r for r in counties if r.code[:4] == shape.prefecture]
    return counties


def _dispatcher(shape: Shape) -> str:
    """The top court of the preset, which dispatches: SPC, the high or the intermediate court."""
    if shape.province is None:
        return "SPC"
    return f"C{shape.prefecture}00" if shape.prefecture else f"C{shape.province}0000"


def _seat(by_code: dict[str, Region], code: str, members: list[Region]) -> tuple[float, float]:
    """Where the court of region `code` sits: the region's own point, or else the mean point of
    its member counties (some regions have no coordinates in the source)."""
    r = by_code.get(code)
    if r is not None and r.lon is not None and r.lat is not None:
        return r.lon, r.lat
    return (float(np.mean([m.lon or 0.0 for m in members])),
            float(np.mean([m.lat or 0.0 for m in members])))


def _court(cid: str, name: str, level: str, parent: str | None, place: str,
           officers: int, caseload: float) -> dict[str, Any]:
    """A court record in the file format; one enforcement team per 8 officers."""
    return {
        "id": cid, "name": name, "level": level, "parent": parent, "place": place,
        "officers": officers, "teams": max(1, officers // 8), "open_caseload": round(caseload, 1),
        "cases_per_officer": CASES_PER_OFFICER,
    }


def _staffed(rng: np.random.Generator, lo: int, hi: int) -> tuple[int, float]:
    """(officers, open caseload) of an upper court: officers uniform in lo..hi, then the caseload
    at a utilisation uniform in 0.5–1.1 (two draws, in that order)."""
    officers = int(rng.integers(lo, hi + 1))
    return officers, float(round(officers * CASES_PER_OFFICER * rng.uniform(0.5, 1.1)))


def _add_high_courts(tree: CourtTree, rng: np.random.Generator, by_code: dict[str, Region],
                     counties: list[Region], parent: str | None) -> None:
    """One high court per province, in code order, 40–100 officers each."""
    for pc in sorted({c.province_code for c in counties}):
        members = [c for c in counties if c.province_code == pc]
        pname = by_code[pc].name
        tree.add_place(pc, pname, *_seat(by_code, pc, members))
        tree.courts.append(_court(f"C{pc}", f"{pname}高级人民法院", "high", parent, pc,
                                  *_staffed(rng, 40, 100)))


def _intermediate_label(province: str, prefecture: str) -> tuple[str, str]:
    """(court name prefix, place name) of a prefecture-level unit. Municipalities list their
    districts under 市辖区/县 (their court is the province's 第一中级人民法院, seated at the
    province), and provinces list directly administered counties under 省直辖县级行政区划."""
    if prefecture in ("市辖区", "县"):
        return f"{province}第一", province
    if prefecture.endswith("直辖县级行政区划"):
        return f"{province}直辖", prefecture
    return prefecture, prefecture


def _add_intermediate_courts(tree: CourtTree, rng: np.random.Generator, by_code: dict[str, Region],
                             counties: list[Region]) -> None:
    """One intermediate court per prefecture, in code order, 30–80 officers each; its parent is
    the high court, or none when the preset is a single prefecture."""
    for fc in sorted({c.prefecture_code for c in counties}):
        members = [c for c in counties if c.prefecture_code == fc]
        region = by_code.get(fc)
        label, place_name = _intermediate_label(by_code[fc[:2] + "0000"].name,
                                                region.name if region is not None else "直辖")
        tree.add_place(fc, place_name, *_seat(by_code, fc, members))
        parent = None if tree.shape.prefecture else f"C{fc[:2]}0000"
        tree.courts.append(_court(f"C{fc}", f"{label}中级人民法院", "intermediate", parent, fc,
                                  *_staffed(rng, 30, 80)))


def _basic_staff(rng: np.random.Generator, preset: str, county: Region) -> tuple[int, float]:
    """(officers, open caseload) of a basic court. Draws the caseload — Lishui: 0.006 × census
    population ±10 %; elsewhere city districts (区) U(2,500, 9,000), counties U(600, 3,500) — then
    the utilisation U(0.65, 1.4) that sets the staff, 15–60 officers; where the staff is clipped
    the caseload is trimmed to keep the load sane."""
    if preset == "lishui":
        caseload = LISHUI_POPULATION.get(county.name, 200_000) * 0.006 * rng.uniform(0.9, 1.1)
    elif county.name.endswith("区"):  # city districts are busier than rural counties
        caseload = rng.uniform(2500, 9000)
    else:
        caseload = rng.uniform(600, 3500)
    util = rng.uniform(0.65, 1.4)
    officers = int(np.clip(round(caseload / CASES_PER_OFFICER / util), 15, 60))
    return officers, min(caseload, officers * CASES_PER_OFFICER * util)


def _basic_court_name(county: str, prefecture: str) -> str:
    """丽水市莲都区人民法院 for a city district, 龙泉市人民法院 for a county."""
    if county.endswith("区") and not prefecture.endswith("省"):
        return f"{prefecture}{county}人民法院"
    return f"{county}人民法院"


def _add_basic_courts(tree: CourtTree, rng: np.random.Generator, counties: list[Region]) -> None:
    """One basic court per county-level unit, in code order, under its prefecture's court."""
    for c in counties:
        assert c.lon is not None and c.lat is not None
        tree.add_place(c.code, c.name, c.lon, c.lat)
        officers, caseload = _basic_staff(rng, tree.preset, c)
        name = _basic_court_name(c.name, tree.places[c.prefecture_code]["name"])
        tree.courts.append(_court(f"C{c.code}", name, "basic", f"C{c.prefecture_code}", c.code,
                                  officers, caseload))


def add_far_places(tree: CourtTree) -> list[str]:
    """Record the places outside the district where some parties live and assets lie (other
    Zhejiang cities for Lishui, neighbouring provincial capitals for Zhejiang, none nationally);
    return their codes. Draws nothing."""
    by_code = {r.code: r for r in regions()}
    codes = list(FAR_PLACES[tree.preset])
    for code in codes:
        r = by_code[code]
        name = r.name if r.name != "市辖区" else by_code[code[:2] + "0000"].name
        assert r.lon is not None and r.lat is not None
        tree.add_place(code, name, r.lon, r.lat)
    return codes
