"""A real `courtplan serve` in its own process group, for tests that need the whole service over
HTTP: a free port on 127.0.0.1, a data directory (SQLite) or database (PostgreSQL) of the test's,
keys made beforehand, and stop / kill -9 / restart on the same data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

from api.main import open_service
from api.security import new_key
from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
CLI = "import sys; from optimizer.cli import main; sys.exit(main(sys.argv[1:]))"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def make_keys(settings: Settings, *specs: tuple[str, bool]) -> list[str]:
    """Tokens of new keys (court, admin) in the database of `settings` (migrated first)."""
    service = open_service(settings)
    try:
        with service.writes.begin() as s:
            return [new_key(s, court, is_admin)[1] for court, is_admin in specs]
    finally:
        service.engine.dispose()


class Served:
    """`courtplan serve` on `settings`' data; `.base` is its URL while it runs."""

    def __init__(self, settings: Settings, log: Path, workers: int = 0, http_processes: int = 2,
                 env: dict[str, str] | None = None):
        self.settings = settings
        self.log = log
        self.workers = workers
        self.http_processes = http_processes
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "COURTPLAN_DATA_DIR": str(settings.data_dir),
                    "COURTPLAN_POLL_INTERVAL": "0.1", "COURTPLAN_PROGRESS_INTERVAL": "0.2", **(env or {})}
        self.env.pop("COURTPLAN_DATABASE_URL", None)
        if settings.database_url:
            self.env["COURTPLAN_DATABASE_URL"] = settings.database_url
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 120) -> None:
        self.port = free_port()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", CLI, "serve", "--host", HOST, "--port", str(self.port),
                 "--workers", str(self.workers), "--http-processes", str(self.http_processes)],
                env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(f"{self.base}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"`courtplan serve` did not start: {self.log.read_text()[-3000:]}")

    def kill9(self) -> None:
        """SIGKILL to the whole process group (the server, its HTTP processes, its workers): a
        power cut, as far as the service can tell."""
        if self.proc is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            self.kill9()
        self.proc = None

    def client(self, token: str, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {token}"},
                            timeout=kwargs.pop("timeout", 60), **kwargs)


@contextmanager
def served(settings: Settings, log: Path, **kwargs: Any) -> Iterator[Served]:
    """A started `Served`, stopped (its whole process group) at the end whatever happens."""
    server = Served(settings, log, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()
