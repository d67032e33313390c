"""The three presets: which region each covers, how many cases it holds, and what it is called."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Integral

from optimizer.law.errors import UserError

PRESETS = ("lishui", "zhejiang", "national")

# the most cases `generate` writes: 2,000,000 cases is ~1.2 GB of JSON
MAX_CASES = 2_000_000


@dataclass(frozen=True)
class Shape:
    """What a preset covers: its default case count and the region its courts come from."""

    cases: int
    province: str | None  # 2-digit code, None = whole country
    prefecture: str | None  # 4-digit code for a single-prefecture preset


SHAPES = {
    "lishui": Shape(cases=1_500, province="33", prefecture="3311"),
    "zhejiang": Shape(cases=20_000, province="33", prefecture=None),
    "national": Shape(cases=300_000, province=None, prefecture=None),
}

SCENARIO_NAMES = {
    "lishui": "丽水市交叉执行 2026 上半年",
    "zhejiang": "浙江省交叉执行 2026 上半年",
    "national": "全国交叉执行 2026 上半年",
}

# 2020 census (第七次全国人口普查) population of the Lishui counties
LISHUI_POPULATION = {
    "莲都区": 562_116, "龙泉市": 248_866, "缙云县": 405_318, "青田县": 509_053, "庆元县": 142_551,
    "松阳县": 204_880, "遂昌县": 194_385, "云和县": 129_216, "景宁畲族自治县": 111_011,
}

# places outside the district where some parties live and assets lie (national: none)
FAR_PLACES = {
    "lishui": ("330100", "330200", "330300", "330700", "310100", "320100"),
    "zhejiang": ("310100", "320100", "340100", "350100", "360100"),
    "national": (),
}


def shape_of(preset: str) -> Shape:
    """The shape of `preset`; ValueError naming the presets when it is unknown."""
    if preset not in SHAPES:
        raise UserError(f"unknown preset {preset!r}; choose one of {', '.join(PRESETS)}")
    return SHAPES[preset]


def check_case_count(cases: object) -> int:
    """`cases` as a case count: a whole number from 1 to MAX_CASES, else ValueError."""
    if not isinstance(cases, bool) and isinstance(cases, Integral) and 1 <= int(cases) <= MAX_CASES:
        return int(cases)
    raise UserError(f"the case count must be a whole number from 1 to {MAX_CASES:,}, got {cases!r}")
