"""A real `courtplan serve` in a child process, on 127.0.0.1 and a free port, against a test's
database (SQLite data directory or PostgreSQL URL from its Settings), for tests that need real
processes: supervision, health, revocation across HTTP processes, slow clients."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
CLI = "import sys; from optimizer.cli import main; sys.exit(main(sys.argv[1:]))"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def port_free(port: int) -> bool:
    """True when a new listener could bind the port (nothing listens on it any more)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
        return True


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a CLI process on `settings`' database (and its timings)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COURTPLAN_DATA_DIR": str(settings.data_dir),
           "COURTPLAN_POLL_INTERVAL": str(settings.poll_interval),
           "COURTPLAN_LEASE_SECONDS": str(settings.lease_seconds),
           "COURTPLAN_PROGRESS_INTERVAL": str(settings.progress_interval), **extra}
    env.pop("COURTPLAN_DATABASE_URL", None)
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    if settings.database_url:
        env["COURTPLAN_DATABASE_URL"] = settings.database_url
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CLI, *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, ended but not yet collected, counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return not f.read().rsplit(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return False


def children_of(pid: int) -> dict[str, list[int]]:
    """The running children of `pid` by kind: 'http' (HTTP processes), 'worker', 'other'."""
    out: dict[str, list[int]] = {"http": [], "worker": [], "other": []}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
        if int(stat[1]) != pid or stat[0] == "Z":
            continue
        # (an HTTP process: ours, or one uvicorn's own supervisor spawned)
        http = "http_process" in command or "spawn_main" in command
        kind = "http" if http else "worker" if "'worker'" in command else "other"
        out[kind].append(int(entry.name))
    return out


def wait_until(check: object, seconds: float, what: str, every: float = 0.1) -> float:
    """Poll `check()` until true; the seconds it took. AssertionError naming `what` after `seconds`."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if check():  # type: ignore[operator]
            return time.monotonic() - t0
        time.sleep(every)
    raise AssertionError(f"{what}: not within {seconds} s")


@dataclass
class Served:
    proc: subprocess.Popen[bytes]
    port: int
    env: dict[str, str]
    log: Path

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def get(self, path: str, **kw: object) -> httpx.Response:
        return httpx.get(self.base + path, timeout=10, **kw)  # type: ignore[arg-type]

    def children(self) -> dict[str, list[int]]:
        return children_of(self.proc.pid)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def start(env: dict[str, str], log: Path, port: int | None = None, workers: int = 1,
          http_processes: int = 1, ready: bool = True) -> Served:
    """`courtplan serve` started; with `ready`, once it answers /health/live (or /health)."""
    port = port or free_port()
    proc = subprocess.Popen([sys.executable, "-c", CLI, "serve", "--host", HOST, "--port", str(port),
                             "--workers", str(workers), "--http-processes", str(http_processes)],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("ab"))
    served = Served(proc, port, env, log)
    if ready:
        t0 = time.monotonic()
        while time.monotonic() - t0 < 90:
            if proc.poll() is not None:
                break
            try:
                if httpx.get(f"{served.base}/health", timeout=2).status_code == 200:
                    return served
            except httpx.HTTPError:
                time.sleep(0.1)
        stop(served)
        raise RuntimeError(f"courtplan serve did not start: {served.log_text()[-3000:]}")
    return served


def stop(served: Served) -> None:
    """SIGTERM to `serve`, then SIGKILL to it and whatever of its children remain."""
    kids = [p for pids in served.children().values() for p in pids]
    if served.proc.poll() is None:
        served.proc.terminate()
        try:
            served.proc.wait(30)
        except subprocess.TimeoutExpired:
            served.proc.kill()
            served.proc.wait()
    for pid in kids:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


@contextmanager
def serving(env: dict[str, str], log: Path, **kw: object) -> Iterator[Served]:
    served = start(env, log, **kw)  # type: ignore[arg-type]
    try:
        yield served
    finally:
        stop(served)


def kill9(served: Served) -> None:
    """SIGKILL to `serve` and to every child it has at that moment, together: a power cut, as
    far as the service can tell (nothing gets to finish what it was doing)."""
    kids = [p for pids in served.children().values() for p in pids]
    for pid in [served.proc.pid, *kids]:
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    served.proc.wait(30)


def make_keys(settings: Settings, *specs: tuple[str, bool]) -> list[str]:
    """Tokens of new keys (court, admin) in the database of `settings` (migrated first)."""
    from api.main import open_service
    from api.security import new_key

    service = open_service(settings)
    try:
        with service.writes.begin() as s:
            return [new_key(s, court, is_admin)[1] for court, is_admin in specs]
    finally:
        service.engine.dispose()


def client(served: Served, token: str, timeout: float = 60) -> httpx.Client:
    """An HTTP client of `served` presenting `token`."""
    return httpx.Client(base_url=served.base, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)


@contextmanager
def small_disk(where: Path, size: str = "32m") -> Iterator[Path]:
    """A tmpfs of `size` mounted on `where`, to fill up (root only); skips, saying why, where
    none can be mounted (a user's machine without the rights)."""
    where.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        reason = f"cannot mount a small tmpfs to fill ({made.stderr.strip() or made.returncode})"
        print(f"\nskipping the full-disk test: {reason}")
        pytest.skip(reason)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> Path:
    """A file that takes every free byte of `folder`'s file system (remove it to free them)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY, 0o600)
    try:
        for chunk in (1 << 16, 1 << 12, 1):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
    finally:
        os.close(fd)
    return filler
