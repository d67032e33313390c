"""Officers (estimates and exact re-solves), the sweep (grid, parallel, table, chart), the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from optimizer.cli import main
from optimizer.data.problem import Problem
from optimizer.io.csv_out import to_csv
from optimizer.pipeline import plan_problem
from optimizer.solver.params import SolveParams
from optimizer.workbench.officers import court_estimates, exact_courts, pair_estimates
from optimizer.workbench.sweep import chart_svg, parse_axis, sweep, variant
from optimizer.workbench.view import view
from tests.conftest import plan_for
from tests.optimizer.workbench.conftest import loaded

EXACT = SolveParams(time_limit=30.0, gap=0.0)


@pytest.fixture(scope="module")
def solved():  # type: ignore[no-untyped-def]
    s, plan = plan_for(loaded(), gap=0.0)
    return view(Problem.from_scenario(s), plan)


def test_the_overloaded_court_gains_most(solved) -> None:  # type: ignore[no-untyped-def]
    gains = court_estimates(solved)
    assert gains[0].court_id == "A" and gains[0].estimate > 0
    assert all(g.estimate >= 0 for g in gains)
    assert [g.estimate for g in gains] == sorted((g.estimate for g in gains), reverse=True)


def test_exact_is_the_variants_objective_difference(solved) -> None:  # type: ignore[no-untyped-def]
    top = exact_courts(solved, court_estimates(solved), 2, EXACT, workers=1)
    for g in top[:2]:
        off = solved.p.officers.copy()
        off[solved.p.court_ids.index(g.court_id)] += 1
        b = plan_problem(solved.p.replace(officers=off), None, EXACT)
        assert g.exact == pytest.approx(solved.plan.objective - b.objective, abs=1e-3)
        assert g.exact_low <= g.exact + 1e-6 <= g.exact_high + 2e-6
    assert top[2].exact is None


def test_pairs_without_room_say_why(solved) -> None:  # type: ignore[no-untyped-def]
    for pr in pair_estimates(solved):
        assert pr.room or pr.why_not


def test_axes_are_parsed_and_checked(solved) -> None:  # type: ignore[no-untyped-def]
    assert parse_axis("officers:A=0,2").values == (0, 2)
    assert parse_axis("rule:max_utilisation=1.2,none").values == (1.2, None)
    with pytest.raises(ValueError, match="--vary expects"):
        parse_axis("staff:A=1")
    with pytest.raises(ValueError, match="court 'Q'"):
        variant(solved.p, {"officers:Q": 1})
    with pytest.raises(ValueError, match="unknown weight"):
        variant(solved.p, {"weight:nope": 1.0})
    assert variant(solved.p, {"officers:A": 2}).officers[solved.p.court_ids.index("A")] == 4


def test_sweep_solves_each_variant_like_the_pipeline(solved) -> None:  # type: ignore[no-untyped-def]
    axes = [parse_axis("officers:A=0,3"), parse_axis("weight:mode_supervise=40,400")]
    rows = sweep(solved.p, axes, EXACT, workers=2)
    assert len(rows) == 4 and [r["officers:A"] for r in rows] == [0, 0, 3, 3]
    for r in rows:
        direct = plan_problem(variant(solved.p, {k: r[k] for k in ("officers:A",
                                                                   "weight:mode_supervise")}),
                              None, EXACT)
        assert r["objective"] == pytest.approx(direct.objective) and r["status"] == "optimal"
    assert rows[0]["objective"] == pytest.approx(solved.plan.objective)
    csv = to_csv(rows).splitlines()
    assert csv[0].startswith("variant,officers:A,weight:mode_supervise,status,objective")
    assert len(csv) == 5
    svg = chart_svg(rows, axes, "max_utilisation_after")
    assert "<text" in svg and "max_utilisation_after" in svg and "<svg" in svg
    ys = np.array([r["kpi.max_utilisation_after"] for r in rows])
    assert ys[2] < ys[0]  # more officers at the loaded court: lower peak utilisation


def test_cli_round_trip(tmp_path: Path, solved, capsys) -> None:  # type: ignore[no-untyped-def]
    scen, plan = tmp_path / "s.json", tmp_path / "p.json"
    scen.write_text(json.dumps(loaded()), encoding="utf-8")
    plan.write_text(solved.plan.to_json(), encoding="utf-8")
    assert main(["compare", str(plan), str(plan), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["empty"] is True
    assert main(["explain", str(scen), str(plan), "K5", "--why-not", "A"]) == 0
    out = capsys.readouterr().out
    names = {c["id"]: c["name"] for c in loaded()["courts"]}
    assert "不当干预" in out and f"{names['A']} A" in out  # courts by name, then id
    assert main(["explain", str(scen), str(plan), "K5", "--exact", "0"]) == 0
    out = capsys.readouterr().out
    assert f"原法院 from {names[solved.plan.cases[5].from_court_id]}" in out
    assert main(["explain", str(scen), str(plan), "--out", "-"]) == 0
    assert len(json.loads(capsys.readouterr().out)["cases"]) == 8
    new = tmp_path / "n.json"
    new.write_text(json.dumps({**loaded()["cases"][0], "id": "N1", "court": "Q"}), encoding="utf-8")
    assert main(["recommend", str(scen), str(plan), str(new)]) == 2
    assert "case.court N1" in capsys.readouterr().err
    assert main(["officers", str(scen), str(plan), "--top", "0"]) == 0
    assert "增加一名执行人员" in capsys.readouterr().out
    assert main(["compare", str(plan), str(scen)]) == 2  # a scenario is not a plan
    assert "not a courtplan plan file" in capsys.readouterr().err
