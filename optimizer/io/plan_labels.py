"""Labels of a plan for people (Chinese first), shared by the workbook, the HTML report and the
document drafts: the decision of a case in words, court names (the KPI and rule labels are in
`optimizer/law/vocabulary.py`)."""

from __future__ import annotations

from optimizer.data.scenario import Scenario
from optimizer.law.modes import MODE_LABELS, MODE_SPECS, Mode
from optimizer.law.vocabulary import COORDINATION_LABELS
from optimizer.results.plan import CasePlan, Plan

MODE_KEY_LABELS = {s.key: s.label_zh for s in MODE_SPECS}


def decision_label(c: CasePlan) -> str:
    """The decision in Chinese: 指令执行, 协同执行（派员）, with 事项委托 where matters go out."""
    label = MODE_KEY_LABELS.get(c.mode, c.mode)
    if c.mode == Mode.COORDINATE.key and c.coordination in COORDINATION_LABELS:
        label += f"（{COORDINATION_LABELS[c.coordination].zh}）"
    if c.entrusted_assets:
        label += f" + 事项委托×{len(c.entrusted_assets)}"
    return label


def court_names(plan: Plan, scenario: Scenario | None = None) -> dict[str, str]:
    """Court id → name, from the scenario where given (all courts), else the plan's courts."""
    names = {c.id: c.name for c in scenario.courts} if scenario else {}
    names.update({c.court_id: c.name for c in plan.courts})
    return names


def named(names: dict[str, str], court_id: str | None) -> str:
    if not court_id:
        return "—"
    return names.get(court_id, court_id)


__all__ = ["MODE_KEY_LABELS", "MODE_LABELS", "court_names", "decision_label", "named"]
