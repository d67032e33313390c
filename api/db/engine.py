"""The engine (SQLite in WAL mode under the data directory, or PostgreSQL), sessions and
migrations (Alembic, shipped inside the package: `api/db/migrations`)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from api.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 0x636F7572  # any constant: serialises migrations of several hosts


def prepare_data_dir(settings: Settings) -> None:
    """The data directory (0700) and the SQLite file (0600) exist and are the service user's
    alone; files from an older, looser umask are tightened."""
    if settings.database_url:
        return
    d = settings.data_dir
    d.mkdir(parents=True, exist_ok=True)
    os.chmod(d, 0o700)
    db = d / "courtplan.sqlite3"
    if not db.exists():
        os.close(os.open(db, os.O_CREAT | os.O_WRONLY, 0o600))
    for f in d.iterdir():  # the -wal and -shm files SQLite makes take the database's mode
        if f.is_file():
            os.chmod(f, 0o600)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("writes") else "BEGIN")


def make_engine(settings: Settings) -> Engine:
    prepare_data_dir(settings)
    url = settings.url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        # SQLAlchemy emits BEGIN itself (pysqlite's own handling is off); a writing session
        # takes the write lock at BEGIN (IMMEDIATE), so its reads and writes are one atomic
        # step and concurrent writers queue on busy_timeout instead of failing on upgrade
        event.listen(engine, "connect", lambda c, _r: setattr(c, "isolation_level", None))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # a database host that does not answer fails a connection in seconds, not in the minutes
    # of the TCP timeout (health checks and start-up say so at once); a URL's own value wins
    connect_args = {} if "connect_timeout" in url else {"connect_timeout": 5}
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, connect_args=connect_args)


def session_factory(engine: Engine, writes: bool = False) -> sessionmaker[Session]:
    """Sessions on `engine`; `writes=True` for sessions that change rows (SQLite: BEGIN
    IMMEDIATE; PostgreSQL: no difference)."""
    bind = engine.execution_options(writes=True) if writes else engine
    return sessionmaker(bind, expire_on_commit=False)


@contextlib.contextmanager
def _migration_lock(engine: Engine, settings: Settings) -> Iterator[None]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as c:
            c.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
            try:
                yield
            finally:
                c.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _PG_MIGRATION_LOCK})
                c.commit()
        return
    fd = os.open(settings.data_dir / ".migrate.lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def migrate(engine: Engine, settings: Settings) -> None:
    """Bring the schema to the newest migration (safe to call from several processes)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(engine, settings), engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
