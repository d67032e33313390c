"""The district map: one arrow per court pair with its count written on it (the largest flows,
the rest counted in a note), and court names that never overlap one another."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from optimizer.data.scenario import Scenario
from optimizer.pipeline import plan_scenario
from optimizer.report.svg import MAX_ARROWS, district_map
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def lishui_plan(lishui: Scenario) -> Plan:
    return plan_scenario(lishui, None, SolveParams(time_limit=30.0, workers=1))


def _map(plan: Plan, scenario: Scenario) -> ET.Element:
    text = district_map(plan, scenario)
    return ET.fromstring(text.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


def test_one_arrow_per_pair_with_its_count(lishui_plan: Plan, lishui: Scenario) -> None:
    moves = Counter((c.from_court_id, c.court_id) for c in lishui_plan.cases if c.court_id != c.from_court_id)
    root = _map(lishui_plan, lishui)
    arrows = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}path") is not None
              and g.find(f"{SVG}path").get("marker-end") == "url(#move)"]  # (not the staff loans)
    counts = sorted(int(g.find(f"{SVG}text").text) for g in arrows if g.find(f"{SVG}text") is not None)
    assert len(arrows) == min(len(moves), MAX_ARROWS) == len(counts)
    assert counts == sorted(sorted(moves.values())[-len(counts):])  # the largest flows, each once
    note = [t.text for t in root.iter(f"{SVG}text") if t.text and "流向表" in t.text]
    assert note == ([] if len(moves) <= MAX_ARROWS else [note[0]])
    if len(moves) > MAX_ARROWS:
        assert f"另有 {len(moves) - MAX_ARROWS} 条" in note[0]


def _box(t: ET.Element) -> tuple[float, float, float, float]:
    """The drawn extent of a 12-unit label (CJK glyphs are square, 12 wide)."""
    x, y, w = float(t.get("x")), float(t.get("y")), 12.0 * len(t.text or "")
    left = {"middle": x - w / 2, "start": x, "end": x - w}[t.get("text-anchor", "start")]
    return left, y - 11, left + w, y + 2


def test_court_names_never_overlap(lishui_plan: Plan, lishui: Scenario) -> None:
    # every court of the district moved to one spot, so that names must collide if all were drawn
    crowded = lishui.model_copy(update={"places": tuple(
        p.model_copy(update={"lon": 119.9 + 0.001 * k, "lat": 28.45 + 0.001 * k})
        for k, p in enumerate(lishui.places))})
    for scenario in (lishui, crowded):
        names = [t for t in _map(lishui_plan, scenario).iter(f"{SVG}text") if t.get("class") == "court-name"]
        boxes = [_box(t) for t in names]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
        assert len(names) >= 1 and all(re.search("法院$", t.text or "") for t in names)
