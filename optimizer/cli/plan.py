"""Commands of the planning core: validate, generate, schema, solve."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from optimizer.cli.changes import add_change_flags, changes_from_args
from optimizer.cli.common import EXIT_INFEASIBLE, EXIT_INVALID, Progress, err
from optimizer.io.files import write_atomic, write_chunks_atomic
from optimizer.law.errors import UserError
from optimizer.law.vocabulary import PlanStatus
from optimizer.solver.params import DEFAULT_GAP, DEFAULT_TIME_LIMIT, SolveParams


def cmd_validate(a: argparse.Namespace) -> int:
    from optimizer.data.calendar_check import calendar_warnings
    from optimizer.data.read import read_scenario
    from optimizer.report.text import scenario_summary

    t0 = time.perf_counter()
    s = read_scenario(a.file)
    print(scenario_summary(s))
    for w in calendar_warnings(s):
        print(f"警告 Warning: {w}")
    print(f"OK: {a.file} is a valid scenario ({time.perf_counter() - t0:.1f}s)")
    return 0


def _case_count(text: str | None) -> int | None:
    """The --cases value as a count from 1 to MAX_CASES (None: the preset's own count)."""
    from optimizer.data.generate import MAX_CASES

    if text is None:
        return None
    try:
        count = int(text)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_CASES:
        raise UserError(f"--cases must be a whole number from 1 to {MAX_CASES:,}, got {text!r}")
    return count


def cmd_generate(a: argparse.Namespace) -> int:
    from optimizer.data.generate import generate, to_json

    t0 = time.perf_counter()
    scenario = generate(a.preset, seed=a.seed, cases=_case_count(a.cases))
    text = to_json(scenario, pretty=a.preset == "lishui")
    if a.out == "-":
        sys.stdout.write(text)
    else:
        write_atomic(a.out, text)
        print(f"wrote {a.out}: {len(scenario['courts'])} courts, {len(scenario['cases'])} cases "
              f"({len(text.encode()) / 1e6:.1f} MB, {time.perf_counter() - t0:.1f}s)",
              file=sys.stderr)
    return 0


def cmd_schema(a: argparse.Namespace) -> int:
    from optimizer.data.scenario import Scenario

    if a.markdown:
        from optimizer.report.format_doc import scenario_format_markdown

        text = scenario_format_markdown()
    else:
        text = json.dumps(Scenario.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    _write(a.out, text)
    return 0


def cmd_changes_schema(a: argparse.Namespace) -> int:
    from optimizer.data.changes import ChangeSet

    _write(a.out, json.dumps(ChangeSet.model_json_schema(by_alias=True), ensure_ascii=False,
                             indent=2) + "\n")
    return 0


def _write(out: str | None, text: str) -> None:
    """To the file `out`, or standard output (no --out, or --out -)."""
    if out and out != "-":
        write_atomic(out, text)
    else:
        sys.stdout.write(text)


def _previous(path: str | None, flag: str = "--previous") -> Any:
    from optimizer.data.changes import ChangesError
    from optimizer.results.plan import Plan

    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            return Plan.from_json(f.read())
    except (KeyError, TypeError, ValueError) as e:
        raise ChangesError(f"{flag} {path}: not a plan file ({e})") from None


def _warm_start(path: str | None, scenario: str) -> Any:
    """What `--warm-start PLAN` starts from: the warm start saved beside the plan
    (`PLAN.warm.npz`, `--keep-warm-start`) when there is one, else the plan itself. A warm
    start written for another scenario is refused, naming both."""
    from optimizer.data.changes import ChangesError
    from optimizer.io.warmfile import WarmFileError, read_warm, warm_path, warm_scenario

    if path is None or not warm_path(path).exists():
        return _previous(path, "--warm-start")
    if not os.path.isfile(path):
        raise ChangesError(f"--warm-start {path}: no such plan file")
    other = warm_scenario(warm_path(path))
    if other is not None and other != scenario:
        raise ChangesError(f"--warm-start {path}: a plan of scenario {other!r}, not of this "
                           f"scenario {scenario!r} (plan this scenario without --warm-start)")
    try:
        return read_warm(warm_path(path))
    except WarmFileError as e:
        raise ChangesError(f"--warm-start: {e}") from None


def cmd_solve(a: argparse.Namespace) -> int:
    from optimizer.data.read import read_scenario
    from optimizer.pipeline import ChangesConflict, plan_scenario
    from optimizer.report.text import plan_summary
    from optimizer.solver.progress import Phase, ProgressEvent

    params = SolveParams(time_limit=a.time_limit, gap=a.gap, seed=a.seed, workers=a.workers,
                         ray_address=a.ray, keep_warm_start=a.keep_warm_start)
    if a.keep_warm_start and (not a.out or a.out == "-"):
        err("--keep-warm-start writes OUT.warm.npz beside the plan: give --out FILE")
        return EXIT_INVALID
    changes = changes_from_args(a)
    previous = _previous(a.previous)
    try:
        with Progress(a.quiet) as progress:
            progress(ProgressEvent(Phase.READ, f"reading {a.scenario}", 0.0))
            scenario = read_scenario(a.scenario)
            warm = _warm_start(a.warm_start, scenario.name)
            plan = plan_scenario(scenario, changes, params, progress, previous, warm)
    except ChangesConflict as e:
        err(str(e))
        return EXIT_INFEASIBLE
    # with --out - the plan goes to standard output and the summary to stderr
    summary = sys.stderr if a.out == "-" else sys.stdout
    print(plan_summary(plan, max_courts=a.courts), file=summary)
    if a.out == "-":
        sys.stdout.writelines(plan.json_chunks())
    elif a.out:
        write_chunks_atomic(a.out, plan.json_chunks())
        print(f"\nwrote {a.out}")
        from optimizer.io.warmfile import warm_path, write_warm

        if a.keep_warm_start and plan.warm_starts:
            write_warm(warm_path(a.out), plan.warm_starts, plan.scenario)
            print(f"wrote {warm_path(a.out)} (热启动 warm start for what-if variants: "
                  f"--warm-start {a.out})")
        elif warm_path(a.out).exists():  # an older plan's: it must not pass for this one's
            warm_path(a.out).unlink()
    return EXIT_INFEASIBLE if plan.status == PlanStatus.INFEASIBLE else 0


def register(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser("validate", help="check a scenario file and summarise it")
    v.add_argument("file")
    v.set_defaults(func=cmd_validate)
    g = sub.add_parser("generate", help="generate a scenario on real court geography")
    g.add_argument("--preset", choices=("lishui", "zhejiang", "national"), required=True)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--cases", default=None, metavar="N",
                   help="override the preset's case count")
    g.add_argument("--out", required=True, help="output file, or - for stdout")
    g.set_defaults(func=cmd_generate)
    sc = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    sc.add_argument("--out", default=None, help="file, or - for stdout (the default)")
    sc.add_argument("--markdown", action="store_true",
                    help="the format as a page for people (docs/scenario-format.md)")
    sc.set_defaults(func=cmd_schema)
    cs = sub.add_parser("changes-schema", help="print the JSON Schema of a changes document")
    cs.add_argument("--out", default=None, help="file, or - for stdout (the default)")
    cs.set_defaults(func=cmd_changes_schema)
    so = sub.add_parser("solve", help="plan a scenario and print the summary")
    so.add_argument("scenario")
    so.add_argument("--out", default=None,
                    help="write the plan JSON here (- : to stdout, the summary to stderr)")
    so.add_argument("--warm-start", default=None, metavar="PLAN.json",
                    help="start the solver from this plan (e.g. the base plan of a what-if); "
                    "nothing is pinned or charged; PLAN.json.warm.npz beside it, when there "
                    "(--keep-warm-start), starts it where that plan ended")
    so.add_argument("--keep-warm-start", action="store_true",
                    help="also write OUT.warm.npz: what a what-if variant needs to start where "
                    "this plan ended (cuts, LP basis, officers)")
    so.add_argument("--previous", default=None, metavar="PLAN.json",
                    help="re-plan from this plan: issued decisions stay, changes cost `stability`")
    so.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT,
                    help=f"seconds (default {DEFAULT_TIME_LIMIT:g})")
    so.add_argument("--gap", type=float, default=DEFAULT_GAP,
                    help=f"relative gap to stop at (default {DEFAULT_GAP:g})")
    so.add_argument("--seed", type=int, default=0)
    so.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4),
                    help="processes for independent pieces (default: cores, at most 4)")
    so.add_argument("--ray", default=None, metavar="ADDRESS",
                    help="solve the pieces on a Ray cluster (auto, ray://host:10001, or local); "
                    "default: COURTPLAN_RAY_ADDRESS, else the local process pool")
    so.add_argument("--quiet", action="store_true", help="no progress on stderr")
    so.add_argument("--courts", type=int, default=40, metavar="N",
                    help="courts shown in the summary table (0 = all; default 40)")
    add_change_flags(so)
    so.set_defaults(func=cmd_solve)
