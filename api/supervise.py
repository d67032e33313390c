"""Supervision (监护) of `courtplan serve`'s children: the HTTP processes and the workers.

The `serve` process binds the listening socket, then only watches: it starts each HTTP process
(uvicorn on the inherited socket) and each worker as a child, and when one ends — killed, out of
memory, crashed on a full disk — starts another in its place, after a back-off that doubles with
each quick death (0.5 s, 1 s, 2 s … at most 30 s; a child that lived 30 s starts again at 0.5 s), so
a child that cannot start does not spin.

Children die with their parent, however it ends (kill -9 included): each asks Linux for SIGTERM
when its parent dies (PR_SET_PDEATHSIG, set before the program starts), checks after that request
that its parent is still the `serve` that started it (else the parent died first and nobody would
ever signal it), and keeps checking (an HTTP process once a second, a worker at every turn of its
loop), so no HTTP process keeps answering on the port, nor a worker taking runs, once `serve` is
gone, and a new `serve` can bind the port.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from api.jobs import die_with_parent

log = logging.getLogger("courtplan.supervise")
#: the pid of the `serve` process that started this one (unset: not supervised)
PARENT_ENV = "COURTPLAN_SUPERVISOR_PID"
#: the file descriptor of the listening socket an HTTP process inherits
LISTEN_FD_ENV = "COURTPLAN_LISTEN_FD"
HTTP_COMMAND = [sys.executable, "-c",
                "import sys; from api.supervise import http_process; sys.exit(http_process())"]
WORKER_COMMAND = [sys.executable, "-c", "import sys; from optimizer.cli import main; sys.exit(main(['worker']))"]
BACKOFF_FIRST = 0.5
BACKOFF_MAX = 30.0
STABLE_SECONDS = 30.0
#: how long a stopping child may take (a worker marks its run interrupted) before it is killed
STOP_GRACE = 15.0


def expected_parent() -> int | None:
    """The supervising `serve`'s pid, when this process was started by one."""
    value = os.environ.get(PARENT_ENV, "")
    return int(value) if value.isdigit() else None


def orphaned(parent: int | None) -> bool:
    """True when this process was started by a `serve` that is no longer its parent (it died)."""
    return parent is not None and os.getppid() != parent


def _child_setup() -> None:
    """In the forked child, before the program starts: SIGTERM when the parent dies."""
    die_with_parent(signal.SIGTERM)


@dataclass
class Slot:
    """One supervised place: 'http 1', 'worker 2'. Its process is replaced when it ends."""

    kind: str
    index: int
    command: list[str]
    env: dict[str, str]
    pass_fds: tuple[int, ...] = ()
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    quick_deaths: int = 0
    due: float = 0.0  # when the next process may start (while `proc` is None)
    starts: int = 0
    history: list[int] = field(default_factory=list)  # pids, oldest first

    @property
    def name(self) -> str:
        label = {"http": "HTTP 进程 http process", "worker": "求解进程 worker"}.get(self.kind, self.kind)
        return f"{label} {self.index}"


def describe_exit(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by signal 被信号终止 {signal.Signals(-code).name}"
        return f"killed by signal 被信号终止 {-code}"
    return f"exit code 退出码 {code}"


class Supervisor:
    """Starts the slots' processes and keeps them running until `stop` is set."""

    def __init__(self, slots: list[Slot], poll: float = 0.2,
                 popen: Callable[..., subprocess.Popen[bytes]] = subprocess.Popen):
        self.slots = slots
        self.poll = poll
        self.popen = popen
        self.stop = threading.Event()

    def _start(self, slot: Slot, now: float) -> None:
        slot.proc = self.popen(slot.command, env=slot.env, pass_fds=slot.pass_fds, preexec_fn=_child_setup)
        slot.started, slot.starts = now, slot.starts + 1
        slot.history.append(slot.proc.pid)
        if slot.starts > 1:
            log.warning("%s: started again 已重启 (pid %d)", slot.name, slot.proc.pid)

    def step(self, now: float) -> None:
        """Notice ended processes and start their replacements when their back-off is over."""
        for slot in self.slots:
            if slot.proc is not None:
                code = slot.proc.poll()
                if code is None:
                    continue
                lived = now - slot.started
                slot.quick_deaths = 0 if lived >= STABLE_SECONDS else slot.quick_deaths + 1
                delay = min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** max(0, slot.quick_deaths - 1))
                log.error("%s (pid %d) ended 已退出 after %.1f s: %s; replacing it in %.1f s 将重新启动",
                          slot.name, slot.proc.pid, lived, describe_exit(code), delay)
                slot.proc, slot.due = None, now + delay
            if slot.proc is None and now >= slot.due and not self.stop.is_set():
                self._start(slot, now)

    def run(self) -> None:
        while not self.stop.is_set():
            self.step(time.monotonic())
            self.stop.wait(self.poll)
        self.stop_all()

    def stop_all(self, grace: float = STOP_GRACE) -> None:
        """SIGTERM to every child, then SIGKILL to those still there after `grace` seconds."""
        running = [s.proc for s in self.slots if s.proc is not None and s.proc.poll() is None]
        for p in running:
            with contextlib.suppress(ProcessLookupError):
                p.terminate()
        end = time.monotonic() + grace
        for p in running:
            try:
                p.wait(max(0.0, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def listening_socket(host: str, port: int) -> socket.socket:
    """The socket every HTTP process accepts on (bound once, here, and inherited)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def slots_for(sock: socket.socket, http_processes: int, workers: int) -> list[Slot]:
    env = {**os.environ, PARENT_ENV: str(os.getpid())}
    http_env = {**env, LISTEN_FD_ENV: str(sock.fileno())}
    return ([Slot("http", i + 1, HTTP_COMMAND, http_env, (sock.fileno(),)) for i in range(http_processes)]
            + [Slot("worker", i + 1, WORKER_COMMAND, env) for i in range(workers)])


def supervise(sock: socket.socket, http_processes: int, workers: int) -> int:
    """`serve`'s loop: run the children until SIGTERM, SIGINT or SIGHUP, then stop them."""
    supervisor = Supervisor(slots_for(sock, http_processes, workers))

    def stop(signum: int, _frame: Any) -> None:
        log.info("%s: stopping 正在停止", signal.Signals(signum).name)
        supervisor.stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    try:
        supervisor.run()
    finally:
        supervisor.stop_all()
        sock.close()
    return 0


def _watch_parent(parent: int | None) -> None:
    """An HTTP process ends itself (SIGTERM: uvicorn's graceful stop) once its `serve` is gone,
    where the parent-death signal is not available; then, if that stop hangs, outright."""
    if parent is None:
        return

    def watch() -> None:
        while not orphaned(parent):
            time.sleep(1.0)
        log.warning("the serve process %d is gone; this HTTP process stops", parent)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(STOP_GRACE)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def http_process() -> int:
    """One HTTP process of `serve`: uvicorn on the socket `serve` bound and passed down."""
    parent = expected_parent()
    die_with_parent(signal.SIGTERM)  # (again: set by serve before the start, kept across exec)
    if orphaned(parent):
        return 0
    import uvicorn

    from api.deadlines import DeadlineProtocol
    from api.settings import Settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    settings = Settings()
    sock = socket.socket(fileno=int(os.environ.pop(LISTEN_FD_ENV)))
    _watch_parent(parent)
    config = uvicorn.Config(
        "api.main:create_app", factory=True, log_level="info", timeout_keep_alive=30,
        timeout_graceful_shutdown=10, access_log=settings.access_log == "text",
        http=DeadlineProtocol.with_limits(settings.header_timeout, settings.body_deadline))
    uvicorn.Server(config).run(sockets=[sock])
    return 0
