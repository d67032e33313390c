"""The modes of cross-execution (交叉执行的方式), one spec each, and the triggers they remedy.

A mode is defined here once: its labels, its weight in the objective (with the default), the
triggers (必要性) it remedies, whether the case changes court, who decides it, and the document
it issues. Everything else (the scenario's `Weights`, the mode costs, the plan's `decided_by`,
the report's labels) is derived from `MODE_SPECS`. The legal options a mode offers a case are
generated in `optimizer/model/options.py` (one function per mode, `CANDIDATES`).
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
    mode: Mode
    key: str  # id in plan files and changes
    label_zh: str
    label_en: str
    weight: str | None  # field of `Weights` with the mode's fixed cost; None = free
    default_weight: float
    remedies: Trigger  # soft triggers the mode remedies (hard ones: see options.py)
    moves: bool  # the executing court changes
    decider: Decider
    basis: str  # document issued and legal basis (规范性)


MODE_SPECS: tuple[ModeSpec, ...] = (
    ModeSpec(Mode.KEEP, "keep", "不交叉", "keep", None, 0.0, NO_TRIGGER, False, Decider.NONE, ""),
    ModeSpec(Mode.INTERNAL, "internal", "内部交叉", "another team", "mode_internal", 20.0,
             Trigger.PASSIVE, False, Decider.SELF, "内部交叉：本院决定更换执行团队"),
    ModeSpec(Mode.SUPERVISE, "supervise", "督促执行", "supervise", "mode_supervise", 40.0,
             Trigger.PASSIVE | Trigger.OVERDUE | Trigger.REQUEST, False, Decider.PARENT,
             "督促执行令（民事诉讼法第237条；执行程序解释第10、11条）"),
    ModeSpec(Mode.DESIGNATE, "designate", "指令执行", "designate", "mode_designate", 120.0,
             Trigger.PASSIVE | Trigger.OVERDUE | Trigger.UNDERSTAFFED | Trigger.REQUEST, True,
             Decider.SUPERIOR,
             "指令执行裁定（民事诉讼法第237条；执行程序解释第11条；法发〔2024〕9号）"),
    ModeSpec(Mode.ELEVATE, "elevate", "提级执行", "elevate", "mode_elevate", 220.0,
             Trigger.PASSIVE | Trigger.OVERDUE | Trigger.COMPLEX | Trigger.UNDERSTAFFED
             | Trigger.REQUEST, True, Decider.PARENT,
             "提级执行裁定（民事诉讼法第237条；执行程序解释第11条；法发〔2024〕9号）"),
    ModeSpec(Mode.CONCENTRATE, "concentrate", "集中执行", "concentrate", "mode_concentrate", 120.0,
             Trigger.PASSIVE | Trigger.OVERDUE | Trigger.COMPLEX | Trigger.UNDERSTAFFED
             | Trigger.RELATED, True, Decider.GROUP,
             "集中执行决定（法发〔2024〕9号 三；执行工作若干问题的规定第13、14条）"),
    ModeSpec(Mode.COORDINATE, "coordinate", "协同执行", "coordinate", "mode_coordinate", 90.0,
             Trigger.COMPLEX | Trigger.UNDERSTAFFED, False, Decider.PARENT,
             "协同执行调度（法发〔2000〕3号 第4条；执行工作若干问题的规定第74条）"),
)
assert [s.mode for s in MODE_SPECS] == list(Mode), "MODE_SPECS must follow Mode's order"

MODE_BY_KEY = {s.key: s.mode for s in MODE_SPECS}
MODE_LABELS = {s.mode: s.label_zh for s in MODE_SPECS}
ENTRUST_BASIS = "；事项委托经执行指挥中心平台办理（委托执行若干问题的规定第2、4条）"
