"""Fixtures of the service tests: every test runs on SQLite, and on PostgreSQL when one is
reachable (a fresh database per test session, dropped after). With COURTPLAN_REQUIRE_POSTGRES=1
(.ci/run sets it) an unreachable PostgreSQL fails the tests instead of skipping them."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.db.models import Base
from api.deps import Service
from api.main import create_app, open_service
from api.security import new_key
from api.settings import Settings

PG_ADMIN_URL = os.environ.get("COURTPLAN_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TINY = (Path(__file__).resolve().parent.parent / "data" / "tiny.json").read_bytes()
JSON = {"Content-Type": "application/json"}


def _postgres_unavailable(why: str) -> None:
    message = f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({why})"
    if os.environ.get("COURTPLAN_REQUIRE_POSTGRES") == "1":
        pytest.fail(message + " and COURTPLAN_REQUIRE_POSTGRES=1", pytrace=False)
    print(f"\nskipping the PostgreSQL variant: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test session, dropped afterwards."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"courtplan_test_{secrets.token_hex(4)}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # any failure to reach or create: skip (or fail when required)
        admin.dispose()
        _postgres_unavailable(type(e).__name__)
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    return Settings(data_dir=tmp_path / "data", database_url=url, max_body_bytes=2_000_000,
                    lease_seconds=3, poll_interval=0.1, progress_interval=0.2, body_timeout=2)


@pytest.fixture()
def service(settings: Settings) -> Iterator[Service]:
    svc = open_service(settings)
    if settings.database_url:  # one database per session: empty the tables for each test
        with svc.engine.begin() as c:
            c.execute(text("TRUNCATE " + ", ".join(t.name for t in Base.metadata.sorted_tables) + " CASCADE"))
    yield svc
    svc.engine.dispose()


@dataclass
class Keys:
    """Tokens: admin (court M), m (court M: the tiny scenario's dispatcher), a (basic court A
    under M: not a superior of M), z (a court in no scenario)."""

    admin: str
    m: str
    a: str
    z: str


@pytest.fixture()
def keys(service: Service) -> Keys:
    with service.writes.begin() as s:
        tokens = [new_key(s, court, admin)[1] for court, admin in
                  (("M", True), ("M", False), ("A", False), ("Z", False))]
    return Keys(*tokens)


def auth(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


@pytest.fixture()
def client(service: Service) -> Iterator[TestClient]:
    with TestClient(create_app(service=service)) as c:
        yield c


def store(client: TestClient, token: str, body: bytes = TINY) -> dict[str, Any]:
    r = client.post("/scenarios", content=body, headers=auth(token, **JSON))
    assert r.status_code == 201, r.text
    return dict(r.json())
