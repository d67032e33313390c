"""`courtplan serve --help` names where data lives; `courtplan keys` creates, lists and revokes."""

from __future__ import annotations

import re

import pytest

from optimizer.cli import main


def test_serve_help_names_the_data_settings(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "COURTPLAN_DATA_DIR" in out and "COURTPLAN_DATABASE_URL" in out and "--workers" in out


def test_keys_create_list_revoke(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COURTPLAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("COURTPLAN_DATABASE_URL", raising=False)
    assert main(["keys", "create", "--court", "C331100", "--admin", "--label", "运维"]) == 0
    out = capsys.readouterr().out
    key_id = re.search(r"密钥 (\w+)", out).group(1)
    token = re.search(r"(cp_\w+_[\w-]+)", out).group(1)
    assert main(["keys", "list"]) == 0
    listed = capsys.readouterr().out
    assert key_id in listed and "C331100" in listed and token not in listed
    assert main(["keys", "revoke", key_id]) == 0
    assert main(["keys", "revoke", "nope"]) == 2
    assert "no key nope" in capsys.readouterr().err


def test_serve_refuses_a_bad_number_of_http_processes(capsys):
    from optimizer.cli import main

    assert main(["serve", "--http-processes", "0"]) == 2
    assert "--http-processes" in capsys.readouterr().err
