"""What every command shares: exit codes, error printing, progress on stderr."""

from __future__ import annotations

import sys
import threading
import time

from optimizer.law.errors import ExitCode
from optimizer.law.vocabulary import PHASE_LABELS, Phase
from optimizer.solver.progress import ProgressEvent

EXIT_INVALID = int(ExitCode.INVALID)
EXIT_INFEASIBLE = int(ExitCode.INFEASIBLE)
EXIT_DATABASE_UNREACHABLE = int(ExitCode.DATABASE_UNREACHABLE)
EXIT_CANNOT_LISTEN = int(ExitCode.CANNOT_LISTEN)


def err(msg: str) -> None:
    print(f"courtplan: {msg}", file=sys.stderr)


class Progress:
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
        label = PHASE_LABELS[e.phase].zh
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
            if not self._last.startswith(PHASE_LABELS[Phase.DONE].zh):
                self._print(f"… still working 仍在进行: {self._last}")

    def __enter__(self) -> Progress:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
