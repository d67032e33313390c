"""The product's vocabulary (用语), declared once: the statuses as enums, the phases of a solve,
and the (Chinese, English) labels of the KPIs, the per-rule counts, the objective's terms, the
协同执行 kinds, the projected figures and the 执转破 screening outcomes. Modes and triggers are
labelled in their specs (`optimizer/law/modes.py`).

Every report (text, workbook, HTML, drafts), the CLI, the API and the dashboard take their
words from here: the dashboard reads them from `GET /vocabulary` (`served_vocabulary`), so a
label changed here changes everywhere. Chinese first; the English is a gloss for the reader.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple

from optimizer.law.modes import MODE_SPECS, TRIGGER_SPECS


class Label(NamedTuple):
    """A label in Chinese and English."""

    zh: str
    en: str

    def both(self) -> str:
        """Chinese first, then English: `变更执行法院的案件 cases moved`."""
        return f"{self.zh} {self.en}"


# ---------------------------------------------------------------- statuses
class PlanStatus(StrEnum):
    """How good a plan (or one piece of it) is proven to be. Never `optimal` without the
    solver's proof; never `feasible` for a plan that breaks a hard rule (that one is
    `infeasible`)."""

    OPTIMAL = "optimal"
    WITHIN_GAP = "within_gap"  # proven gap within the requested gap
    FEASIBLE = "feasible"  # every hard rule holds; gap above the requested one
    INFEASIBLE = "infeasible"  # no plan meeting every hard rule was found


#: a piece of the model is solved to the same grades as the whole plan
PieceStatus = PlanStatus


class RunStatus(StrEnum):
    """Where a run of the service stands (运行状态)."""

    QUEUED = "queued"  # waiting for a worker
    RUNNING = "running"  # a worker holds it (and renews its lease)
    DONE = "done"  # finished with a plan stored
    FAILED = "failed"  # finished with errors stored (input or solver)
    CANCELLED = "cancelled"  # cancelled by a user
    INTERRUPTED = "interrupted"  # its worker stopped or lost its lease; may be requeued


#: a run in one of these will not change again unless requeued
RUN_FINISHED = frozenset({RunStatus.DONE, RunStatus.FAILED, RunStatus.CANCELLED,
                          RunStatus.INTERRUPTED})
#: the runs a cancel can still stop
RUN_CANCELLABLE = (RunStatus.QUEUED, RunStatus.RUNNING)
#: the runs that may be queued again with the same parameters
RUN_REQUEUEABLE = (RunStatus.INTERRUPTED, RunStatus.FAILED, RunStatus.CANCELLED)


class Phase(StrEnum):
    """The phases of making a plan, as progress reports them."""

    READ = "read"  # reading and validating the scenario
    BUILD = "build"  # travel times, options, costs, pieces, model arrays
    SOLVE = "solve"  # pieces being solved (pass 1: the bound)
    LINKING = "linking"  # debtor groups across pieces decided, pieces re-solved (pass 2)
    CHECK = "check"  # rule gate and evaluation of the plan
    DONE = "done"


PLAN_STATUS_LABELS: dict[PlanStatus, Label] = {
    PlanStatus.OPTIMAL: Label("最优（已证明）", "optimal (proven)"),
    PlanStatus.WITHIN_GAP: Label("在容许差距内", "within the gap"),
    PlanStatus.FEASIBLE: Label("可行（未证明最优）", "feasible (not proven optimal)"),
    PlanStatus.INFEASIBLE: Label("不可行", "infeasible"),
}
RUN_STATUS_LABELS: dict[RunStatus, Label] = {
    RunStatus.QUEUED: Label("排队中", "queued"), RunStatus.RUNNING: Label("求解中", "running"),
    RunStatus.DONE: Label("已完成", "done"), RunStatus.FAILED: Label("失败", "failed"),
    RunStatus.CANCELLED: Label("已取消", "cancelled"),
    RunStatus.INTERRUPTED: Label("已中断", "interrupted"),
}
PHASE_LABELS: dict[Phase, Label] = {
    Phase.READ: Label("读取场景", "reading the scenario"),
    Phase.BUILD: Label("构建模型", "building the model"),
    Phase.SOLVE: Label("求解", "solving"),
    Phase.LINKING: Label("关联案件组", "linking related groups"),
    Phase.CHECK: Label("规则校验", "checking the rules"),
    Phase.DONE: Label("完成", "done"),
}


# ---------------------------------------------------------------- rules and KPIs
#: the per-rule counts (`kpis["rules"]`), in the order they are printed
RULE_LABELS: dict[str, Label] = {
    "interference_flagged": Label("不当干预案件（已标记、已规划）", "interference cases (flagged, planned)"),
    "interference_moved_out_of_home": Label("已移出属地", "moved out of the debtor's home locality"),
    "interference_already_outside": Label("原已在属地外（可留）", "already outside it (may stay)"),
    "interference_no_lawful_exit": Label("无合法去处、留原院", "no lawful exit: kept, with the reason"),
    "deadline_missed": Label("督促期满未执结", "supervision deadline missed"),
    "deadline_missed_moved": Label("已提级/指令/集中", "elevated, designated or concentrated"),
    "art237_overdue": Label("超六个月（第237条）", "overdue past the Art. 237 clock"),
    "art237_applied": Label("申请执行人已申请", "the applicant applied"),
    "art237_acted": Label("已督促/变更执行法院", "supervised or moved"),
    "early_requests_as_wishes": Label("未满六个月的申请（列为意愿）", "early requests shown as wishes"),
    "watch_period": Label("逾督促观察期、未满六个月（第74条第1款）",
                          "past the watch period, within six months"),
    "watch_supervised": Label("已督促", "supervised"),
    "coordinate_with_officers": Label("协同执行·派员", "coordinate with lent officers"),
    "coordinate_coordination_only": Label("协同执行·协调", "coordinate by coordination only"),
    "terminable_not_moved": Label("终本候选（不移送）", "termination candidates (终本), not moved"),
    "transfer_suspended": Label("执转破中止执行（不移送、不集中、不派员）", "suspended for bankruptcy review"),
    "cases_outside_district": Label("辖区外案件（不规划）", "cases outside the district, not planned"),
}
#: rule counts that detail the one above them (printed indented under it)
RULE_DETAILS = frozenset({
    "interference_moved_out_of_home", "interference_already_outside",
    "interference_no_lawful_exit", "deadline_missed_moved", "art237_applied", "art237_acted",
    "watch_supervised",
})


def rule_text(key: str) -> str:
    """A rule count's label for a table, both languages, a detail indented under its rule."""
    return ("  " if key in RULE_DETAILS else "") + RULE_LABELS[key].both()


#: every KPI of `compute_kpis` but the nested ones (cases per mode, per-rule counts). A KPI that
#: is a rule count takes the rule's label: one count, one name.
KPI_LABELS: dict[str, Label] = {
    "cases": Label("规划案件数", "cases planned"),
    "cases_moved": Label("变更执行法院的案件", "cases moved"),
    "workload_moved": Label("移送工作量", "workload moved"),
    "art237_pool": RULE_LABELS["art237_overdue"],
    "terminable_candidates": RULE_LABELS["terminable_not_moved"],
    "interference_cases": RULE_LABELS["interference_flagged"],
    "interference_removed_from_home": RULE_LABELS["interference_moved_out_of_home"],
    "related_groups": Label("关联案件组", "related groups"),
    "related_groups_concentrated": Label("集中执行的关联案件组", "groups concentrated"),
    "matters_entrusted": Label("事项委托", "matters entrusted"),
    "officers_lent": Label("协同借调人员", "officers lent"),
    "applicant_travel_minutes_total": Label("申请人路程合计（分钟）", "applicant travel total (min)"),
    "applicant_travel_minutes_max": Label("申请人最远路程（分钟）", "worst applicant travel (min)"),
    "asset_travel_cost": Label("财产路程成本", "asset travel cost"),
    "max_utilisation_before": Label("最高负荷率（前）", "max utilisation before"),
    "max_utilisation_after": Label("最高负荷率（后）", "max utilisation after"),
    "gini_utilisation_before": Label("负荷基尼（前）", "load Gini before"),
    "gini_utilisation_after": Label("负荷基尼（后）", "load Gini after"),
    "rule_exceptions": Label("无法满足规则的案件", "rule exceptions"),
}

#: what 执转破 screening says about a debtor group (`optimizer/law/bankruptcy.py` `Screening`)
SCREENING_LABELS: dict[str, Label] = {
    "not_applicable": Label("不适用", "not applicable"),
    "consult": Label("征询意见", "consult"),
    "transfer": Label("移送破产审查", "transfer"),
}

#: the projected figures a plan carries (`kpis["projection"]`: plan against no plan, after n months)
PROJECTION_LABELS: dict[str, Label] = {
    "pending": Label("未结案件", "pending"),
    "pool6": Label("超六个月（有财产）", "six-month pool"),
}

#: the objective's terms (cost points ≈ minutes of a party's travel)
TERM_LABELS: dict[str, Label] = {
    "party_travel": Label("当事人路程", "party travel"),
    "asset_travel": Label("财产路程", "asset travel"),
    "entrustment": Label("事项委托", "entrustment"),
    "mode": Label("交叉方式", "mode"),
    "change": Label("移送交接", "handover"),
    "wishes": Label("申请人意愿", "applicant's wishes"),
    "unresolved": Label("未解决事由", "unresolved triggers"),
    "stability": Label("计划变动", "plan changes"),
    "load": Label("超负荷", "overload"),
    "staff_lending": Label("人员借调", "staff lending"),
}

#: 协同执行 comes as lent officers (a staff shortage) or as coordination alone (a complex case)
COORDINATION_LABELS: dict[str, Label] = {
    "officers": Label("派员", "with officers"),
    "coordination": Label("协调", "coordination only"),
}


def plan_status_zh(status: str) -> str:
    """A plan status in Chinese (as written in a plan file; an unknown one as it is)."""
    known = {str(k): v.zh for k, v in PLAN_STATUS_LABELS.items()}
    return known.get(status, status)


def term_zh(key: str) -> str:
    """An objective term in Chinese (an unknown one as it is)."""
    return TERM_LABELS[key].zh if key in TERM_LABELS else key


def served_vocabulary() -> dict[str, Any]:
    """The vocabulary as JSON (`GET /vocabulary`): each label as {zh, en}, each mode with its
    facts, the statuses grouped by kind, the rule details."""

    def labels(table: dict[Any, Label]) -> dict[str, dict[str, str]]:
        return {str(k): {"zh": v.zh, "en": v.en} for k, v in table.items()}

    return {
        "modes": [{"key": s.key, "zh": s.label_zh, "en": s.label_en, "moves": s.moves,
                   "issued": s.issued, "key_decision": s.key_decision, "document": s.document,
                   "decider": s.decider.value, "verb": s.verb}
                  for s in MODE_SPECS],
        "triggers": [{"key": str(t.trigger.name).lower(), "zh": t.label_zh, "en": t.label_en}
                     for t in TRIGGER_SPECS],
        "plan_statuses": labels(PLAN_STATUS_LABELS),
        "run_statuses": labels(RUN_STATUS_LABELS),
        "run_finished": sorted(RUN_FINISHED),
        "run_cancellable": list(RUN_CANCELLABLE),
        "run_requeueable": list(RUN_REQUEUEABLE),
        "phases": labels(PHASE_LABELS),
        "kpis": labels(KPI_LABELS),
        "rules": labels(RULE_LABELS),
        "rule_details": sorted(RULE_DETAILS),
        "projection": labels(PROJECTION_LABELS),
        "screening": labels(SCREENING_LABELS),
        "terms": labels(TERM_LABELS),
        "coordination": labels(COORDINATION_LABELS),
    }
