"""`courtplan backup` / `courtplan restore`: the whole service database to one file and back.

- SQLite: SQLite's online backup API copies a consistent snapshot page by page while the service
  runs (WAL readers and writers carry on); the copy is checked (`PRAGMA integrity_check`) before
  it replaces the target. Restore copies the pages back the same way.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --single-transaction` (the
  client tools of the server's major version must be installed). The password travels in the
  PGPASSWORD environment variable, never on a command line other users can read.

A backup file is written whole or not at all, mode 0600 (it holds parties' names). A restore
refuses a database that already holds scenarios unless forced (it replaces them), refuses a
backup of the other kind of database, and migrates the restored database to this release's
schema (a backup of an older release comes back upgraded). Stop the service (API and workers)
before a restore: a running process would keep writing to what is being replaced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import make_url

from api.db.engine import make_engine, migrate, prepare_data_dir
from api.db.models import Scenario
from api.settings import Settings

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(ValueError):
    """A backup or restore that cannot be done; the message says why."""


def _sqlite_file(settings: Settings) -> Path:
    return (settings.data_dir / "courtplan.sqlite3").resolve()


def _libpq(settings: Settings) -> tuple[str, dict[str, str]]:
    """The PostgreSQL URL as the client tools take it (no driver name, no password) and the
    environment carrying the password."""
    url = make_url(settings.url())
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install PostgreSQL's client tools (the server's "
                          "major version), e.g. apt-get install postgresql-client-15")
    return found


@contextlib.contextmanager
def _private_temp(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` (same file system, for the final rename), removed on error."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    os.chmod(name, 0o600)
    try:
        yield Path(name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def backup(settings: Settings, out: Path) -> str:
    """Write the service database to `out`; returns what was written, for the message."""
    if settings.database_url:
        url, env = _libpq(settings)
        with _private_temp(out) as tmp:
            done = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                                   "--file", str(tmp), "--dbname", url], env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()[:500]}")
            os.replace(tmp, out)
        return f"PostgreSQL dump (pg_dump custom format), {out.stat().st_size:,} bytes"
    source = _sqlite_file(settings)
    if not source.is_file():
        raise BackupError(f"no database at {source} (COURTPLAN_DATA_DIR)")
    with _private_temp(out) as tmp:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            _check_sqlite(dst, out)
        finally:
            dst.close()
            src.close()
        os.replace(tmp, out)
    return f"SQLite database (online backup), {out.stat().st_size:,} bytes"


def _check_sqlite(conn: sqlite3.Connection, name: Path) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchone()
    if not result or result[0] != "ok":
        raise BackupError(f"{name}: the SQLite database is damaged ({result[0] if result else 'no answer'})")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "alembic_version" not in tables or "scenarios" not in tables:
        raise BackupError(f"{name}: not a courtplan database (no scenarios or alembic_version table)")


def _kind(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError as e:
        raise BackupError(f"{path}: {e.strerror or e}") from None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path}: not a courtplan backup (neither a SQLite database nor a pg_dump archive)")


def _stored_scenarios(settings: Settings) -> int:
    """Scenarios in the target database (0 when it is new or has no tables yet)."""
    engine = make_engine(settings)
    try:
        if not inspect(engine).has_table("scenarios"):
            return 0
        with engine.connect() as c:
            return int(c.execute(select(func.count()).select_from(Scenario)).scalar() or 0)
    finally:
        engine.dispose()


def restore(settings: Settings, source: Path, force: bool = False) -> str:
    """Replace the service database with the backup `source`, then migrate it to this release."""
    kind = _kind(source)
    here = "postgresql" if settings.database_url else "sqlite"
    if kind != here:
        raise BackupError(f"{source} is a {kind} backup; this service uses {here} "
                          "(COURTPLAN_DATABASE_URL / COURTPLAN_DATA_DIR)")
    existing = _stored_scenarios(settings)
    if existing and not force:
        raise BackupError(f"the target database holds {existing} scenario(s); restoring replaces them: "
                          "stop the service, then run again with --force")
    if kind == "postgresql":
        url, env = _libpq(settings)
        done = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                               "--single-transaction", "--exit-on-error", "--dbname", url, str(source)],
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[:500]}")
    else:
        _restore_sqlite(settings, source)
    engine = make_engine(settings)
    try:
        migrate(engine, settings)
    finally:
        engine.dispose()
    return f"restored {source} ({kind}) and migrated it to this release's schema"


def revision(settings: Settings) -> str | None:
    """The schema revision the database is at (None: no courtplan schema yet)."""
    engine = make_engine(settings)
    try:
        if not inspect(engine).has_table("alembic_version"):
            return None
        with engine.connect() as c:
            return c.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def upgrade(settings: Settings) -> tuple[str | None, str | None]:
    """Migrate the database to this release's schema: (revision before, revision after)."""
    before = revision(settings)
    engine = make_engine(settings)
    try:
        migrate(engine, settings)
    finally:
        engine.dispose()
    return before, revision(settings)


def _restore_sqlite(settings: Settings, source: Path) -> None:
    prepare_data_dir(settings)
    src = sqlite3.connect(f"file:{source.resolve()}?mode=ro", uri=True)
    try:
        _check_sqlite(src, source)
        dst = sqlite3.connect(_sqlite_file(settings), timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    prepare_data_dir(settings)  # the files stay the service user's alone (0600)
