"""Seeded scenario generator on real Chinese court geography.

Presets: `lishui` (丽水 "1+9": 1 intermediate + 9 basic courts, ~1,500 cases), `zhejiang`
(1 high + 11 intermediate + 90 basic courts, ~20,000 cases) and `national` (~3,200 courts,
~300,000 cases). The output is a plain dict in the scenario format; `to_json` serialises it
byte-for-byte deterministically for a seed. Distributions follow the SPC Q&A and published
caseload figures and are listed in docs/scenario-format.md.

One random stream feeds everything, so the order of the draws is part of the output: the court
tree first (courts.py), then the holding courts and debtors (debtors.py), then the cases
(cases.py). Each module's docstring lists its draws in order.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np

from optimizer.data.generate.cases import build_cases
from optimizer.data.generate.courts import build_courts
from optimizer.data.generate.outcomes import outcome_blocks
from optimizer.data.generate.presets import (
    MAX_CASES,
    PRESETS,
    SCENARIO_NAMES,
    SHAPES,
    check_case_count,
    shape_of,
)
from optimizer.data.scenario import FORMAT_VERSION

__all__ = ["MAX_CASES", "PRESETS", "SHAPES", "check_case_count", "generate", "to_json"]

PERIOD_START = dt.date(2026, 1, 1)
PERIOD_END = dt.date(2026, 6, 30)


def generate(preset: str, seed: int = 0, cases: int | None = None) -> dict[str, Any]:
    """A scenario of `preset` as a plain dict in the file format; same seed, same scenario.

    `cases` overrides the preset's case count (1 to MAX_CASES); ValueError for an unknown preset
    or a bad count."""
    shape = shape_of(preset)
    n_cases = shape.cases if cases is None else check_case_count(cases)
    rng = np.random.default_rng(seed)
    tree = build_courts(preset, shape, rng)
    case_list = build_cases(tree, rng, n_cases, PERIOD_START)
    out = {
        "format_version": FORMAT_VERSION,
        "name": SCENARIO_NAMES[preset] + f"（seed {seed}）",
        "dispatcher": tree.dispatcher,
        "period": {"start": PERIOD_START.isoformat(), "end": PERIOD_END.isoformat()},
        "places": sorted(tree.places.values(), key=lambda p: p["id"]),
        "courts": tree.courts,
        "cases": case_list,
    }
    # debtors, 终本库 and history from their own stream: the courts and cases stay as they were
    return {**out, **outcome_blocks(out, seed, PERIOD_START)}


def to_json(scenario: dict[str, Any], pretty: bool = False) -> str:
    """Deterministic UTF-8 JSON text (Chinese kept as is, not \\u-escaped)."""
    if pretty:
        return json.dumps(scenario, ensure_ascii=False, indent=1) + "\n"
    return json.dumps(scenario, ensure_ascii=False, separators=(",", ":")) + "\n"
