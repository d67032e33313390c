"""The modes of cross-execution (交叉执行的方式), one spec each, and the triggers they remedy.

A mode is defined here once: its labels, its weight in the objective (with the default), the
triggers (必要性) it remedies, whether the case changes court, who decides it, the document it
issues (its 文号 code, whether it is drafted), whether that decision is served and cannot be
taken back, whether it is a key decision, how an error names it, and its legal basis. Everything
else (the scenario's `Weights`, the mode costs, the plan's `decided_by`, the lawfulness
messages, re-planning, the rule gate, the KPIs, the reports, the drafts, the dashboard's labels
through `GET /vocabulary`) is derived from `MODE_SPECS` (docs/dev/new-mode.md). The legal
options a mode offers a case are generated in `optimizer/model/options.py` (one function per mode, `CANDIDATES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum, IntFlag


class Mode(IntEnum):
    """Decision for one case; the value is the mode's index in `MODE_SPECS`."""

    KEEP = 0  # 不交叉
    INTERNAL = 1  # 内部交叉
    SUPERVISE = 2  # 督促执行
    DESIGNATE = 3  # 指令执行
    ELEVATE = 4  # 提级执行
    CONCENTRATE = 5  # 集中执行
    COORDINATE = 6  # 协同执行

    @property
    def spec(self) -> ModeSpec:
        return MODE_SPECS[self]

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def label(self) -> str:
        return self.spec.label_zh


class Trigger(IntFlag):
    """Reasons that make cross-execution necessary (必要性原则)."""

    PASSIVE = 1  # 消极执行
    OVERDUE = 2  # 超六个月未执行 (Art. 237), with property or an act obligation
    COMPLEX = 4  # 重大疑难复杂
    UNDERSTAFFED = 8  # 执行力量不足: court above the understaffed utilisation
    REQUEST = 16  # 申请执行人依第237条申请
    RELATED = 32  # 同一被执行人多案在不同法院
    INTERFERENCE = 64  # 不当干预: must leave the home locality (hard)
    DEADLINE_MISSED = 128  # 督促期满未执结: must be designated or elevated (hard)
    WATCH = 256  # 逾督促观察期 (rules.watch_months), within the six months: 督促 on own initiative


NO_TRIGGER = Trigger(0)
#: Triggers that force a move (hard rules); the others are priced when left unremedied.
HARD_TRIGGERS = Trigger.INTERFERENCE | Trigger.DEADLINE_MISSED


@dataclass(frozen=True)
class TriggerSpec:
    trigger: Trigger
    label_zh: str
    label_en: str
    #: weight (in `Weights`) charged when a soft trigger is left unremedied; None for hard ones
    unresolved_weight: str | None


TRIGGER_SPECS: tuple[TriggerSpec, ...] = (
    TriggerSpec(Trigger.PASSIVE, "消极执行", "passive handling", "unresolved_passive"),
    TriggerSpec(Trigger.OVERDUE, "超六个月未执行（第237条）", "over six months (Art. 237)",
                "unresolved_overdue"),
    TriggerSpec(Trigger.COMPLEX, "重大疑难复杂", "complex", "unresolved_complex"),
    TriggerSpec(Trigger.UNDERSTAFFED, "执行力量不足", "short of staff", "unresolved_understaffed"),
    TriggerSpec(Trigger.REQUEST, "申请执行人申请上一级法院执行", "applicant's request",
                "unresolved_request"),
    TriggerSpec(Trigger.RELATED, "关联案件分散多院", "related cases spread", "unresolved_related"),
    TriggerSpec(Trigger.INTERFERENCE, "不当干预（地方保护）", "interference", None),
    TriggerSpec(Trigger.DEADLINE_MISSED, "督促期满未执结", "supervision deadline missed", None),
    TriggerSpec(Trigger.WATCH, "逾督促观察期（未满六个月）", "past the watch period (within six months)",
                "unresolved_watch"),
)
TRIGGER_LABELS = {t.trigger: t.label_zh for t in TRIGGER_SPECS}


class Decider(Enum):
    """Which court decides a mode, relative to the case's current court."""

    NONE = "none"  # nothing to decide (keep)
    SELF = "self"  # the executing court itself (its enforcement bureau)
    PARENT = "parent"  # the court one level up (上一级法院)
    SUPERIOR = "superior"  # a superior court whose district holds source and target
    GROUP = "group"  # the common superior of a debtor group's courts (per target)


@dataclass(frozen=True)
class ModeSpec:
    """Every fact of one mode; the tables of the other stages are derived from these."""

    mode: Mode
    key: str  # id in plan files and changes
    label_zh: str
    label_en: str
    weight: str | None  # field of `Weights` with the mode's fixed cost; None = free
    default_weight: float
    remedies: Trigger  # soft triggers the mode remedies (hard ones: see options.py)
    moves: bool  # the executing court changes (a 督促 deadline missed leaves only these)
    decider: Decider
    document: str  # the document the decision issues (文书)
    #: how a pin names the decision in an error: "case X may not be {verb} COURT"
    verb: str
    #: the decision is served on the parties and courts and cannot be taken back: a re-plan
    #: (`--previous`) keeps it (results/previous.py)
    issued: bool
    #: rank among the key decisions a planner reads first (1 first; text report); None: not one
    key_decision: int | None
    #: a draft of the document is written (report/draft_texts.py has its writer)
    drafted: bool
    #: the 类型代字 of the document's 文号; None where the court's docketing decides it
    number_code: str | None
    #: the key in `BASIS` of the decision's basis when nothing more specific applies
    basis: str

    @property
    def opened_by(self) -> Trigger:
        """The soft triggers for which the mode is offered: those it remedies, except the
        planner's watch period, which opens only 督促 (执行工作规定第74条第1款 "应当督促下级法院限期
        执行"; moving a case needs the six months or another reason). A mode that moves a case
        for another reason still remedies the watch."""
        return self.remedies if self.mode is Mode.SUPERVISE else self.remedies & ~Trigger.WATCH


MODE_SPECS: tuple[ModeSpec, ...] = (
    ModeSpec(Mode.KEEP, "keep", "不交叉", "keep", None, 0.0, NO_TRIGGER, False, Decider.NONE, "",
             verb="kept at", issued=False, key_decision=None, drafted=False, number_code=None,
             basis=""),
    ModeSpec(Mode.INTERNAL, "internal", "内部交叉", "another team", "mode_internal", 20.0,
             Trigger.PASSIVE, False, Decider.SELF, "本院执行局决定",
             verb="given another team at", issued=False, key_decision=None, drafted=False,
             number_code=None, basis="internal"),
    ModeSpec(Mode.SUPERVISE, "supervise", "督促执行", "supervise", "mode_supervise", 40.0,
             Trigger.PASSIVE | Trigger.OVERDUE | Trigger.REQUEST | Trigger.WATCH, False,
             Decider.PARENT, "督促执行令",
             verb="supervised (督促) at", issued=True, key_decision=None, drafted=True,
             number_code="执监", basis="supervise_own"),
    ModeSpec(Mode.DESIGNATE, "designate", "指令执行", "designate", "mode_designate", 120.0,
             Trigger.PASSIVE | Trigger.OVERDUE | Trigger.UNDERSTAFFED | Trigger.REQUEST | Trigger.WATCH, True,
             Decider.SUPERIOR, "指令执行裁定书",
             verb="designated to", issued=True, key_decision=2, drafted=True, number_code="执监",
             basis="designate_own"),
    ModeSpec(Mode.ELEVATE, "elevate", "提级执行", "elevate", "mode_elevate", 220.0,
             Trigger.PASSIVE | Trigger.OVERDUE | Trigger.COMPLEX | Trigger.UNDERSTAFFED
             | Trigger.REQUEST | Trigger.WATCH, True,
             Decider.PARENT, "提级执行裁定书",
             verb="elevated to", issued=True, key_decision=1, drafted=True, number_code="执监",
             basis="elevate_own"),
    ModeSpec(Mode.CONCENTRATE, "concentrate", "集中执行", "concentrate", "mode_concentrate", 120.0,
             Trigger.PASSIVE | Trigger.OVERDUE | Trigger.COMPLEX | Trigger.UNDERSTAFFED
             | Trigger.RELATED | Trigger.WATCH, True,
             Decider.GROUP, "集中执行裁定书",
             verb="concentrated at", issued=True, key_decision=3, drafted=True, number_code="执监",
             basis="concentrate_designate"),
    ModeSpec(Mode.COORDINATE, "coordinate", "协同执行", "coordinate", "mode_coordinate", 90.0,
             Trigger.COMPLEX | Trigger.UNDERSTAFFED, False, Decider.PARENT, "协同执行调度决定",
             verb="coordinated (协同) at", issued=False, key_decision=None, drafted=True,
             number_code=None, basis="coordinate_complex"),
)
assert [s.mode for s in MODE_SPECS] == list(Mode), "MODE_SPECS must follow Mode's order"

MODE_BY_KEY = {s.key: s.mode for s in MODE_SPECS}
MODE_LABELS = {s.mode: s.label_zh for s in MODE_SPECS}
#: the modes that change the executing court: the only answers to a missed 督促 deadline
MOVING_MODES = tuple(s.mode for s in MODE_SPECS if s.moves)
#: the key decisions a planner reads first, in the order they are read
KEY_DECISION_MODES = tuple(s.mode for s in sorted((s for s in MODE_SPECS if s.key_decision),
                                                  key=lambda s: s.key_decision or 0))


# ---------------------------------------------------------------- the recorded basis (规范性)
# Every decision names the document and the articles that empower it. This table is the one the
# product cites: docs/law.md ("The recorded basis") prints it, and a test checks the two agree.
# Abbreviations: 执行程序解释 = 最高人民法院关于适用《民事诉讼法》执行程序若干问题的解释; 执行工作规定 =
# 最高人民法院关于人民法院执行工作若干问题的规定（试行）; 委托执行规定 = 最高人民法院关于委托执行若干
# 问题的规定. 民事诉讼法第237条 and 执行程序解释第10条 are cited only where the applicant applied
# after the statutory six months: a decision on the superior court's own initiative rests on
# 执行工作规定第74条, whatever the case's age.
_APPLIED = "民事诉讼法第237条、执行程序解释第10条：逾六个月未执行，申请执行人已申请"
_OWN_OVERDUE = "逾六个月未执行，申请执行人未申请"
_DEADLINE = "执行程序解释第12条：督促执行令限期届满仍未执行完结"
_DISPATCH = "执行工作规定第74条第2款：上级法院统一调度"
_SUPERVISE_OWN = "执行工作规定第74条第1款：上级法院依职权督促"
BASIS: dict[str, str] = {
    "internal": "内部交叉：本院决定更换执行团队（不变更执行法院）",
    "supervise_applied": f"督促执行令（{_APPLIED}；执行程序解释第11条第1款）",
    "supervise_overdue": f"督促执行令（{_SUPERVISE_OWN}；{_OWN_OVERDUE}；参照执行程序解释第11条第1款）",
    "supervise_watch": f"督促执行令（{_SUPERVISE_OWN}，逾督促观察期未执行完结；参照执行程序解释第11条第1款）",
    "supervise_own": f"督促执行令（{_SUPERVISE_OWN}；参照执行程序解释第11条第1款）",
    "designate_applied": f"指令执行裁定（{_APPLIED}；执行程序解释第11条第2款）",
    "designate_overdue": f"指令执行裁定（{_DISPATCH}；{_OWN_OVERDUE}）",
    "designate_own": f"指令执行裁定（{_DISPATCH}）",
    "designate_deadline": f"指令执行裁定（{_DEADLINE}）",
    "elevate_applied": f"提级执行裁定（{_APPLIED}；执行程序解释第11条第2款）",
    "elevate_overdue": f"提级执行裁定（{_DISPATCH}；{_OWN_OVERDUE}）",
    "elevate_own": f"提级执行裁定（{_DISPATCH}）",
    "elevate_deadline": f"提级执行裁定（{_DEADLINE}）",
    "concentrate_designate": f"集中执行裁定（{_DISPATCH}，同一被执行人关联案件指定本辖区法院集中执行）",
    "concentrate_elevate": f"集中执行裁定（{_DISPATCH}，同一被执行人关联案件由本院集中执行）",
    "concentrate_stay": f"集中执行（{_DISPATCH}；本案已在集中执行法院，不变更执行法院）",
    "coordinate_officers": "协同执行调度决定（执行工作规定第8条、第74条第2款：上级法院统一调度执行力量）",
    "coordinate_complex": "协同执行（执行工作规定第8条：上级法院协调，重大疑难复杂案件）",
    # suffixes, joined to the main basis by "；"
    "applied": _APPLIED,
    "deadline": _DEADLINE,
    "entrust_out": "事项委托（委托执行规定第2条第2款、第4条第2款：经执行指挥中心综合管理平台办理，"
                   "受托法院不立案）",
    "entrust_in": "事项委托（参照委托执行规定第2条第2款、第4条第2款，经执行指挥中心综合管理平台办理）",
}
#: what the plan says where it decides nothing: a 终本 candidate's reason, a case outside the
#: dispatcher's district (its note), an applicant's request before the six months (a wish)
TERMINABLE_REASON = "终本候选：无可供执行财产、无行为义务（民诉法解释第517条）"
OUTSIDE_DISTRICT_NOTE = "辖区外案件：不属本院统一调度，本方案不作决定（执行工作规定第74条第2款“本辖区”）"
EARLY_REQUEST_WISH = "申请执行人申请上一级法院执行（未满六个月，尚不构成民事诉讼法第237条的申请）"


@dataclass(frozen=True)
class Situation:
    """What the basis of one decision depends on."""

    overdue: bool  # past the Art. 237 clock (net)
    watch: bool  # past the planner's watch period, within the six months
    applied: bool  # the applicant applied to the court one level up (only counts when overdue)
    deadline_missed: bool  # a 督促 deadline passed without the case being executed
    moved: bool  # the executing court changes
    to_decider: bool  # the case goes to the deciding court itself
    officers: bool  # 协同执行 with lent officers (not only coordination)
    entrusted: str  # "", "in" (same province) or "out" (another province)


def basis_for(mode: Mode, s: Situation) -> str:
    """The document and articles of one decision, joined by "；" (no stray separators)."""
    parts = [_main_basis(mode, s)]
    if mode in (Mode.CONCENTRATE, Mode.COORDINATE):
        if s.overdue and s.applied:
            parts.append(BASIS["applied"])
        if s.deadline_missed and mode is Mode.CONCENTRATE:
            parts.append(BASIS["deadline"])
    if s.entrusted:
        parts.append(BASIS[f"entrust_{s.entrusted}"])
    return "；".join(p for p in parts if p)


def _main_basis(mode: Mode, s: Situation) -> str:
    """The decision's own basis: the variant of the mode's situation where `BASIS` has one
    (`designate_deadline`, `elevate_applied`, `supervise_watch`, …), else the spec's `basis`."""
    if not mode.spec.basis:
        return ""
    if mode is Mode.COORDINATE:
        return BASIS["coordinate_officers" if s.officers else "coordinate_complex"]
    if mode is Mode.CONCENTRATE:
        if not s.moved:
            return BASIS["concentrate_stay"]
        return BASIS["concentrate_elevate" if s.to_decider else "concentrate_designate"]
    if s.deadline_missed and mode in (Mode.DESIGNATE, Mode.ELEVATE):
        variant = "deadline"
    elif s.overdue:
        variant = "applied" if s.applied else "overdue"
    else:
        variant = "watch" if s.watch else ""
    return BASIS.get(f"{mode.key}_{variant}", BASIS[mode.spec.basis])
