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
