"""Shared helpers: every plan a test produces goes through the independent checker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from optimizer.data.read import parse_scenario
from optimizer.data.scenario import Scenario
from optimizer.pipeline import plan_scenario
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams
from tests.checker import check_plan

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def plan_for(data: dict[str, Any] | Scenario, **params: Any) -> tuple[Scenario, Plan]:
    """Validate, solve and check a scenario; fails the test if the checker finds anything."""
    s = data if isinstance(data, Scenario) else parse_scenario(data)
    plan = plan_scenario(s, None, SolveParams(**{"time_limit": 30.0, **params}))
    problems = check_plan(s, plan)
    assert not problems, "\n".join(problems)
    # the plan file reads back to the same plan
    assert Plan.from_json(plan.to_json()) == plan
    return s, plan


@pytest.fixture(scope="session")
def lishui() -> Scenario:
    from optimizer.data.read import read_scenario

    return read_scenario(ROOT / "scenarios" / "lishui.json")
