"""`courtplan bench load`: the HTTP service on loopback, concurrent reads while runs solve
(`load.py`)."""

from __future__ import annotations

import argparse
from typing import Any

from benchmarks import common


def bench_load(a: argparse.Namespace) -> list[dict[str, Any]]:
    """The service on loopback: concurrent readers while runs solve (benchmarks/load.py)."""
    from benchmarks.load import run_load

    rows = run_load(a)
    print(common.table(rows, ["database", "clients", "reads", "read_errors", "p50_ms", "p95_ms", "p99_ms",
                        "max_ms", "reads_per_s", "runs", "runs_done", "runs_checked_ok", "wall_s"]))
    print(f"run solve seconds: {rows[0]['run_seconds']}")
    common.save("load", rows, a.json)
    return rows


def register(sub: Any) -> None:
    """The `load` job and its options."""
    lo = sub.add_parser("load", help="the HTTP service: concurrent reads while 3 runs solve (loopback)",
                        description="Starts `courtplan serve --workers 3` on 127.0.0.1 with a fresh data "
                                    "directory, queues 3 runs, and has concurrent clients read while they "
                                    "solve: read latency percentiles, and every run's plan checked.")
    lo.add_argument("--clients", type=lambda t: common.integer_arg(t, "--clients", 1, 500), default=50)
    lo.add_argument("--requests", type=lambda t: common.integer_arg(t, "--requests", 1, 100_000), default=400,
                    help="reads per client at most (400)")
    lo.add_argument("--max-seconds", type=common.seconds_arg, default=180.0, help="stop after this long (180)")
    lo.add_argument("--preset", choices=common.PRESETS, default="lishui")
    lo.add_argument("--cases", type=lambda t: common.integer_arg(t, "--cases", 1, 100_000), default=1500)
    lo.add_argument("--time-limit", type=common.seconds_arg, default=60.0, help="seconds per run (60)")
    lo.add_argument("--database-url", default=None,
                    help="an empty PostgreSQL database instead of SQLite (its tables are made there)")
    lo.add_argument("--http-processes", type=lambda t: common.integer_arg(t, "--http-processes", 1, 64),
                    default=2, help="processes answering HTTP (courtplan serve --http-processes, 2)")
    lo.add_argument("--json", default=None, metavar="FILE")
    lo.set_defaults(func=bench_load)
