"""Small scenarios with choices for the workbench tests: a loaded court, movable cases."""

from __future__ import annotations

from typing import Any

from tests.builders import base_courts, case, scenario

WEIGHTS = {"applicant_travel": 1.0, "debtor_travel": 0.5, "change_court": 30.0,
           "mode_internal": 20.0, "mode_supervise": 40.0, "mode_designate": 120.0,
           "mode_elevate": 220.0, "unresolved_passive": 150.0, "unresolved_overdue": 200.0,
           "load_slopes": [1.0, 3.0, 9.0], "applicant_objection": 80.0}


def loaded(weights: dict[str, Any] | None = None, **court_over: Any) -> dict[str, Any]:
    """Court A overloaded (its cases passive or overdue), B and C with room; M (no officers)
    decides. Eight cases, one interference case, one the applicant objects to moving."""
    courts = base_courts(A={"officers": 2, "open_caseload": 150.0},
                         B={"officers": 3, "open_caseload": 60.0},
                         C={"officers": 3, "open_caseload": 80.0}, **court_over)
    cases = [case(f"K{i}", "A", workload=8.0, passive=True, filed="2025-01-10")
             for i in range(5)]
    cases += [case("K5", "A", workload=6.0, interference=True),
              case("K6", "A", workload=6.0, passive=True, objects=True),
              case("K7", "B", workload=5.0, passive=True)]
    return scenario(cases, courts, weights={**WEIGHTS, **(weights or {})})
