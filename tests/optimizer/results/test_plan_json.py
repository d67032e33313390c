"""The plan file in pieces: the same text as one `json.dumps` per row, never held whole."""

from __future__ import annotations

import json

import pytest

from optimizer.pipeline import plan_scenario
from optimizer.results import plan as plan_module
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams


@pytest.fixture(scope="module")
def lishui_plan(lishui) -> Plan:
    return plan_scenario(lishui, None, SolveParams(time_limit=30.0, workers=1))


def _one_text(plan: Plan) -> str:
    """The plan file as the format says: the head, then one JSON object per row and line."""
    d = plan.to_dict()
    head = {k: v for k, v in d.items() if k not in ("cases", "courts", "staff_moves")}
    parts = [json.dumps(head, ensure_ascii=False)[:-1]]
    for key in ("courts", "staff_moves", "cases"):
        rows = ",\n  ".join(json.dumps(r, ensure_ascii=False) for r in d[key])
        parts.append(f', "{key}": [\n  {rows}\n]' if rows else f', "{key}": []')
    return "".join(parts) + "}\n"


@pytest.mark.parametrize("rows_per_chunk", [1, 7, 4096])
def test_chunks_join_to_the_one_text(lishui_plan, monkeypatch, rows_per_chunk):
    monkeypatch.setattr(plan_module, "_ROWS_PER_CHUNK", rows_per_chunk)
    chunks = list(lishui_plan.json_chunks())
    assert "".join(chunks) == _one_text(lishui_plan) == lishui_plan.to_json()
    assert Plan.from_json("".join(chunks)) == lishui_plan


def test_no_chunk_holds_more_than_its_rows(lishui_plan, monkeypatch):
    monkeypatch.setattr(plan_module, "_ROWS_PER_CHUNK", 10)
    chunks = list(lishui_plan.json_chunks())
    assert len(lishui_plan.cases) > 100
    assert max(c.count('"case_id"') for c in chunks) <= 10


def test_a_plan_without_staff_moves_writes_an_empty_list(lishui_plan):
    from dataclasses import replace

    text = "".join(replace(lishui_plan, staff_moves=()).json_chunks())
    assert '"staff_moves": []' in text and json.loads(text)["staff_moves"] == []
