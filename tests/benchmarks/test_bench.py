"""Benchmarks start and answer correctly on tiny inputs (the real runs are on demand)."""

from __future__ import annotations

import json

import pytest

from benchmarks.common import SHARED
from benchmarks.gap import GapInstance, gap_model, read_gap_file, solve_gap
from benchmarks.peers import run_peer
from benchmarks.run import main
from optimizer.data.problem import Problem
from optimizer.data.read import read_scenario
from tests.conftest import DATA

needs_shared = pytest.mark.skipif(not (SHARED / "best_known.csv").exists(),
                                  reason="../shared/benchmarks is not beside this checkout")


def test_gap_engine_on_a_hand_made_instance():
    # 2 agents, 3 jobs: job costs on agent 0 / 1, capacity forces one job to agent 1
    import numpy as np

    g = GapInstance("toy", np.array([[1, 1, 1], [5, 4, 9]]), np.array([[2, 2, 2], [1, 1, 1]]),
                    np.array([4, 3]))
    r = solve_gap(g, 5.0)
    assert r["objective"] == 1 + 1 + 4 and r["status"] == "optimal"
    assert gap_model(g).n_rows == 3 + 2


@needs_shared
def test_gap_bench_reproduces_the_first_orlib_optima(tmp_path, capsys):
    out = tmp_path / "gap.json"
    assert main(["gap", "--instances", str(SHARED / "orlib" / "gap1.txt"), "--limit", "2",
                 "--time-limit", "10", "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [r["instance"] for r in rows] == ["c515-1", "c515-2"]
    assert all(r["objective"] == r["best_known"] for r in rows)
    assert all(r["cpu_s"] > 0 for r in rows)
    assert capsys.readouterr().out.startswith("# machine: ")
    assert len(read_gap_file(SHARED / "orlib" / "gap1.txt")) == 5


@pytest.mark.parametrize("peer", ["greedy", "highs", "cpsat"])
def test_peers_run_on_the_tiny_scenario(peer):
    p = Problem.from_scenario(read_scenario(DATA / "tiny.json"))
    row = run_peer(p, peer, 5.0, 0)
    assert row["objective"] >= 0 and row["solve_s"] >= 0


def test_scale_over_several_seeds_reports_cpu_seconds_and_the_machine(tmp_path, capsys):
    out = tmp_path / "scale.json"
    assert main(["scale", "--presets", "lishui", "--seeds", "1,2", "--time-limit", "10",
                 "--workers", "1", "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [r["seed"] for r in rows] == [1, 2]
    assert all(r["cpu_s"] > 0 and r["objective"] > 0 for r in rows)
    assert rows[0]["objective"] != rows[1]["objective"]  # two scenarios, not one twice
    printed = capsys.readouterr().out
    assert printed.startswith("# machine: ") and "load average" in printed and "cpu_s" in printed


def test_seeds_are_a_list_or_a_range():
    from benchmarks.common import seeds_arg

    assert seeds_arg("1-4") == [1, 2, 3, 4] and seeds_arg("3,1") == [3, 1] and seeds_arg("7") == [7]
