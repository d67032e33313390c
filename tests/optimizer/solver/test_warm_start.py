"""A warm start seeds the solver with a plan; it pins nothing and charges nothing."""

from __future__ import annotations

import pytest

from optimizer.data.changes import ChangeSet, OfficerChange
from optimizer.pipeline import plan_scenario
from optimizer.solver.params import SolveParams


def test_a_warm_started_variant_is_the_cold_variant(lishui):
    params = SolveParams(time_limit=30, gap=0.0, workers=1)
    base = plan_scenario(lishui, None, params)
    court = lishui.courts[3].id
    variant = ChangeSet(officers=(OfficerChange(court=court, add=5),))
    cold = plan_scenario(lishui, variant, params)
    warm = plan_scenario(lishui, variant, params, warm_start=base)
    assert warm.objective == pytest.approx(cold.objective, rel=1e-9)
    assert warm.terms.get("stability", 0.0) == 0.0  # nothing charged for changing the base plan
    with pytest.raises(ValueError, match="not both"):
        plan_scenario(lishui, variant, params, previous=base, warm_start=base)


def test_a_variant_started_from_the_base_lp_basis_is_the_cold_variant(lishui):
    # the base keeps its pieces' LP bases in memory; a variant of the same shape starts its LP
    # from them (a few simplex iterations instead of thousands) and reaches the same plan
    base = plan_scenario(lishui, None, SolveParams(time_limit=30, gap=0.0, workers=1,
                                                   keep_warm_start=True))
    assert base.warm_starts and "warm_starts" not in base.to_json()
    variant = ChangeSet(officers=(OfficerChange(court=lishui.courts[1].id, add=3),))
    params = SolveParams(time_limit=30, gap=0.0, workers=1)
    cold = plan_scenario(lishui, variant, params)
    warm = plan_scenario(lishui, variant, params, warm_start=base)
    assert any("base plan" in step for step in warm.stats.pieces_detail[0].steps)
    assert warm.objective == pytest.approx(cold.objective, rel=1e-9)


def test_a_variant_with_lending_starts_from_a_base_without_any(lishui):
    # the base lends no officer (every court keeps all its own), the variant may: the base's
    # officers are no start there, the rest is
    params = SolveParams(time_limit=30, gap=0.0, workers=1)
    no_lending = ChangeSet(rules={"lending_min_keep_share": 1.0})
    base = plan_scenario(lishui, no_lending, SolveParams(time_limit=30, gap=0.0, workers=1,
                                                         keep_warm_start=True))
    assert base.warm_starts and not base.staff_moves
    cold = plan_scenario(lishui, None, params)
    warm = plan_scenario(lishui, None, params, warm_start=base)
    assert warm.objective == pytest.approx(cold.objective, rel=1e-9)
