"""`courtplan` command line: validate, generate, schema, solve, serve, bench.

The CLI is the product's printing edge: the library below it returns values and events.

Exit codes: 0 success, 2 invalid input (file, arguments), 3 no feasible plan.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Sequence

from pydantic import ValidationError

from optimizer.data.validate import ScenarioError
from optimizer.io.files import write_atomic
from optimizer.solver.params import DEFAULT_GAP, DEFAULT_TIME_LIMIT, SolveParams
from optimizer.solver.progress import PHASE_LABELS, ProgressEvent

EXIT_INVALID = 2
EXIT_INFEASIBLE = 3


def _err(msg: str) -> None:
    print(f"courtplan: {msg}", file=sys.stderr)


def _parse_weights(items: Sequence[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValueError(f"--weight expects NAME=VALUE, got {item!r}")
        try:
            out[name] = (tuple(float(v) for v in value.split(",")) if "," in value
                         else float(value))
        except ValueError:
            raise ValueError(f"--weight {name}: {value!r} is not a number") from None
    return out


def cmd_validate(a: argparse.Namespace) -> int:
    from optimizer.data.read import read_scenario
    from optimizer.report.text import scenario_summary

    t0 = time.perf_counter()
    s = read_scenario(a.file)
    print(scenario_summary(s))
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
        raise ValueError(f"--cases must be a whole number from 1 to {MAX_CASES:,}, got {text!r}")
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

    text = json.dumps(Scenario.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if a.out:
        write_atomic(a.out, text)
    else:
        sys.stdout.write(text)
    return 0


class _Progress:
    """Prints typed progress events to stderr: the phase, and where the pieces stand (the
    objective and proven bound over the pieces solved so far); a heartbeat while a long step
    runs repeats the last event with the time."""

    def __init__(self, quiet: bool, every: float = 5.0):
        self.t0 = time.perf_counter()
        self.quiet = quiet
        self.every = every
        self._stop = threading.Event()
        self._last = "starting"
        self._thread = threading.Thread(target=self._beat, daemon=True)

    def __call__(self, e: ProgressEvent) -> None:
        label = PHASE_LABELS.get(e.phase, e.phase)
        text = f"{label} {e.phase.value}: {e.message}"
        if e.pieces_total and e.incumbent is not None and e.bound is not None:
            gap = f", gap 差距 {e.gap:.3%}" if e.gap is not None else ""
            text += (f" — pieces done 已解 {e.pieces_done}/{e.pieces_total}: objective 目标 "
                     f"{e.incumbent:,.1f}, bound 下界 {e.bound:,.1f}{gap}")
        self._last = f"{label} {e.phase.value}"
        self._print(text)

    def _print(self, msg: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.t0:6.1f}s] {msg}", file=sys.stderr, flush=True)

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            self._print(f"… still working 仍在进行: {self._last}")

    def __enter__(self) -> _Progress:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()


def cmd_solve(a: argparse.Namespace) -> int:
    from optimizer.pipeline import Changes, plan_scenario
    from optimizer.report.text import plan_summary

    params = SolveParams(time_limit=a.time_limit, gap=a.gap, seed=a.seed, workers=a.workers)
    changes = Changes(weights=_parse_weights(a.weight))
    with _Progress(a.quiet) as progress:
        plan = plan_scenario(a.scenario, changes, params, progress)
    print(plan_summary(plan, max_courts=a.courts))
    if a.out:
        write_atomic(a.out, plan.to_json())
        print(f"\nwrote {a.out}")
    return EXIT_INFEASIBLE if plan.status == "infeasible" else 0


def cmd_serve(a: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run("api.main:app", host=a.host, port=a.port)
    return 0


def cmd_bench(a: argparse.Namespace) -> int:
    """The benchmarks are the repository's scripts, not part of the product: found in the checkout
    whose `benchmarks/` sits next to the `optimizer` package's source directory."""
    from pathlib import Path

    import optimizer

    root = Path(optimizer.__file__).resolve().parent.parent
    if not (root / "benchmarks" / "run.py").is_file():  # a wheel install
        _err("the benchmarks are the repository's scripts: run `courtplan bench` from a checkout "
             "(pip install -e .)")
        return EXIT_INVALID
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import benchmarks

    found = Path(benchmarks.__file__ or "").resolve().parent
    if found != root / "benchmarks":
        _err(f"`import benchmarks` finds {found}, not the checkout's {root / 'benchmarks'}: "
             "uninstall that package")
        return EXIT_INVALID
    from benchmarks.run import main as bench_main

    return bench_main(a.rest)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="courtplan",
                                 description="Cross-execution (交叉执行) planner for enforcement cases.")
    sub = ap.add_subparsers(dest="command", required=True)
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
    sc.add_argument("--out", default=None)
    sc.set_defaults(func=cmd_schema)
    so = sub.add_parser("solve", help="plan a scenario and print the summary")
    so.add_argument("scenario")
    so.add_argument("--out", default=None, help="write the plan JSON here")
    so.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT,
                    help=f"seconds (default {DEFAULT_TIME_LIMIT:g})")
    so.add_argument("--gap", type=float, default=DEFAULT_GAP,
                    help=f"relative gap to stop at (default {DEFAULT_GAP:g})")
    so.add_argument("--seed", type=int, default=0)
    so.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4),
                    help="processes for independent pieces (default: cores, at most 4)")
    so.add_argument("--weight", action="append", default=[], metavar="NAME=VALUE",
                    help="override an objective weight for this run (repeatable)")
    so.add_argument("--quiet", action="store_true", help="no progress on stderr")
    so.add_argument("--courts", type=int, default=40, metavar="N",
                    help="courts shown in the summary table (0 = all; default 40)")
    so.set_defaults(func=cmd_solve)
    se = sub.add_parser("serve", help="run the HTTP API")
    se.add_argument("--host", default="127.0.0.1")
    se.add_argument("--port", type=int, default=8000)
    se.set_defaults(func=cmd_serve)
    # Everything after `bench` (`--help` included) goes verbatim to benchmarks/run.py, which owns
    # the bench arguments: no option prefix here, so a leading `--help` is not refused.
    b = sub.add_parser("bench", help="benchmarks: gap | scale | peers | growth (see benchmarks/)",
                       add_help=False, prefix_chars="\0")
    b.add_argument("rest", nargs=argparse.REMAINDER)
    b.set_defaults(func=cmd_bench)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    ap = build_parser()
    a = ap.parse_args(argv)
    try:
        return int(a.func(a))
    except ScenarioError as e:
        _err(str(e))
        return EXIT_INVALID
    except ValidationError as e:
        _err("invalid value: " + "; ".join(
            f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors(include_url=False)))
        return EXIT_INVALID
    except ValueError as e:
        _err(str(e))
        return EXIT_INVALID
    except OSError as e:
        _err(f"{e.filename or ''}: {e.strerror or e}")
        return EXIT_INVALID
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
