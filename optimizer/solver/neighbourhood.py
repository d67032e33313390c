"""The reduced-cost neighbourhood (约减费用邻域): a MIP on the options the LP finds (nearly) as
cheap as its own choice.

The LP's reduced cost d_o of an option o (a case's court and mode, or a debtor group's target)
is what the LP objective would rise by per unit of the case moved onto it. A plan costs at
least the LP bound plus the reduced costs of the options it uses beyond the LP's, so the good
plans use almost only options with small d_o; on Zhejiang the best known plans use options with
d_o up to ≈ 40 (of a gap of ≈ 4,500 to the bound), nearly all of them at d_o ≤ 5. This step
keeps, for every case, the options the LP uses, those of the incumbent (when there is one) and
the `extra_share × cases` cheapest other options of the piece by reduced cost; every other
option is fixed at 0. Lent officers (whole people) and the load bands stay free: the sub-MIP
re-decides the lending together with the cases, which is where rounding the LP loses
(Zhejiang: the LP with whole officers by diving lies 0.13 % above the bound).

HiGHS gets only the free columns (`restricted.run_fixed`); its presolve fixes the cases left
with one option, so ≈ 15,000 free columns become ≈ 2,500. A heuristic: the sub-MIP's own bound
holds only for the neighbourhood, never for the piece.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from optimizer.model.rows import Model
from optimizer.solver.points import fill_bands
from optimizer.solver.restricted import run_fixed

if TYPE_CHECKING:
    from optimizer.solver.piece import PieceSettings

#: the sub-MIP stops at this share of the piece's gap (its own, against its own bound): the
#: neighbourhood is small, and what it is for is a plan well inside the piece's gap
_SUB_GAP_SHARE = 0.1
_IN_LP = 1e-9  # an option with more than this in the LP is one the LP uses
#: `polish` runs the MIP when the plan is more than this share of the gap above the bound
#: (closer, there is little left to gain; Zhejiang: ≈ 1 s of LP, 0.5–1 s of this MIP)
ABOVE_GAP_SHARE = 0.5
#: the sub-MIP starts from the incumbent, and what improves it there is HiGHS's RINS: its other
#: root heuristics and its restart after the root only cost time (Zhejiang seed 4: 1.9 → 0.6
#: CPU s for a better plan; seed 3: 0.8 → 0.6 s, the same plan)
_SUB_MIP = {"mip_heuristic_run_feasibility_jump": False, "mip_heuristic_run_rens": False,
            "mip_heuristic_run_root_reduced_cost": False, "mip_allow_restart": False}


def reduced_costs(h: Any) -> NDArray[np.float64]:
    """The column reduced costs of the LP HiGHS `h` has just solved."""
    return np.asarray(h.getSolution().col_dual, dtype=np.float64)


def neighbourhood(m: Model, lp: NDArray[np.float64], reduced: NDArray[np.float64],
                  best: NDArray[np.float64] | None, extra_share: float
                  ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Column bounds (lower, upper) of the neighbourhood: options (x and y columns) outside
    the LP's support, the incumbent's and the cheapest `extra_share × cases` by reduced cost
    fixed at 0; every other column keeps the model's bounds."""
    lay = m.layout
    options = np.r_[np.arange(lay.x0, lay.x0 + lay.n_x), np.arange(lay.y0, lay.y0 + lay.n_y)]
    keep = lp[options] > _IN_LP
    if best is not None:
        keep |= best[options] > 0.5
    others = np.flatnonzero(~keep)
    n_extra = min(int(extra_share * len(m.piece.cases)), len(others))
    cheapest = others[np.argsort(reduced[options[others]], kind="stable")[:n_extra]]
    keep[cheapest] = True
    lower, upper = m.lower.copy(), m.upper.copy()
    upper[options[~keep]] = 0.0  # (lower is 0 there: fixed)
    return lower, upper


def neighbourhood_mip(m: Model, lp: NDArray[np.float64], reduced: NDArray[np.float64],
                      best: NDArray[np.float64] | None, best_obj: float, seconds: float,
                      extra_share: float, cfg: PieceSettings, steps: list[str]
                      ) -> tuple[NDArray[np.float64] | None, float]:
    """Branch and cut on the reduced-cost neighbourhood of the LP `lp` (from `best` when
    given); the better of its plan and `best`."""
    lower, upper = neighbourhood(m, lp, reduced, best, extra_share)
    res = run_fixed(m, lower, upper, seconds, replace(cfg, gap=cfg.gap * _SUB_GAP_SHARE), best,
                    options=_SUB_MIP)
    if res.values is not None and res.objective < best_obj - 1e-9:
        best, best_obj = fill_bands(m, res.values), res.objective
    n_free = int((upper[m.layout.x] > 0).sum() + (upper[m.layout.y] > 0).sum())
    steps.append(f"neighbourhood mip ({n_free} options) {res.outcome.value} "
                 f"{best_obj:.2f}")
    return best, best_obj


def polish(m: Model, lp: NDArray[np.float64], reduced: NDArray[np.float64],
           best: NDArray[np.float64] | None, best_obj: float, bound: float, seconds: float,
           cfg: PieceSettings, steps: list[str]) -> tuple[NDArray[np.float64] | None, float, bool]:
    """`neighbourhood_mip` around the plan `best` when it is more than `ABOVE_GAP_SHARE` of the
    gap above `bound`: (the better plan, its objective, whether the neighbourhood found it)."""
    if not best_obj - bound > ABOVE_GAP_SHARE * cfg.gap * abs(best_obj):
        return best, best_obj, False
    found, found_obj = neighbourhood_mip(m, lp, reduced, best, best_obj, seconds,
                                         cfg.neighbourhood_share, cfg, steps)
    return found, found_obj, found_obj < best_obj
