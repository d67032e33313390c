"""The benchmarks' invalid-input error: `courtplan bench` reports it and exits 2 (no traceback)."""

from __future__ import annotations


class BenchInputError(ValueError):
    """A benchmark input (data file, folder, argument) is missing or malformed; the message names it."""
