"""Empty databases of the same kind as a test's (SQLite: a new data directory; PostgreSQL: a new
database beside the session's, dropped afterwards), for upgrades and restores; and a reader that
gathers everything a service database holds, through the API and row by row."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from api.main import create_app, open_service
from api.settings import Settings
from tests.api.conftest import auth


@contextmanager
def fresh_settings(like: Settings, tmp: Path, name: str) -> Iterator[Settings]:
    """Settings for an empty database of the same kind as `like`."""
    if not like.database_url:
        yield like.model_copy(update={"data_dir": tmp / name})
        return
    url = make_url(like.database_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    db = f"{url.database}_{name}_{secrets.token_hex(3)}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{db}"'))
    try:
        yield like.model_copy(update={"database_url": url.set(database=db).render_as_string(hide_password=False)})
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def rows(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (alembic's bookkeeping included), in key order."""
    engine = create_engine(settings.url())
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as c:
            return {t.name: [tuple(r) for r in c.execute(select(t).order_by(*t.primary_key.columns or t.columns))]
                    for t in meta.sorted_tables}
    finally:
        engine.dispose()


def everything(settings: Settings, admin_token: str) -> dict[str, Any]:
    """What the service answers about all it holds: every scenario (each version's metadata and
    body), every run (with its plan when it has one) and every audit entry."""
    service = open_service(settings)
    out: dict[str, Any] = {"scenarios": {}, "runs": {}, "audit": []}
    try:
        with TestClient(create_app(service=service)) as client:
            h = auth(admin_token)
            for s in client.get("/scenarios?limit=500", headers=h).json()["items"]:
                versions = client.get(f"/scenarios/{s['id']}/versions", headers=h).json()["items"]
                out["scenarios"][s["id"]] = [
                    (v, client.get(f"/scenarios/{s['id']}/body?version={v['version']}", headers=h).content)
                    for v in versions]
                for run in client.get(f"/scenarios/{s['id']}/runs", headers=h).json()["items"]:
                    plan = client.get(f"/runs/{run['id']}/plan", headers=h)
                    out["runs"][run["id"]] = (run, plan.json() if plan.status_code == 200 else plan.status_code)
            total = client.get("/audit?limit=1", headers=h).json()["total"]
            for offset in range(0, total, 500):
                out["audit"] += client.get(f"/audit?limit=500&offset={offset}", headers=h).json()["items"]
    finally:
        service.engine.dispose()
    return out
