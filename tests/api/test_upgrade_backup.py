"""Operating the database: a database of the first release (migration 0001) with data in it is
upgraded to this release and read back; `courtplan backup` and `courtplan restore` bring back
every row, and the service then reads every scenario, run and audit entry. Both back ends."""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, insert

from api.db.engine import MIGRATIONS, make_engine
from api.jobs import Worker
from api.security import token_hash
from optimizer.cli import main
from optimizer.data.read import parse_scenario
from optimizer.pipeline import plan_scenario
from optimizer.solver.params import SolveParams
from tests.api.conftest import TINY, auth, store
from tests.api.fresh import everything, fresh_settings, rows

ADMIN = "cp_00000000000a_" + "A" * 43


def _at_first_release(settings) -> None:
    """The schema as the first release's migration made it, and rows as that release wrote them."""
    engine = make_engine(settings)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    scenario = parse_scenario(TINY)
    canonical = scenario.model_dump_json().encode()
    digest = hashlib.sha256(canonical).hexdigest()
    plan = plan_scenario(scenario, params=SolveParams(time_limit=10))
    at = dt.datetime(2026, 1, 5, 8, 30, tzinfo=dt.UTC)
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    assert "warm_from" not in t["runs"].columns and "run_warm_starts" not in t  # really 0001
    with engine.begin() as c:
        c.execute(insert(t["api_keys"]).values(id="00000000000a", secret_hash=token_hash(ADMIN), court="M",
                                               admin=True, label="运维", created_at=at, revoked_at=None))
        c.execute(insert(t["scenarios"]).values(id="a" * 32, latest_version=1, created_at=at,
                                                created_by="00000000000a"))
        c.execute(insert(t["scenario_versions"]).values(
            id=1, scenario_id="a" * 32, version=1, name=scenario.name, dispatcher=scenario.dispatcher,
            courts=len(scenario.courts), cases=len(scenario.cases), content_hash=digest,
            size_bytes=len(canonical), created_at=at, created_by="00000000000a"))
        c.execute(insert(t["scenario_bodies"]).values(version_id=1, body=zlib.compress(canonical)))
        c.execute(insert(t["scenario_access"]).values(scenario_id="a" * 32, court="M"))
        c.execute(insert(t["runs"]).values(
            id="b" * 32, scenario_id="a" * 32, version_id=1, params={"time_limit": 10, "gap": None, "seed": 1},
            changes={}, status="done", progress={"phase": "done"}, summary=None, error=None,
            cancel_requested=False, attempts=1, worker="old-host:1", created_by="00000000000a", created_at=at,
            started_at=at, finished_at=at, heartbeat_at=at, lease_expires_at=None, solve_seconds=1.5))
        c.execute(insert(t["run_plans"]).values(run_id="b" * 32, body=zlib.compress(plan.to_json().encode())))
        c.execute(insert(t["audit"]).values(at=at, key_id="00000000000a", action="scenario.create",
                                            scenario_id="a" * 32, content_hash=digest))
    engine.dispose()


def test_a_first_release_database_upgrades_with_its_data(settings, tmp_path, monkeypatch, capsys):
    with fresh_settings(settings, tmp_path, "upgrade") as old:
        _at_first_release(old)
        before = rows(old)
        monkeypatch.setenv("COURTPLAN_DATA_DIR", str(old.data_dir))
        if old.database_url:
            monkeypatch.setenv("COURTPLAN_DATABASE_URL", old.database_url)
        assert main(["migrate"]) == 0  # (what `courtplan serve` also does on start)
        assert "0001 → 0005 (upgraded" in capsys.readouterr().out
        assert main(["migrate"]) == 0
        assert "0005 → 0005 (unchanged" in capsys.readouterr().out
        after = rows(old)
        for table, content in before.items():
            if table not in ("alembic_version", "runs"):  # (columns added later come last: None)
                assert [r[:len(b)] for r, b in zip(after[table], content, strict=True)] == content, table
        assert [r[:5] for r in after["runs"]] == [r[:5] for r in before["runs"]]
        seen = everything(old, ADMIN)
        [(meta, body)] = seen["scenarios"]["a" * 32]
        assert body == parse_scenario(TINY).model_dump_json().encode() and meta["created_by"] == "00000000000a"
        run, plan = seen["runs"]["b" * 32]
        assert run["status"] == "done" and run["solve_seconds"] == 1.5 and run["warm_start_run"] is None
        assert plan["run_id"] == "b" * 32 and len(plan["plan"]["cases"]) == len(parse_scenario(TINY).cases)
        assert [a["action"] for a in seen["audit"]][-1] == "scenario.create"


def _service_data(client, keys, service) -> None:
    """Two scenarios (one with two versions), a finished run, a queued one, a cancelled one."""
    first = store(client, keys.m)["id"]
    store(client, keys.m)
    client.put(f"/scenarios/{first}", content=TINY, headers=auth(keys.m, **{"Content-Type": "application/json"}))
    done, queued, cancelled = (client.post(f"/scenarios/{first}/runs", json={"time_limit": 10},
                                           headers=auth(keys.m)).json()["id"] for _ in range(3))
    assert Worker(service.settings, service.engine).run(once=True) == 1
    client.post(f"/runs/{cancelled}/cancel", headers=auth(keys.m))
    client.get(f"/runs/{done}/plan", headers=auth(keys.m))
    assert {done, queued, cancelled}


def test_backup_and_restore_bring_back_every_row(client, keys, service, settings, tmp_path, monkeypatch, capsys):
    _service_data(client, keys, service)
    original = rows(settings)
    monkeypatch.setenv("COURTPLAN_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("COURTPLAN_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("COURTPLAN_DATABASE_URL", raising=False)
    out = tmp_path / "backup.courtplan"
    assert main(["backup", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out and out.stat().st_mode & 0o077 == 0
    assert main(["restore", str(out)]) == 2  # the database is not empty: refused without --force
    assert "--force" in capsys.readouterr().err
    with fresh_settings(settings, tmp_path, "restored") as target:
        monkeypatch.setenv("COURTPLAN_DATA_DIR", str(target.data_dir))
        if target.database_url:
            monkeypatch.setenv("COURTPLAN_DATABASE_URL", target.database_url)
        assert main(["restore", str(out)]) == 0, capsys.readouterr().err
        assert rows(target) == original
        restored, live = everything(target, keys.admin), everything(settings, keys.admin)
        assert restored["scenarios"] == live["scenarios"] and len(restored["scenarios"]) == 2
        assert sum(len(v) for v in restored["scenarios"].values()) == 3
        assert restored["runs"] == live["runs"] and len(restored["runs"]) == 3
        assert {r["status"] for r, _ in restored["runs"].values()} == {"done", "queued", "cancelled"}
        assert len(restored["audit"]) >= len(original["audit"])
        assert [a["id"] for a in restored["audit"]][-len(original["audit"]):] == sorted(
            (r[0] for r in original["audit"]), reverse=True)


def test_restore_refuses_what_is_not_a_backup_of_this_kind(settings, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURTPLAN_DATA_DIR", str(tmp_path / "data"))
    if settings.database_url:
        monkeypatch.setenv("COURTPLAN_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("COURTPLAN_DATABASE_URL", raising=False)
    junk = tmp_path / "junk"
    junk.write_bytes(b"not a backup at all")
    assert main(["restore", str(junk)]) == 2
    assert "not a courtplan backup" in capsys.readouterr().err
    other = tmp_path / "other"
    other.write_bytes(b"PGDMP" if not settings.database_url else b"SQLite format 3\x00" + b"\x00" * 100)
    assert main(["restore", str(other)]) == 2
    assert "backup; this service uses" in capsys.readouterr().err


@pytest.fixture(autouse=True)
def _quiet_alembic(caplog):
    caplog.set_level("WARNING", logger="alembic")
