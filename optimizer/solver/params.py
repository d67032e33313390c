"""Solver parameters, validated, with the schedule's time shares as named fields."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from optimizer.law.errors import UserError

DEFAULT_TIME_LIMIT = 60.0  # seconds, whole solve
DEFAULT_GAP = 1e-3  # relative gap at which a solve stops


class ParamsError(UserError):
    """A solve parameter out of its range (the message names it)."""

    path = "params"


@dataclass(frozen=True)
class SolveParams:
    """What a solve may spend and when it may stop.

    The schedule fields are tuning, not policy; they are fields (not constants) so a benchmark
    or a test can set them without patching modules."""

    time_limit: float = DEFAULT_TIME_LIMIT
    gap: float = DEFAULT_GAP  # stop once the proven relative gap is at most this
    seed: int = 0
    workers: int = 1  # processes for independent pieces
    # --- schedule ---
    #: the LP of a piece is its bound: it may run this long even past the piece's share
    lp_min_seconds: float = 60.0
    #: pieces overrun their share a little (the LP must finish); shares are scaled by this
    piece_share: float = 0.8
    #: with debtor groups linking pieces, pass 1 (relaxed, for the bound) gets this share; the
    #: rest goes to pass 2 (re-solving with the groups decided) when it can take a whole pass
    linking_pass1_share: float = 1.0
    #: the restricted MIP on a piece's fractional cases gets this share of the piece's time left
    restricted_mip_share: float = 0.5
    #: debtor groups merge pieces while the merged piece has at most this many free cases
    max_piece_cases: int = 15_000
    #: rounds of LP diving that make lent officers whole
    staff_dive_rounds: int = 6
    #: run the pieces on a Ray cluster at this address ("local" starts one here); None = the
    #: local process pool (or `COURTPLAN_RAY_ADDRESS`)
    ray_address: str | None = None
    #: keep what a what-if variant needs to start where this plan ended (each piece's cuts, LP
    #: basis and whole officers; in memory, `solver/warm.py`): a variant planned with
    #: `warm_start=` this plan then re-solves in a fraction of the time
    keep_warm_start: bool = False
    #: rounds of residual-capacity cuts on the officers of 协同 cases (0 = none; `cuts.py`)
    cut_rounds: int = 8
    #: rounds of cuts on top of those a warm start carries (its LP starts near their end)
    warm_cut_rounds: int = 1
    #: share of a piece's time left before branch and cut given to the improvement phase
    #: (large-neighbourhood search on sub-MIPs, `improve.py`); 0 = none (the default: it did not
    #: win in the one-run comparison, benchmarks/README.md)
    improve_share: float = 0.0
    #: mixed-integer rounding cuts on the courts' load rows with whole officers (`cuts.py`):
    #: the national scenario's largest piece ends 0.13 % above its bound after the restricted
    #: MIP with them, 0.20 % without (benchmarks/README.md)
    load_cuts: bool = True
    #: options beyond the LP's, as a share of a piece's cases, in the reduced-cost
    #: neighbourhood MIP after the dive (`neighbourhood.py`); 0 = none
    neighbourhood_share: float = 0.2
    #: share of a piece's time left before branch and cut given to the local search
    #: (`assignment.py`), 2/5 before branch and cut and the rest after it; only a piece that is
    #: a pure assignment (one option per case, hard capacity rows, nothing else: the GAP) runs
    #: it, so a court plan with lending, groups or load bands never does; 0 = none
    assignment_search_share: float = 0.3

    def __post_init__(self) -> None:
        if not (isinstance(self.time_limit, int | float) and math.isfinite(self.time_limit)
                and self.time_limit > 0):
            raise ParamsError(f"time_limit must be a positive number of seconds, got {self.time_limit}")
        if not (isinstance(self.gap, int | float) and 0 <= self.gap < 1):
            raise ParamsError(f"gap must be in [0, 1), got {self.gap}")
        for name in ("seed", "workers", "max_piece_cases", "staff_dive_rounds", "cut_rounds",
                     "warm_cut_rounds"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ParamsError(f"{name} must be a whole number, got {value!r}")
        if self.seed < 0:
            raise ParamsError(f"seed must be ≥ 0, got {self.seed}")
        if self.workers < 1:
            raise ParamsError(f"workers must be ≥ 1, got {self.workers}")
        if self.max_piece_cases < 1 or self.staff_dive_rounds < 1:
            raise ParamsError("max_piece_cases and staff_dive_rounds must be ≥ 1")
        for name in ("cut_rounds", "warm_cut_rounds"):
            if getattr(self, name) < 0:
                raise ParamsError(f"{name} must be ≥ 0, got {getattr(self, name)}")
        for name in ("piece_share", "linking_pass1_share", "restricted_mip_share"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0 < value <= 1):
                raise ParamsError(f"{name} must be in (0, 1], got {value!r}")
        for name in ("improve_share", "assignment_search_share"):
            value = getattr(self, name)
            if not (isinstance(value, int | float) and 0 <= value < 1):
                raise ParamsError(f"{name} must be in [0, 1), got {value!r}")
        if not (isinstance(self.neighbourhood_share, int | float)
                and 0 <= self.neighbourhood_share <= 10):
            raise ParamsError(f"neighbourhood_share must be in [0, 10], got {self.neighbourhood_share!r}")
        if not (math.isfinite(self.lp_min_seconds) and self.lp_min_seconds >= 0):
            raise ParamsError(f"lp_min_seconds must be ≥ 0, got {self.lp_min_seconds}")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
