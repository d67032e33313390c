"""What the benchmarks share: where data and outputs live, the table printed, the JSON and CSV
written, the generated scenarios they plan, and the checked argument types of their options."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from optimizer.io.csv_out import write_csv

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "benchmarks" / "gap"  # beside the repository
OUT = HERE / "out"
PRESETS = ("lishui", "zhejiang", "national")
PEERS = ("cpsat", "highs", "greedy")
EXIT_INVALID = 2
GAP_DATA_HINT = ("The GAP instances (OR-Library and Yagiura files) and best_known.csv come from the "
                 "shared folder ../shared/benchmarks/gap/ beside the repository (here: {shared}); "
                 "put them there, or name them with --instances GLOB and --best-known FILE.")


def table(rows: list[dict[str, Any]], cols: list[str]) -> str:
    def fmt(v: Any) -> str:
        if isinstance(v, float):
            if math.isnan(v) or math.isinf(v):
                return str(v)
            return f"{v:.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
        return str(v)

    cells = [[fmt(r.get(c, "")) for c in cols] for r in rows]
    w = [max(len(c), *(len(x[i]) for x in cells)) if cells else len(c) for i, c in enumerate(cols)]
    lines = ["| " + " | ".join(c.ljust(w[i]) for i, c in enumerate(cols)) + " |",
             "|" + "|".join("-" * (x + 2) for x in w) + "|"]
    lines += ["| " + " | ".join(x[i].rjust(w[i]) for i in range(len(cols))) + " |" for x in cells]
    return "\n".join(lines)


def save(name: str, rows: list[dict[str, Any]], json_path: str | None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = Path(json_path) if json_path else OUT / f"{name}.json"
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if rows:
        with (OUT / f"{name}.csv").open("w", newline="", encoding="utf-8") as f:
            write_csv(f, rows, sorted({k for r in rows for k in r}))  # text never read as a formula
    print(f"\nwrote {path} and {OUT / (name + '.csv')}", file=sys.stderr)


def machine_line() -> str:
    """`# machine: …`, printed above a table: the cores, CPU, memory, versions and the load
    average now (other work on the machine changes wall seconds, not CPU seconds)."""
    import os
    import platform
    from importlib.metadata import PackageNotFoundError, version

    cpu = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name")), "?")
    except OSError:
        pass
    try:
        mem = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    except (OSError, ValueError):
        mem = "?"
    try:
        highs = version("highspy")
    except PackageNotFoundError:
        highs = "?"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"# machine: {os.cpu_count()} cores ({cpu}), {mem}, Python {platform.python_version()},"
            f" highspy {highs}; load average {load}")


def seeds_arg(text: str) -> list[int]:
    """Comma-separated seeds, or a range such as 1-10."""
    try:
        if "-" in text.strip("-") and "," not in text:
            first, last = (int(x) for x in text.split("-"))
            seeds = list(range(first, last + 1))
        else:
            seeds = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected seeds such as 1,2,3 or 1-10") from None
    if not seeds or any(not 0 <= x < 2**31 for x in seeds):
        raise argparse.ArgumentTypeError(f"{text!r}: seeds must be from 0 to {2**31 - 1}")
    return seeds


# ---------------------------------------------------------------- scenarios
def scenario_file(preset: str, seed: int, cases: int | None) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{preset}-{seed}{'' if cases is None else f'-{cases}'}.json"
    if not path.exists():
        from optimizer.data.generate import generate, to_json

        path.write_text(to_json(generate(preset, seed=seed, cases=cases)), encoding="utf-8")
    return path



# ---------------------------------------------------------------- argument types
def seconds_arg(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (math.isfinite(v) and v > 0):
        raise argparse.ArgumentTypeError(f"{text!r}: the time limit must be a positive number of seconds")
    return v


def integer_arg(text: str, what: str, low: int, high: int | None = None) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if v < low or (high is not None and v > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise argparse.ArgumentTypeError(f"{text!r}: {what} must be {bound}")
    return v


def share_arg(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= v < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a share must be from 0 up to (not) 1")
    return v


def seed_arg(text: str) -> int:
    return integer_arg(text, "the seed", 0, 2**31 - 1)  # the solvers' seeds are 32-bit


def workers_arg(text: str) -> int:
    return integer_arg(text, "workers", 1)


def limit_arg(text: str) -> int:
    return integer_arg(text, "the instance count", 0)


def names_arg(allowed: tuple[str, ...]) -> Any:
    def parse(text: str) -> list[str]:
        given = [x.strip() for x in text.split(",") if x.strip()]
        bad = [x for x in given if x not in allowed]
        if bad or not given:
            raise argparse.ArgumentTypeError(f"{text!r}: expected a comma-separated list of {', '.join(allowed)}")
        return given
    return parse


def sizes_arg(text: str) -> list[int]:
    try:
        counts = [int(x) for x in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected case counts such as 1000,3000") from None
    if any(x <= 0 for x in counts):
        raise argparse.ArgumentTypeError(f"{text!r}: case counts must be positive")
    return counts


def one_plan_args(p: argparse.ArgumentParser) -> None:
    """The options of a benchmark on one plan: which scenario, how long each solve may take."""
    p.add_argument("--preset", choices=PRESETS, default="zhejiang")
    p.add_argument("--seed", type=seed_arg, default=1)
    p.add_argument("--time-limit", type=seconds_arg, default=60.0, help="seconds per solve (60)")
    p.add_argument("--json", default=None, metavar="FILE")
