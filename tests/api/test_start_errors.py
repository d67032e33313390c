"""A database that cannot be reached when the service starts (数据库无法连接): `serve`, `worker` and
`keys` say so in one line naming the database (never its password) and exit with code 69, in
seconds, without a traceback. Real processes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from api.settings import Settings
from tests.api.served import cli, service_env

#: nothing listens on port 9 (discard) of the loopback
CLOSED = "postgresql+psycopg://courtplan:s3cret-pw@127.0.0.1:9/courtplan"
COMMANDS = [["serve", "--port", "9", "--workers", "0"], ["worker"], ["keys", "list"],
            ["keys", "create", "--court", "M"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_postgresql_not_answering(args: list[str], tmp_path: Path) -> None:
    env = service_env(Settings(data_dir=tmp_path / "data", database_url=CLOSED))
    t0 = time.monotonic()
    done = cli(env, *args, timeout=60)
    assert time.monotonic() - t0 < 30
    assert done.returncode == 69, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and "s3cret-pw" not in done.stderr + done.stdout
    ours = [x for x in done.stderr.splitlines() if x.startswith("courtplan:")]
    assert ours == ["courtplan: 数据库无法连接 database unreachable: PostgreSQL "
                    "postgresql+psycopg://courtplan:***@127.0.0.1:9/courtplan: connection failed: connection to "
                    'server at "127.0.0.1", port 9 failed: Connection refused '
                    "(COURTPLAN_DATABASE_URL / COURTPLAN_DATA_DIR)"]
    assert done.stdout == ""  # (keys list printed its header before it knew)


def test_sqlite_data_directory_impossible(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    env = service_env(Settings(data_dir=tmp_path / "a-file" / "data"))
    done = cli(env, "serve", "--port", "9", "--workers", "0", timeout=60)
    assert done.returncode == 69 and "Traceback" not in done.stderr
    ours = [x for x in done.stderr.splitlines() if x.startswith("courtplan:")]
    assert ours == [f"courtplan: 数据库无法连接 database unreachable: SQLite "
                    f"{tmp_path}/a-file/data/courtplan.sqlite3: Not a directory: {tmp_path}/a-file/data "
                    "(COURTPLAN_DATABASE_URL / COURTPLAN_DATA_DIR)"]


def test_not_a_database_url(tmp_path: Path) -> None:
    env = service_env(Settings(data_dir=tmp_path / "data", database_url="courtplan-db:5432"))
    done = cli(env, "worker", timeout=60)
    assert done.returncode == 69 and "Traceback" not in done.stderr
    assert ("courtplan: 数据库无法连接 database unreachable: COURTPLAN_DATABASE_URL (not a database URL)"
            in done.stderr)
