"""Where independent work runs: in this process, in a local process pool, or on a Ray cluster.

Pieces of one plan and the variants of a sweep are independent, so they can run anywhere; the
local process pool stays the default. `ray` is an optional extra (`pip install courtplan[ray]`):
`executor_for(workers, ray_address)` with an address (`"auto"`, `"ray://host:10001"`, or
`"local"` to start a private instance here) submits each job as a Ray task and hands back a
`concurrent.futures.Future`, so the callers do not know the difference.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from optimizer.law.errors import UserError

#: environment setting read when no address is given (e.g. for every run of a service worker)
RAY_ADDRESS_ENV = "COURTPLAN_RAY_ADDRESS"


class RayUnavailable(UserError):
    """Ray was asked for but is not installed or the cluster cannot be reached (a usage error:
    the CLI answers it with exit code 2)."""


class RayExecutor(Executor):
    """Submits functions as Ray tasks (one CPU each); futures are ordinary `Future`s."""

    def __init__(self, address: str):
        try:
            import ray
        except ImportError as e:  # the optional extra is not installed
            raise RayUnavailable("Ray is not installed: pip install 'courtplan[ray]'") from e
        self._ray = ray
        self._started_here = not ray.is_initialized()
        if self._started_here:
            try:
                if address == "local":
                    ray.init(include_dashboard=False, log_to_driver=False,
                             configure_logging=False)
                else:
                    ray.init(address=address, log_to_driver=False, configure_logging=False)
            except (ConnectionError, RuntimeError, ValueError) as e:
                raise RayUnavailable(f"cannot reach the Ray cluster at {address!r}: {e}") from e
        self._remote: dict[Callable[..., Any], Any] = {}

    @property
    def cpus(self) -> int:
        """CPUs the cluster offers: how many pieces can run at once."""
        return max(int(self._ray.cluster_resources().get("CPU", 1)), 1)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        task = self._remote.get(fn)
        if task is None:
            task = self._remote[fn] = self._ray.remote(num_cpus=1)(fn)
        return task.remote(*args, **kwargs).future()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._started_here:
            self._ray.shutdown()


def ray_address(explicit: str | None) -> str | None:
    """The Ray address to use: the explicit one, else the environment setting, else none."""
    return explicit or os.environ.get(RAY_ADDRESS_ENV) or None


def executor_for(workers: int, address: str | None) -> tuple[Executor, int]:
    """(executor, how many jobs run at once): Ray when an address is set, else a local pool."""
    if address:
        ex = RayExecutor(address)
        return ex, ex.cpus
    return ProcessPoolExecutor(max_workers=workers), workers
