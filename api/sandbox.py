"""Heavy work away from the HTTP process: each job runs in a child process with an address-space
limit and a deadline, so that a hostile or merely huge input costs that child, never the process
answering everyone else's requests.

Reading a national scenario takes 2.3 GB and 16 s; a workbook of a million padded rows would take
more memory than the machine has. In the HTTP process such an input used to stay resident (the
allocator keeps what it grew to) or kill it, dropping every request in flight on it. Here:

- children are forked from a small fork server (multiprocessing's `forkserver`: started once per
  HTTP process, with the parsing modules already imported), so a job starts in milliseconds and
  never inherits the HTTP process's threads, sockets or database connections;
- a child sets RLIMIT_AS to what it has plus `child_memory_bytes`: an allocation beyond that is a
  `MemoryError` in the child (reported), or the child dies (reported as well);
- the caller waits at most `child_seconds`, then kills it; the child also arms its own alarm, so
  it ends even if the HTTP process is gone;
- at most `child_slots` jobs per HTTP process run at once (each may use its full memory limit);
  a request that cannot get a slot within the deadline gets 503.

Results come back through a pipe: bytes or small picklable values. A `ScenarioError` raised in the
child is raised again in the caller with its defects, so the answer names the field and record.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import resource
import signal
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from starlette.exceptions import HTTPException

from optimizer.data.validate import Defect, ScenarioError

log = logging.getLogger("courtplan.api")
T = TypeVar("T")
#: imported once by the fork server, not by each child: the readers, and the workbench (its
#: imports, numpy and the solver included, were ~1.5 s of every workbench answer)
PRELOAD = ["api.sandbox", "api.offload", "optimizer.data.read", "optimizer.io.xlsx_limits", "api.workbench",
           "optimizer.workbench.answers"]
_context: Any = None
_context_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def _forkserver() -> Any:
    global _context
    with _context_lock:
        if _context is None:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
    return _context


def _slot(count: int) -> threading.BoundedSemaphore:
    with _context_lock:
        return _slots.setdefault(count, threading.BoundedSemaphore(count))


def _vm_size() -> int:
    """This process's virtual size in bytes (0 where /proc is not there)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...], memory: int, seconds: float) -> None:
    """In the child: bound memory and time, run `fn`, send ("ok", result) or what went wrong."""
    with contextlib.suppress(ValueError, OSError):
        limit = _vm_size() + memory
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.alarm(int(seconds) + 5)  # ends by itself even if nobody waits for it any more
    try:
        result: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except ScenarioError as e:
        result = ("defects", [(d.path, d.record, d.message) for d in e.defects])
    except HTTPException as e:
        result = ("http", (e.status_code, e.detail))
    except Exception as e:  # reported to the caller, which logs it and answers 500
        result = ("error", f"{type(e).__name__}: {e}"[:500])
    try:
        conn.send(result)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


class TooHeavy(HTTPException):
    """The job needed more memory or time than a request may use (the status says which kind
    of request: 413 for an input, 503 for an output)."""


def run_in_child(fn: Callable[..., T], *args: Any, memory: int, seconds: float, slots: int,
                 status: int = 413, what: str = "the request") -> T:
    """`fn(*args)` in a child process (see the module's description); its result, or
    `ScenarioError` (the child's defects), or `TooHeavy` naming the limit it hit."""
    slot = _slot(slots)
    if not slot.acquire(timeout=seconds):
        raise HTTPException(503, f"the service is busy with other large requests; try again "
                                 f"(child_slots={slots})", headers={"Retry-After": "30"})
    try:
        return _run(fn, args, memory, seconds, status, what)
    finally:
        slot.release()


def _run(fn: Callable[..., T], args: tuple[Any, ...], memory: int, seconds: float, status: int,
         what: str) -> T:
    ctx = _forkserver()
    deadline = time.monotonic() + seconds  # from before the start: the child runs while it returns
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, args, memory, seconds), daemon=True)
    proc.start()
    send.close()
    try:
        ready = receive.poll(max(0.0, deadline - time.monotonic()))
        if not ready or time.monotonic() > deadline:  # (a result found after the deadline is late too)
            raise TooHeavy(status, f"{what} took longer than {seconds:g} s to process "
                                   "(COURTPLAN_CHILD_SECONDS)")
        kind, payload = receive.recv()
    except EOFError:
        proc.join(5)
        raise TooHeavy(status, f"{what} could not be processed within {memory:,} bytes of memory "
                               f"(COURTPLAN_CHILD_MEMORY_BYTES; the process ended with code "
                               f"{proc.exitcode})") from None
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5)
    if kind == "ok":
        return payload  # type: ignore[no-any-return,unused-ignore]
    if kind == "defects":
        raise ScenarioError([Defect(*d) for d in payload])
    if kind == "memory":
        raise TooHeavy(status, f"{what} needs more than {memory:,} bytes of memory to process "
                               "(COURTPLAN_CHILD_MEMORY_BYTES)")
    if kind == "http":
        raise HTTPException(*payload)
    raise RuntimeError(f"the child process failed: {payload}")
