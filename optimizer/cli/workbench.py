"""The planner's workbench: compare, explain, officers, recommend, sweep.

Each prints a bilingual report (Chinese first) for people; `--json` prints JSON instead, and
`--out FILE` (or `--out -` for stdout) writes the JSON for programs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from optimizer.cli.common import Progress
from optimizer.io.files import write_atomic
from optimizer.law.errors import UserError
from optimizer.solver.params import DEFAULT_GAP, SolveParams

if TYPE_CHECKING:
    from optimizer.results.plan import Plan
    from optimizer.workbench.view import PlanView


def emit_answer(a: argparse.Namespace, data: Any, text: str) -> None:
    """Text for people, or JSON with --json / --out (the document the HTTP routes give)."""
    from optimizer.workbench.answers import jsonable

    if a.out or a.json:
        body = json.dumps(jsonable(data), ensure_ascii=False, indent=1) + "\n"
        if a.out and a.out != "-":
            write_atomic(a.out, body)
            print(text)
            print(f"\nwrote {a.out}")
        else:
            sys.stdout.write(body)
    else:
        print(text)


def _read_plan(path: str) -> Plan:
    from optimizer.results.plan import Plan

    text = Path(path).read_bytes()
    try:
        return Plan.from_json(text)
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise UserError(f"{path}: not a courtplan plan file ({type(e).__name__}: {e})") from None


def _view(a: argparse.Namespace) -> PlanView:
    from optimizer.data.problem import Problem
    from optimizer.data.read import read_scenario
    from optimizer.workbench.view import view

    problem = Problem.from_scenario(read_scenario(a.scenario))
    return view(problem, _read_plan(a.plan))


def _say(progress: Progress, message: str) -> None:
    from optimizer.solver.progress import Phase, ProgressEvent

    progress(ProgressEvent(Phase.SOLVE, message, 0.0))


def _params(a: argparse.Namespace) -> SolveParams:
    return SolveParams(time_limit=a.time_limit, gap=a.gap, seed=a.seed)


def cmd_compare(a: argparse.Namespace) -> int:
    from optimizer.report.workbench import diff_text
    from optimizer.workbench.compare import compare

    d = compare(_read_plan(a.a), _read_plan(a.b))
    emit_answer(a, d.to_dict(), diff_text(d))  # (the document of workbench.answers.compare_answer)
    return 0


def cmd_explain(a: argparse.Namespace) -> int:
    from optimizer.report.workbench import explanation_text, why_not_text
    from optimizer.workbench.answers import explained, why_nots

    v = _view(a)
    names = dict(zip(v.p.court_ids, (c.name for c in v.p.scenario.courts), strict=True))
    if a.why_not:
        answers = why_nots(v, a.cases, a.why_not)
        emit_answer(a, answers, "\n".join(why_not_text(w, names) for w in answers))
        return 0
    with Progress(a.quiet) as progress:
        exps, regrets = explained(v, a.cases, a.exact, _params(a), lambda m: _say(progress, m))
    shown = exps if a.cases else exps[:a.limit]
    text = "\n\n".join(explanation_text(e, regrets.get(e.case_id), names=names) for e in shown)
    if len(shown) < len(exps):
        text += f"\n\n… 另有 {len(exps) - len(shown)} 件 and more (--json or --out for all)"
    emit_answer(a, {"cases": exps, "exact": regrets}, text)
    return 0


def cmd_officers(a: argparse.Namespace) -> int:
    from optimizer.report.workbench import officers_text
    from optimizer.workbench.answers import officer_gains

    v = _view(a)
    with Progress(a.quiet) as progress:
        gains = officer_gains(v, a.top, _params(a), a.workers, lambda m: _say(progress, m))
    names = dict(zip(v.p.court_ids, (c.name for c in v.p.scenario.courts), strict=True))
    emit_answer(a, gains, officers_text(gains["courts"], gains["pairs"], names=names))
    return 0


def cmd_recommend(a: argparse.Namespace) -> int:
    from optimizer.data.read import decode_json, read_bytes_bounded
    from optimizer.report.workbench import recommendation_text
    from optimizer.workbench.recommend import recommend

    raw = decode_json(read_bytes_bounded(a.case), a.case)
    r = recommend(_view(a), raw, a.k)  # (the document of workbench.answers.recommend_answer)
    emit_answer(a, r, recommendation_text(r))
    return 0


def cmd_sweep(a: argparse.Namespace) -> int:
    from optimizer.io.csv_out import to_csv
    from optimizer.report.workbench import sweep_text
    from optimizer.workbench.sweep import chart_svg, parse_axis, sweep

    axes = [parse_axis(x) for x in a.vary]
    if not axes:
        raise UserError("sweep needs at least one --vary")
    with Progress(a.quiet) as progress:
        rows = sweep(a.scenario, axes, _params(a), a.workers,
                     lambda k, n: _say(progress, f"variant {k}/{n} solved 已解"))
    if a.csv:
        write_atomic(a.csv, to_csv(rows))
    if a.svg:
        write_atomic(a.svg, chart_svg(rows, axes, a.kpi))
    emit_answer(a, rows, sweep_text(rows, [x.label for x in axes]))
    return 0


def _common(p: argparse.ArgumentParser, solve: bool = False) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of the text report")
    p.add_argument("--out", default=None, help="write the JSON here (- for stdout)")
    if solve:
        p.add_argument("--time-limit", type=float, default=60.0, help="seconds per re-solve (60)")
        p.add_argument("--gap", type=float, default=DEFAULT_GAP)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--quiet", action="store_true", help="no progress on stderr")


def register(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser("compare", help="what changed between two plans")
    c.add_argument("a")
    c.add_argument("b")
    _common(c)
    c.set_defaults(func=cmd_compare)
    e = sub.add_parser("explain", help="why each case got its decision, and its alternatives")
    e.add_argument("scenario")
    e.add_argument("plan")
    e.add_argument("cases", nargs="*", metavar="CASE")
    e.add_argument("--why-not", default=None, metavar="COURT", help="why not this court?")
    e.add_argument("--exact", type=int, default=3, metavar="N",
                   help="re-solve the N cheapest alternatives of each case asked (default 3)")
    e.add_argument("--limit", type=int, default=20, help="cases shown in text (all in JSON)")
    _common(e, solve=True)
    e.set_defaults(func=cmd_explain)
    o = sub.add_parser("officers", help="where one more officer lowers the objective most")
    o.add_argument("scenario")
    o.add_argument("plan")
    o.add_argument("--top", type=int, default=5, help="courts re-solved exactly (default 5)")
    o.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 2))
    _common(o, solve=True)
    o.set_defaults(func=cmd_officers)
    r = sub.add_parser("recommend", help="the best lawful options for a new case")
    r.add_argument("scenario")
    r.add_argument("plan")
    r.add_argument("case", metavar="CASE.json")
    r.add_argument("-k", type=int, default=5, help="options listed (default 5)")
    _common(r)
    r.set_defaults(func=cmd_recommend)
    s = sub.add_parser("sweep", help="solve a grid of what-if variants in parallel")
    s.add_argument("scenario")
    s.add_argument("--vary", action="append", default=[], metavar="KIND:NAME=V1,V2",
                   help="officers:COURT=0,2 (officers added), weight:NAME=…, rule:NAME=… (repeatable)")
    s.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 2))
    s.add_argument("--csv", default=None, help="write the table as CSV")
    s.add_argument("--svg", default=None, help="write a chart of --kpi against the first --vary")
    s.add_argument("--kpi", default="objective", help="KPI of the chart (default objective)")
    _common(s, solve=True)
    s.set_defaults(func=cmd_sweep)

