"""Commands around the planner: bench (the repository's benchmarks)."""

from __future__ import annotations

import argparse
import sys

from optimizer.cli.common import EXIT_INVALID, err


def cmd_bench(a: argparse.Namespace) -> int:
    """The benchmarks are the repository's scripts, not part of the product: found in the checkout
    whose `benchmarks/` sits next to the `optimizer` package's source directory."""
    from pathlib import Path

    import optimizer

    root = Path(optimizer.__file__).resolve().parent.parent
    if not (root / "benchmarks" / "run.py").is_file():  # a wheel install
        err("the benchmarks are the repository's scripts: run `courtplan bench` from a checkout "
             "(pip install -e .)")
        return EXIT_INVALID
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import benchmarks

    found = Path(benchmarks.__file__ or "").resolve().parent
    if found != root / "benchmarks":
        err(f"`import benchmarks` finds {found}, not the checkout's {root / 'benchmarks'}: "
             "uninstall that package")
        return EXIT_INVALID
    from benchmarks.run import main as bench_main

    return bench_main(a.rest)


def register(sub: argparse._SubParsersAction) -> None:
    # Everything after `bench` (`--help` included) goes verbatim to benchmarks/run.py, which owns
    # the bench arguments: no option prefix here, so a leading `--help` is not refused.
    b = sub.add_parser("bench", help="benchmarks: gap | scale | peers | growth (see benchmarks/)",
                       add_help=False, prefix_chars="\0")
    b.add_argument("rest", nargs=argparse.REMAINDER)
    b.set_defaults(func=cmd_bench)
