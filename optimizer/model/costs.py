"""Cost of each (case, mode, court) option by term, vectorised (两便原则 and the mode ladder).

Terms, in cost points (1 point ≈ one minute of a party's travel):
- `party_travel`: applicant and debtor domicile → executing court;
- `asset_travel`: executing court → each asset, shared by asset value (main asset first);
- `entrustment`: a fixed cost per entrusted matter (事项委托), taken where cheaper than travel;
- `mode`: the mode ladder 内部交叉 < 督促 < 指令 ≈ 集中 < 提级;
- `change`: file hand-over when the executing court changes;
- `wishes`: the applicant's objection to a transfer, minus a bonus for the preferred court;
- `unresolved`: soft triggers the mode leaves unremedied (necessity cuts both ways);
- `stability`: re-planning (`--previous`): the option differs from the case's previous decision
  (set by `build_options` from the restrictions; zero otherwise).
The load and staff-lending terms depend on the whole plan and are priced by the model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from optimizer.data.problem import Problem
from optimizer.data.scenario import Weights
from optimizer.law.modes import MODE_SPECS, TRIGGER_SPECS

CASE_TERMS = ("party_travel", "asset_travel", "entrustment", "mode", "change", "wishes", "unresolved",
              "stability")
PLAN_TERMS = ("load", "staff_lending")
TERMS = CASE_TERMS + PLAN_TERMS
# column of each case term in the (options, CASE_TERMS) arrays
(PARTY_TRAVEL, ASSET_TRAVEL, ENTRUSTMENT, MODE, CHANGE, WISHES, UNRESOLVED,
 STABILITY) = range(len(CASE_TERMS))

def mode_costs(w: Weights) -> NDArray[np.float64]:
    """Fixed cost of each mode, indexed by `Mode`."""
    return np.array([getattr(w, s.weight) if s.weight else 0.0 for s in MODE_SPECS])


def remedy_masks() -> NDArray[np.int64]:
    """Trigger bits each mode remedies, indexed by `Mode`."""
    return np.array([int(s.remedies) for s in MODE_SPECS], dtype=np.int64)


@dataclass(frozen=True)
class AssetPlan:
    """Per (option, asset) pair: which assets an option would entrust."""

    pair_option: NDArray[np.int64]
    pair_asset: NDArray[np.int64]
    entrusted: NDArray[np.bool_]

    def subset(self, rows: NDArray[np.int64], n_old: int) -> AssetPlan:
        """Keep the asset pairs of the selected option rows (ascending), renumbered."""
        new = np.full(n_old, -1, dtype=np.int64)
        new[rows] = np.arange(len(rows))
        mapped = new[self.pair_option]
        keep = mapped >= 0
        return AssetPlan(mapped[keep], self.pair_asset[keep], self.entrusted[keep])


def option_costs(
    p: Problem, case: NDArray[np.int64], mode: NDArray[np.int64], court: NDArray[np.int64],
) -> tuple[NDArray[np.float64], AssetPlan]:
    """Cost terms (n, len(CASE_TERMS)) for the options, and their entrustment choices."""
    w = p.weights
    n = len(case)
    out = np.zeros((n, len(CASE_TERMS)))
    cplace = p.court_place[court]
    t = p.travel
    out[:, PARTY_TRAVEL] = (w.applicant_travel * t[p.case_applicant_place[case], cplace]
                 + w.debtor_travel * t[p.case_debtor_place[case], cplace])

    # (option, asset) pairs: every asset of each option's case
    order = np.argsort(p.asset_case, kind="stable")
    a_case = p.asset_case[order]
    starts = np.searchsorted(a_case, case, side="left")
    counts = np.searchsorted(a_case, case, side="right") - starts
    pair_option = np.repeat(np.arange(n), counts)
    offsets = np.arange(len(pair_option)) - np.repeat(np.cumsum(counts) - counts, counts)
    pair_asset = order[np.repeat(starts, counts) + offsets]
    travel = (w.asset_travel * t[cplace[pair_option], p.asset_place[pair_asset]]
              * p.asset_share[pair_asset])
    entrusted = np.zeros(len(pair_option), dtype=bool)
    if p.rules.entrust_matters:
        entrusted = (travel > w.entrust_matter) & (cplace[pair_option] != p.asset_place[pair_asset])
    out[:, ASSET_TRAVEL] = np.bincount(pair_option, weights=np.where(entrusted, 0.0, travel), minlength=n)
    out[:, ENTRUSTMENT] = np.bincount(pair_option, weights=entrusted * w.entrust_matter, minlength=n)

    out[:, MODE] = mode_costs(w)[mode]
    moved = court != p.case_court[case]
    out[:, CHANGE] = moved * w.change_court
    out[:, WISHES] = (moved & p.case_objects[case]) * w.applicant_objection
    out[:, WISHES] -= (p.case_preferred[case] == court) * w.preferred_court_bonus
    left = p.triggers[case] & ~remedy_masks()[mode]
    for spec in TRIGGER_SPECS:
        if spec.unresolved_weight is not None:
            out[:, UNRESOLVED] += (((left & int(spec.trigger)) != 0)
                                   * getattr(w, spec.unresolved_weight))
    return out, AssetPlan(pair_option, pair_asset, entrusted)


def band_penalty(p: Problem, courts: NDArray[np.int64], excess: NDArray[np.float64]) -> NDArray[np.float64]:
    """Convex piecewise-linear penalty of load above the target, per court."""
    r, w = p.rules, p.weights
    slopes = np.asarray(w.load_slopes, dtype=np.float64)
    width = r.load_band_width * p.capacity[courts]
    out = np.zeros(len(courts))
    rest = np.maximum(excess, 0.0)
    for b, slope in enumerate(slopes):
        part = rest if b == len(slopes) - 1 else np.minimum(rest, width)
        out += slope * part
        rest = rest - part
    return out
