"""The audit log (审计日志) on SQLite and PostgreSQL: the CLI's `keys create` and `keys revoke` are
recorded (by `cli:<user>`, naming the key), as are the API's; cancel and requeue entries carry
the content hash of the scenario version the run plans."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.settings import Settings
from optimizer.cli import main
from tests.api.conftest import Keys, auth, store


def _audit(client: TestClient, keys: Keys) -> list[dict[str, Any]]:
    r = client.get("/audit?limit=500", headers=auth(keys.admin))
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


def test_the_cli_key_commands_are_audited(client: TestClient, keys: Keys, settings: Settings,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COURTPLAN_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("COURTPLAN_DATABASE_URL", settings.database_url)
    else:
        monkeypatch.delenv("COURTPLAN_DATABASE_URL", raising=False)
    assert main(["keys", "create", "--court", "M", "--label", "运维"]) == 0  # (the admin reads its court)
    key_id = re.search(r"密钥 (\w+)", capsys.readouterr().out).group(1)  # type: ignore[union-attr]
    assert main(["keys", "revoke", key_id]) == 0
    assert main(["keys", "revoke", key_id]) == 0  # again: nothing changes, nothing more recorded
    by_cli = [(a["action"], a["subject"]) for a in _audit(client, keys) if a["key_id"].startswith("cli:")]
    assert by_cli == [("key.revoke", key_id), ("key.create", key_id)], by_cli  # newest first


def test_the_api_key_actions_name_the_key(client: TestClient, keys: Keys) -> None:
    made = client.post("/keys", json={"court": "M", "label": "值班"}, headers=auth(keys.admin))
    assert made.status_code == 201, made.text
    assert client.post(f"/keys/{made.json()['id']}/revoke", headers=auth(keys.admin)).status_code == 200
    entries = [(a["action"], a["subject"]) for a in _audit(client, keys) if a["action"].startswith("key.")]
    assert entries[:2] == [("key.revoke", made.json()["id"]), ("key.create", made.json()["id"])], entries


def test_cancel_and_requeue_entries_carry_the_content_hash(client: TestClient, keys: Keys) -> None:
    stored = store(client, keys.m)
    run_id = client.post(f"/scenarios/{stored['id']}/runs", json={}, headers=auth(keys.m)).json()["id"]
    assert client.post(f"/runs/{run_id}/cancel", headers=auth(keys.m)).status_code == 202
    assert client.post(f"/runs/{run_id}/requeue", headers=auth(keys.m)).status_code == 202
    entries = {a["action"]: a for a in _audit(client, keys) if a["run_id"] == run_id}
    assert set(entries) == {"run.create", "run.cancel", "run.requeue"}, entries
    for action, entry in entries.items():
        assert entry["content_hash"] == stored["content_hash"], (action, entry)
        assert entry["scenario_id"] == stored["id"]
