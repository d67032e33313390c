"""`courtplan bench growth`: time and memory as cases and courts grow, fitted log-log exponents and
benchmarks/out/growth.png (each size measured in its own process, `bench_scale`)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from benchmarks import common
from benchmarks.bench_scale import measure_in_subprocess


def bench_growth(a: argparse.Namespace) -> list[dict[str, Any]]:
    import numpy as np

    rows = []
    print(common.machine_line())
    for n in a.cases:
        common.scenario_file("national", a.seed, n)
        row = measure_in_subprocess(["national", str(a.seed), str(n), str(a.time_limit), str(a.workers),
                           "courtplan"], timeout=a.time_limit * 3 + 900)
        row.update(axis="cases", size=n)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    for preset, n in [("lishui", 1500), ("zhejiang", 15000), ("national", 15000)]:
        common.scenario_file(preset, a.seed, n)
        row = measure_in_subprocess([preset, str(a.seed), str(n), str(a.time_limit), str(a.workers),
                           "courtplan"], timeout=a.time_limit * 3 + 900)
        row.update(axis="courts", size=row.get("courts", 0))
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    fits = {}
    for axis in ("cases", "courts"):
        pts = [(r["size"], r["total_s"], r["peak_mb"]) for r in rows
               if r.get("axis") == axis and "total_s" in r and r["size"]]
        if len(pts) >= 2:
            x = np.log([p[0] for p in pts])
            fits[axis] = {"time_exponent": float(np.polyfit(x, np.log([p[1] for p in pts]), 1)[0]),
                          "memory_exponent": float(np.polyfit(x, np.log([p[2] for p in pts]), 1)[0])}
    print(common.machine_line().replace("# machine:", "# machine at the end:"))
    print(common.table(rows, ["axis", "size", "courts", "cases", "total_s", "solve_s", "cpu_s",
                              "peak_mb", "gap"]))
    print("fitted exponents (log-log slope):", json.dumps(fits))
    _plot(rows, fits)
    common.save("growth", [*rows, {"fits": fits}], a.json)
    return rows


def _plot(rows: list[dict[str, Any]], fits: dict[str, Any]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib missing: no plot", file=sys.stderr)
        return
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, axis in zip(axes, ("cases", "courts"), strict=True):
        pts = sorted((r["size"], r["total_s"], r["peak_mb"]) for r in rows
                     if r.get("axis") == axis and "total_s" in r)
        if not pts:
            continue
        ax.loglog([p[0] for p in pts], [p[1] for p in pts], "o-", label="time (s)")
        ax.loglog([p[0] for p in pts], [p[2] / 1000 for p in pts], "s--", label="peak memory (GB)")
        f = fits.get(axis, {})
        ax.set_title(f"{axis}: time ~ n^{f.get('time_exponent', float('nan')):.2f}")
        ax.set_xlabel(axis)
        ax.legend()
    fig.tight_layout()
    common.OUT.mkdir(parents=True, exist_ok=True)
    fig.savefig(common.OUT / "growth.png", dpi=110)
    print(f"wrote {common.OUT / 'growth.png'}", file=sys.stderr)


def register(sub: Any) -> None:
    """The `growth` job and its options."""
    gr = sub.add_parser("growth", help="time and memory as cases and courts grow",
                        description="Time and memory as cases and courts grow: fitted log-log "
                                    "exponents and benchmarks/out/growth.png.")
    gr.add_argument("--cases", type=common.sizes_arg, default=[1000, 3000, 10000, 30000, 100000, 300000],
                    help="comma-separated case counts (1000,3000,10000,30000,100000,300000)")
    gr.add_argument("--seed", type=common.seed_arg, default=1)
    gr.add_argument("--time-limit", type=common.seconds_arg, default=120.0, help="seconds per solve (120)")
    gr.add_argument("--workers", type=common.workers_arg, default=2)
    gr.add_argument("--json", default=None, metavar="FILE")
    gr.set_defaults(func=bench_growth)
