"""Typed statistics of a solve (as PyVRP's `Statistics`): timings, sizes, pieces."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class PieceStats:
    cases: int
    columns: int
    status: str
    method: str
    seconds: float
    steps: tuple[str, ...]


@dataclass(frozen=True)
class SolveStats:
    """How the plan was made: timings, sizes, pieces, and what the rule gate rejected."""

    seconds_options: float = 0.0
    seconds_build: float = 0.0
    seconds_solve: float = 0.0
    seconds_total: float = 0.0
    options: int = 0
    options_pruned: int = 0
    free_cases: int = 0
    pieces: int = 0
    largest_piece_cases: int = 0
    linking_groups: int = 0
    pieces_resolved_after_linking: int = 0
    pieces_by_method: dict[str, int] = field(default_factory=dict)
    pieces_detail: tuple[PieceStats, ...] = ()
    bound_method: str = ""
    baseline_objective: float = 0.0
    seed: int = 0
    time_limit: float = 0.0
    gap_limit: float = 0.0
    #: hard rules broken by candidate decisions the rule gate turned away (or, when the plan is
    #: infeasible, by the plan itself)
    rule_violations: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SolveStats:
        known = {f.name for f in fields(cls)}
        d = {k: v for k, v in d.items() if k in known}
        detail = tuple(PieceStats(**{**x, "steps": tuple(x["steps"])})
                       for x in d.pop("pieces_detail", ()))
        return cls(**{**d, "pieces_detail": detail,
                      "rule_violations": tuple(d.get("rule_violations", ()))})
