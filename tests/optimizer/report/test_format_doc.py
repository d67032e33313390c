"""docs/scenario-format.md is generated from the models: it must not drift from them."""

from __future__ import annotations

from pathlib import Path

from optimizer.data.scenario import Rules, Weights
from optimizer.report.format_doc import scenario_format_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "scenario-format.md"


def test_the_page_is_the_generated_one():
    assert DOC.read_text(encoding="utf-8") == scenario_format_markdown(), (
        "docs/scenario-format.md is stale: run `courtplan schema --markdown --out "
        "docs/scenario-format.md`")


def test_every_weight_and_rule_is_on_the_page():
    text = scenario_format_markdown()
    for name in (*Weights.model_fields, *Rules.model_fields):
        assert f"| `{name}` |" in text, name
