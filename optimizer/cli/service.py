"""The planning service: `serve` (HTTP API, optionally with worker processes), `worker` (solves
queued runs; run several, on several hosts, against one PostgreSQL), `keys` (API keys).

The service itself lives in the `api` package, which the library must not import (tests/
test_layout.py); like uvicorn's "api.main:app", the CLI reaches it by name at run time.
"""

from __future__ import annotations

import argparse
import importlib
import logging
from typing import Any

from optimizer.cli.common import EXIT_INVALID, err

ENVIRONMENT = """environment 环境变量:
  COURTPLAN_DATA_DIR       where the embedded SQLite database lives (default ./courtplan-data,
                           created 0700, files 0600)
  COURTPLAN_DATABASE_URL   use this database instead, e.g. postgresql+psycopg://user@host/courtplan
                           (workers on other hosts point at the same one)
  COURTPLAN_MAX_TIME_LIMIT, COURTPLAN_DEFAULT_TIME_LIMIT, COURTPLAN_MAX_BODY_BYTES,
  COURTPLAN_LEASE_SECONDS, COURTPLAN_CORS_ORIGINS='["https://dash.example"]'  (see docs/service.md)"""


def _service() -> Any:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    return importlib.import_module("api.service")


def cmd_serve(a: argparse.Namespace) -> int:
    if a.workers < 0:
        err("--workers must be 0 or more")
        return EXIT_INVALID
    if not 1 <= a.http_processes <= 64:
        err("--http-processes must be from 1 to 64")
        return EXIT_INVALID
    return int(_service().serve(a.host, a.port, a.workers, a.http_processes))


def cmd_worker(a: argparse.Namespace) -> int:
    _service().work(once=a.once, idle_exit=a.idle_exit)
    return 0


def cmd_keys(a: argparse.Namespace) -> int:
    svc = _service()
    if a.keys_command == "create":
        key_id, token = svc.create_key(a.court, a.admin, a.label)
        print(f"key 密钥 {key_id} for court 法院 {a.court}{' (admin 管理员)' if a.admin else ''}")
        print(f"token (shown once 仅显示一次): {token}")
    elif a.keys_command == "list":
        keys = svc.list_keys()
        print("id            court 法院        admin  revoked 已吊销  label")
        for k in keys:
            print(f"{k['id']:<13} {k['court']:<16} {'yes' if k['admin'] else 'no':<6} "
                  f"{str(k['revoked_at'] or '-')[:19]:<19} {k['label']}")
    elif not svc.revoke_key(a.id):
        err(f"no key {a.id}")
        return EXIT_INVALID
    else:
        print(f"key 密钥 {a.id} revoked 已吊销")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    fmt = argparse.RawDescriptionHelpFormatter
    se = sub.add_parser("serve", help="run the HTTP API (migrates the database first)",
                        epilog=ENVIRONMENT, formatter_class=fmt)
    se.add_argument("--host", default="127.0.0.1")
    se.add_argument("--port", type=int, default=8000)
    se.add_argument("--workers", type=int, default=1,
                    help="worker processes to start alongside (0: runs wait for `courtplan worker`)")
    se.add_argument("--http-processes", type=int, default=2, metavar="N",
                    help="processes answering HTTP, so reads never queue behind one another "
                    "(default 2)")
    se.set_defaults(func=cmd_serve)
    wo = sub.add_parser("worker", help="solve queued runs from the service database",
                        epilog=ENVIRONMENT, formatter_class=fmt)
    wo.add_argument("--once", action="store_true", help="solve at most one run, then stop")
    wo.add_argument("--idle-exit", type=float, default=None, metavar="SECONDS",
                    help="stop after this many seconds without work")
    wo.set_defaults(func=cmd_worker)
    ke = sub.add_parser("keys", help="API keys: create, list, revoke", epilog=ENVIRONMENT, formatter_class=fmt)
    ks = ke.add_subparsers(dest="keys_command", required=True)
    kc = ks.add_parser("create", help="a key bound to a court (its token is printed once)")
    kc.add_argument("--court", required=True, help="court id: the key sees scenarios of its district")
    kc.add_argument("--admin", action="store_true", help="may also manage keys and read the audit log")
    kc.add_argument("--label", default="", help="who the key is for")
    ks.add_parser("list", help="every key (never the tokens)")
    kr = ks.add_parser("revoke", help="revoke a key")
    kr.add_argument("id")
    ke.set_defaults(func=cmd_keys)
