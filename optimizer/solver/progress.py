"""Typed progress events, sent to an optional callback while a plan is made (no printing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from optimizer.law.vocabulary import Phase


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


__all__ = ["Phase", "ProgressCallback", "ProgressEvent", "ignore"]


def ignore(_event: ProgressEvent) -> None:
    """The default callback."""
