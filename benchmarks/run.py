"""`courtplan bench gap|scale|peers|growth|workbench|whatif|outcomes|load`: benchmark tables, CSV and JSON.

The repository's scripts, not part of the product: run from a checkout, as `courtplan bench …`
(editable install) or `python -m benchmarks.run …` from the repository root. This module only
dispatches: each job is a `bench_*.py` module with its `register(sub)`; what they share is in
`common.py`. Each scale/peers/growth measurement runs in a fresh subprocess (`one`, below) so its
peak memory is its own.
Exit codes: 0 done, 2 invalid input (arguments, missing or malformed data files).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from benchmarks import bench_gap, bench_growth, bench_load, bench_outcomes, bench_scale, bench_workbench, common
from benchmarks.errors import BenchInputError

#: the jobs, in the order `--help` lists them
JOBS = (bench_gap, bench_scale, bench_growth, bench_workbench, bench_outcomes, bench_load)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="courtplan bench",
        description="Benchmarks of the planner: each prints a table and writes JSON and CSV under "
                    "benchmarks/out/. The repository's scripts: run from a checkout.",
        epilog="`courtplan bench WHAT --help` for each one's options; see benchmarks/README.md. "
               "Exit codes: 0 done, 2 invalid input.")
    sub = ap.add_subparsers(dest="what", required=True,
                            metavar="{gap,scale,peers,growth,workbench,whatif,outcomes,load}",
                            title="benchmarks")
    for job in JOBS:
        job.register(sub)
    return ap


def _one(argv: Sequence[str]) -> int:
    """`one PRESET SEED CASES|- TIME_LIMIT WORKERS PEER`: one measurement, for
    `bench_scale.measure_in_subprocess`."""
    one = argparse.ArgumentParser(prog="courtplan bench one")
    one.add_argument("preset")
    one.add_argument("seed", type=int)
    one.add_argument("cases")
    one.add_argument("time_limit", type=float)
    one.add_argument("workers", type=int)
    one.add_argument("peer")
    a = one.parse_args(argv)
    row = bench_scale.measure_one(a.preset, a.seed, None if a.cases == "-" else int(a.cases),
                                  a.time_limit, a.workers, a.peer)
    print(json.dumps(row, ensure_ascii=False, default=float))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Usage mistakes exit 2 through argparse; invalid data files exit 2 with the file named."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["one"]:  # internal: not listed in the usage
        return _one(args[1:])
    a = build_parser().parse_args(args)
    try:
        a.func(a)
    except BenchInputError as e:
        print(f"courtplan bench: {e}", file=sys.stderr)
        return common.EXIT_INVALID
    except OSError as e:  # an unreadable data file, an unwritable --json path
        print(f"courtplan bench: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return common.EXIT_INVALID
    return 0


if __name__ == "__main__":
    sys.exit(main())
