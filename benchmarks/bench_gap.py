"""`courtplan bench gap`: GAP instances (OR-Library, Yagiura) through the planner's engine, against
the best-known values of best_known.csv."""

from __future__ import annotations

import argparse
import glob
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import common
from benchmarks.errors import BenchInputError


def gap_inputs(a: argparse.Namespace) -> tuple[list[Path], Path]:
    """The instance files and best_known.csv, checked: a missing one names the path and, for the
    defaults, where the data comes from."""
    hint = " " + common.GAP_DATA_HINT.format(shared=common.SHARED)
    if (a.instances is None or a.best_known is None) and not common.SHARED.is_dir():
        raise BenchInputError(f"no GAP data: looked in {common.SHARED}, which does not exist.{hint}")
    best_known = Path(a.best_known) if a.best_known is not None else common.SHARED / "best_known.csv"
    if not best_known.is_file():
        what = "no such file" if not best_known.exists() else "not a file"
        raise BenchInputError(f"--best-known {best_known}: {what}."
                              + (hint if a.best_known is None else ""))
    pattern = a.instances if a.instances is not None else str(common.SHARED / "orlib" / "gap[0-9]*.txt")
    files = [Path(p) for p in sorted(glob.glob(pattern)) if Path(p).is_file()]
    if not files:
        raise BenchInputError(f"--instances {pattern!r}: no instance file matches."
                              + (hint if a.instances is None else ""))
    return files, best_known


def bench_gap(a: argparse.Namespace) -> list[dict[str, Any]]:
    from benchmarks.gap import load_instances, solve_gap

    files, best_known = gap_inputs(a)
    insts = load_instances(best_known, files)
    if not insts:
        names = ", ".join(str(f) for f in files[:3]) + (", …" if len(files) > 3 else "")
        raise BenchInputError(f"none of the instance files ({names}) is listed in {best_known} "
                              "(column file, relative to the CSV's folder)")
    if a.limit:
        insts = insts[: a.limit]
    rows = []
    print(common.machine_line())
    for g, ref in insts:
        cpu0 = time.process_time()
        r = solve_gap(g, a.time_limit, a.seed, a.improve_share, a.assignment_search_share)
        best = float(ref["best_known"])
        row = {"instance": g.name, "m": g.m, "n": g.n, "objective": r["objective"],
               "bound": round(float(r["bound"]), 3), "seconds": round(float(r["seconds"]), 3),
               "best_known": best, "gap_to_best_known": (float(r["objective"]) - best) / best,
               "status": r["status"], "method": r["method"],
               "cpu_s": round(time.process_time() - cpu0, 3)}
        rows.append(row)
        print(f"{g.name:>10} {row['objective']:>10} best {best:>8.0f} "
              f"{row['gap_to_best_known']:+.4%} {row['seconds']:.2f}s", file=sys.stderr)
    print(common.machine_line().replace("# machine:", "# machine at the end:"))
    print(common.table(rows, ["instance", "m", "n", "objective", "bound", "seconds", "cpu_s",
                              "best_known", "gap_to_best_known", "status"]))
    common.save("gap", rows, a.json)
    return rows


def register(sub: Any) -> None:
    """The `gap` job and its options."""
    g = sub.add_parser("gap", help="GAP instances against their best-known values",
                       description="GAP instances (OR-Library, Yagiura) through the planner's engine, "
                                   "against the best-known values of best_known.csv.",
                       epilog=common.GAP_DATA_HINT.format(shared=common.SHARED))
    g.add_argument("--instances", default=None, metavar="GLOB",
                   help="instance files (default: orlib/gap[0-9]*.txt in the shared GAP folder)")
    g.add_argument("--best-known", default=None, metavar="FILE",
                   help="best_known.csv naming the instances (default: the shared GAP folder's)")
    g.add_argument("--time-limit", type=common.seconds_arg, default=10.0, help="seconds per instance (10)")
    g.add_argument("--seed", type=common.seed_arg, default=0)
    g.add_argument("--improve-share", type=common.share_arg, default=0.0,
                   help="share of the time before branch and cut for the improvement phase (0)")
    g.add_argument("--assignment-search-share", type=common.share_arg, default=0.3,
                   help="share of the time before branch and cut for the local search (0.3; 0: none)")
    g.add_argument("--limit", type=common.limit_arg, default=0, help="only the first N instances (0: all)")
    g.add_argument("--json", default=None, metavar="FILE")
    g.set_defaults(func=bench_gap)
