"""Labels of a plan for people (Chinese first), shared by the workbook, the HTML report and the
document drafts: KPI names, the decision of a case in words, court names."""

from __future__ import annotations

from optimizer.data.scenario import Scenario
from optimizer.law.modes import MODE_LABELS, MODE_SPECS, Mode
from optimizer.results.plan import CasePlan, Plan

#: every KPI of `compute_kpis` but the nested ones (cases per mode, per-rule counts)
KPI_LABELS = {
    "cases": "规划案件数 cases planned",
    "cases_moved": "变更执行法院的案件 cases moved",
    "workload_moved": "移送工作量 workload moved",
    "art237_pool": "超六个月（第237条）案件 overdue (Art. 237)",
    "terminable_candidates": "终本候选（不移送）终本 candidates",
    "interference_cases": "不当干预案件 interference cases",
    "interference_removed_from_home": "移出属地 moved out of the home locality",
    "related_groups": "关联案件组 related groups",
    "related_groups_concentrated": "集中执行的关联案件组 groups concentrated",
    "matters_entrusted": "事项委托 matters entrusted",
    "officers_lent": "协同借调人员 officers lent",
    "applicant_travel_minutes_total": "申请人路程合计（分钟）applicant travel total (min)",
    "applicant_travel_minutes_max": "申请人最远路程（分钟）worst applicant travel (min)",
    "asset_travel_cost": "财产路程成本 asset travel cost",
    "max_utilisation_before": "最高负荷率（前）max utilisation before",
    "max_utilisation_after": "最高负荷率（后）max utilisation after",
    "gini_utilisation_before": "负荷基尼（前）load Gini before",
    "gini_utilisation_after": "负荷基尼（后）load Gini after",
    "rule_exceptions": "无法满足规则的案件 rule exceptions",
}
MODE_KEY_LABELS = {s.key: s.label_zh for s in MODE_SPECS}
COORDINATION_LABELS = {"officers": "派员", "coordination": "协调"}


def decision_label(c: CasePlan) -> str:
    """The decision in Chinese: 指令执行, 协同执行（派员）, with 事项委托 where matters go out."""
    label = MODE_KEY_LABELS.get(c.mode, c.mode)
    if c.mode == Mode.COORDINATE.key and c.coordination in COORDINATION_LABELS:
        label += f"（{COORDINATION_LABELS[c.coordination]}）"
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


__all__ = ["KPI_LABELS", "MODE_KEY_LABELS", "MODE_LABELS", "court_names", "decision_label", "named"]
