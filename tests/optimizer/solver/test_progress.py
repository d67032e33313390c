"""Progress as it moves: phases in order, and inside a piece its incumbent and bound."""

from __future__ import annotations

from optimizer.pipeline import plan_scenario
from optimizer.solver.params import SolveParams
from optimizer.solver.progress import Phase, ProgressEvent


def test_progress_reports_phases_and_the_incumbent_inside_the_piece(lishui):
    events: list[ProgressEvent] = []
    plan = plan_scenario(lishui, None, SolveParams(time_limit=30, workers=1), events.append)
    phases = [e.phase for e in events]
    assert phases[0] == Phase.BUILD and phases[-1] == Phase.DONE
    assert phases.index(Phase.SOLVE) < phases.index(Phase.CHECK) < phases.index(Phase.DONE)
    inside = [e for e in events if e.phase == Phase.SOLVE and e.pieces_done < e.pieces_total
              and e.incumbent is not None and e.bound is not None]
    assert inside, "no step inside the piece told its incumbent and bound"
    assert all(e.bound <= e.incumbent + 1e-6 for e in inside)
    assert all(e.gap is not None and e.gap >= 0 for e in inside)
    elapsed = [e.elapsed for e in events]
    assert elapsed == sorted(elapsed)
    assert plan.status in ("optimal", "within_gap")
