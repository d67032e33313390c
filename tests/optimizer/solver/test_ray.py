"""Pieces on a Ray cluster give the same plan as the local run (a local Ray instance)."""

from __future__ import annotations

import pytest

from optimizer.data.generate import generate
from optimizer.data.read import parse_scenario
from optimizer.pipeline import plan_scenario
from optimizer.solver.params import SolveParams

ray = pytest.importorskip("ray", reason="Ray is an optional extra (pip install 'courtplan[ray]')")


def decisions(plan):
    return ([(c.case_id, c.mode, c.court_id) for c in plan.cases],
            sorted((m.from_court, m.to_court, m.officers) for m in plan.staff_moves))


def test_pieces_on_a_local_ray_instance_give_the_local_plan():
    s = parse_scenario(generate("national", seed=3, cases=1500))
    local = plan_scenario(s, None, SolveParams(time_limit=120, workers=1))
    assert local.stats.pieces > 3  # several independent pieces to spread
    on_ray = plan_scenario(s, None, SolveParams(time_limit=120, workers=1, ray_address="local"))
    assert decisions(on_ray) == decisions(local)
    assert on_ray.objective == pytest.approx(local.objective)
    assert on_ray.bound == pytest.approx(local.bound)
    assert not ray.is_initialized()  # the instance it started is shut down again


def test_an_unreachable_cluster_is_a_clear_usage_error():
    from optimizer.cli import main

    code = main(["solve", "tests/data/tiny.json", "--quiet", "--ray", "ray://127.0.0.1:1"])
    assert code == 2
