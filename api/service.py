"""What `courtplan serve`, `courtplan worker` and `courtplan keys` do (the CLI parses the
arguments and prints; these functions return values)."""

from __future__ import annotations

import contextlib
import getpass
import logging
import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from api import crud
from api.db.models import ApiKey
from api.deps import Service
from api.jobs import Worker
from api.main import open_service
from api.security import Principal
from api.settings import Settings
from api.supervise import expected_parent, listening_socket, orphaned, supervise
from optimizer.cli.common import EXIT_CANNOT_LISTEN, EXIT_DATABASE_UNREACHABLE, err

log = logging.getLogger("courtplan.service")


def _reason(e: BaseException) -> str:
    """The cause in one line: the driver's own first line (never a password: libpq and SQLite
    do not repeat it), else the exception's."""
    cause = getattr(e, "orig", None) or e
    if isinstance(cause, OSError) and cause.strerror:
        return f"{cause.strerror}: {cause.filename}" if cause.filename else cause.strerror
    lines = [x.strip() for x in str(cause).splitlines() if x.strip()]
    return (lines[0] if lines else type(cause).__name__)[:300]


def _where(settings: Settings) -> str:
    try:
        return settings.where()
    except Exception:  # a URL SQLAlchemy cannot even parse
        return "COURTPLAN_DATABASE_URL (not a database URL)"


def open_or_exit(settings: Settings) -> Service:
    """The service's database, opened and migrated; when it cannot be reached, one line on
    standard error and exit code 69 (EXIT_DATABASE_UNREACHABLE), not a traceback: under systemd
    the unit starts again after its RestartSec, and reaches the database once it is up."""
    try:
        return open_service(settings)
    except (SQLAlchemyError, OSError) as e:
        err(f"数据库无法连接 database unreachable: {_where(settings)}: {_reason(e)} "
            "(COURTPLAN_DATABASE_URL / COURTPLAN_DATA_DIR)")
        raise SystemExit(EXIT_DATABASE_UNREACHABLE) from None


@contextlib.contextmanager
def _metrics_folder(http_processes: int) -> Iterator[None]:
    """Several HTTP processes count request latencies into one private folder (prometheus_client's
    multiprocess mode), set before they start so that each imports the client in that mode."""
    if http_processes <= 1:
        yield
        return
    folder = tempfile.mkdtemp(prefix="courtplan-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    try:
        yield
    finally:
        os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)
        shutil.rmtree(folder, ignore_errors=True)


def serve(host: str, port: int, workers: int, http_processes: int = 1) -> int:
    """Migrate, bind the port, then supervise the HTTP processes and workers (api/supervise.py)
    until stopped; EXIT_CANNOT_LISTEN when the port cannot be bound."""
    settings = Settings()
    service = open_or_exit(settings)  # migrates before anything else touches the database
    service.engine.dispose()  # the children open their own connections
    log.info("data 数据: %s (COURTPLAN_DATA_DIR / COURTPLAN_DATABASE_URL)", settings.where())
    log.info("workers 求解进程: %d%s", workers, "" if workers else
             " — runs stay queued until a `courtplan worker` runs against this database")
    try:
        sock = listening_socket(host, port)
    except OSError as e:  # in use (another serve still running?) or not permitted
        err(f"无法监听 cannot listen on {host}:{port}: {e.strerror or e}")
        return EXIT_CANNOT_LISTEN
    log.info("listening 监听 http://%s:%d with %d HTTP process(es) (serve pid %d)",
             host, port, http_processes, os.getpid())
    with _metrics_folder(http_processes):
        return supervise(sock, http_processes, workers)


def _stop_on_sigterm(worker: Worker) -> None:
    def handler(_signum: int, _frame: Any) -> None:
        worker.stopping = True
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handler)


def work(once: bool = False, idle_exit: float | None = None) -> int:
    parent = expected_parent()  # started by `serve`: stop when it is gone
    if orphaned(parent):
        return 0
    settings = Settings()
    service = open_or_exit(settings)
    worker = Worker(settings, service.engine, parent=parent)
    log.info("worker %s: data 数据: %s", worker.name, settings.where())
    _stop_on_sigterm(worker)
    return worker.run(once=once, idle_exit=idle_exit)


def operator() -> Principal:
    """Who acts through `courtplan keys` on the database host, as the audit log names it:
    `cli:<operating-system user>` (the CLI is not limited to a district)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a bare container)
        user = str(os.getuid())
    return Principal(key_id=f"cli:{user}"[:16], court="", admin=True)


def create_key(court: str, admin: bool, label: str) -> tuple[str, str]:
    """A new key (audited as key.create by the operator, in the same transaction)."""
    service = open_or_exit(Settings())
    with service.writes.begin() as s:
        row, token = crud.create_key(s, operator(), court, admin, label)
        return row.id, token


def list_keys() -> list[dict[str, Any]]:
    service = open_or_exit(Settings())
    with service.reads() as s:
        return [{"id": k.id, "court": k.court, "admin": k.admin, "label": k.label,
                 "created_at": k.created_at, "revoked_at": k.revoked_at}
                for k in s.scalars(select(ApiKey).order_by(ApiKey.created_at))]


def revoke_key(key_id: str) -> bool:
    service = open_or_exit(Settings())
    with service.writes.begin() as s:
        row = s.get(ApiKey, key_id)
        if row is None:
            return False
        crud.revoke_key(s, operator(), row)  # (a revoked key again: nothing changes or is audited)
        return True
