"""Operating the service: `backup` (the whole service database to one file), `restore` (back
from one) and `migrate` (the schema brought to this release's, as after an upgrade). Like
`serve`, they reach the `api` package by name at run time (tests/test_layout.py: the library
does not import the web layer). See docs/operations.md.
"""

from __future__ import annotations

import argparse
import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from optimizer.cli.common import EXIT_INVALID, err


def _backup_module() -> tuple[Any, Any]:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return importlib.import_module("api.backup"), importlib.import_module("api.settings").Settings()


def _operate(action: Callable[[Any, Any], str]) -> int:
    """Run `action(api.backup, settings)`; print its message, or the reason it could not."""
    backup, settings = _backup_module()
    try:
        message = action(backup, settings)
    except backup.BackupError as e:
        err(str(e))
        return EXIT_INVALID
    print(message)
    return 0


def cmd_backup(a: argparse.Namespace) -> int:
    return _operate(lambda b, s: f"wrote {a.out}: {b.backup(s, Path(a.out))}; from {s.where()}")


def cmd_restore(a: argparse.Namespace) -> int:
    return _operate(lambda b, s: f"{b.restore(s, Path(a.backup), force=a.force)}; into {s.where()}")


def _migrated(b: Any, s: Any) -> str:
    before, after = b.upgrade(s)
    change = "unchanged 无需升级" if before == after else "upgraded 已升级"
    return f"schema 数据库结构: {before or '(empty 空)'} → {after} ({change}); {s.where()}"


def cmd_migrate(a: argparse.Namespace) -> int:
    return _operate(_migrated)


def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    where = ("the database is the service's: COURTPLAN_DATA_DIR (SQLite) or COURTPLAN_DATABASE_URL "
             "(PostgreSQL: pg_dump/pg_restore must be installed)")
    bk = sub.add_parser("backup", help="copy the service database to one file (safe while it runs)",
                        epilog=where, formatter_class=fmt)
    bk.add_argument("out", help="the backup file to write (0600; replaced whole or not at all)")
    bk.set_defaults(func=cmd_backup)
    rs = sub.add_parser("restore", help="replace the service database with a backup (stop the service first)",
                        epilog=where, formatter_class=fmt)
    rs.add_argument("backup", help="a file written by `courtplan backup`")
    rs.add_argument("--force", action="store_true",
                    help="replace a database that already holds scenarios")
    rs.set_defaults(func=cmd_restore)
    mi = sub.add_parser("migrate", help="bring the database to this release's schema (serve and worker "
                        "also do it when they start)", epilog=where, formatter_class=fmt)
    mi.set_defaults(func=cmd_migrate)
