"""Typed progress events, sent to an optional callback while a plan is made (no printing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    READ = "read"  # reading and validating the scenario
    BUILD = "build"  # travel times, options, costs, pieces, model arrays
    SOLVE = "solve"  # pieces being solved (pass 1: the bound)
    LINKING = "linking"  # debtor groups across pieces decided, pieces re-solved (pass 2)
    CHECK = "check"  # rule gate and evaluation of the plan
    DONE = "done"


PHASE_LABELS = {
    Phase.READ: "读取场景", Phase.BUILD: "构建模型", Phase.SOLVE: "求解",
    Phase.LINKING: "关联案件组", Phase.CHECK: "规则校验", Phase.DONE: "完成",
}


@dataclass(frozen=True)
class ProgressEvent:
    phase: Phase
    message: str
    elapsed: float  # seconds since the start
    pieces_done: int = 0
    pieces_total: int = 0
    #: objective and proven bound over the pieces solved so far (None before any)
    incumbent: float | None = None
    bound: float | None = None

    @property
    def gap(self) -> float | None:
        if self.incumbent is None or self.bound is None or self.incumbent <= 0:
            return None
        return max(self.incumbent - self.bound, 0.0) / abs(self.incumbent)


ProgressCallback = Callable[[ProgressEvent], None]


def ignore(_event: ProgressEvent) -> None:
    """The default callback."""
