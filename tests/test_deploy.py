"""The service recipes (deploy/): systemd units that `systemd-analyze verify` accepts without a
warning, a settings file whose every name is a setting, a container recipe that copies what
exists; and the offline install: `make wheelhouse` on this machine (which reaches the package
index), then a fresh virtualenv installed from it with `pip --no-index` and no network, which
plans the demo scenario and starts the service's database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def settings_file(commented: bool) -> dict[str, str]:
    """NAME=value lines of deploy/courtplan.env (with the commented-out examples, if asked)."""
    out = {}
    for line in (DEPLOY / "courtplan.env").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if commented:
            line = line.lstrip("#").strip()
        m = re.match(r"^(COURTPLAN_[A-Z_]+)=(.*)$", line)
        if m:
            out[m[1]] = m[2]
    return out


def test_the_settings_file_names_only_real_settings_and_parses(monkeypatch):
    names = settings_file(commented=True)
    fields = {f"COURTPLAN_{name.upper()}" for name in Settings.model_fields}
    assert len(names) >= 10 and set(names) <= fields, set(names) - fields
    for name, value in settings_file(commented=False).items():  # as systemd passes them
        monkeypatch.setenv(name, value)
    parsed = Settings()
    assert parsed.access_log == "json" and parsed.max_body_bytes == 256 << 20
    assert parsed.child_memory_bytes == 6 << 30 and parsed.metrics_token is None


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify_cleanly(tmp_path):
    courtplan = Path(sys.executable).parent / "courtplan"
    for unit in ("courtplan.service", "courtplan-worker@.service"):
        text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
        assert "EnvironmentFile=/etc/courtplan/courtplan.env" in text
        text = text.replace("/opt/courtplan/bin/courtplan", str(courtplan)).replace(
            "/etc/courtplan/courtplan.env", str(DEPLOY / "courtplan.env"))
        (tmp_path / unit.replace("@.", "@1.")).write_text(text, encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", *map(str, sorted(tmp_path.iterdir()))],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_the_container_recipe_copies_what_exists():
    recipe = (DEPLOY / "container" / "Containerfile").read_text(encoding="utf-8")
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", recipe, re.M):
        for name in source.split():
            assert (ROOT / name).exists(), name
    assert "--no-index" in recipe
    compose = (DEPLOY / "container" / "compose.yaml").read_text(encoding="utf-8")
    assert "postgres:" in compose and "courtplan worker" in compose.replace('", "', " ")
    assert "env_file: ../courtplan.env" in compose


def _offline_env() -> dict[str, str]:
    """No package index can be reached: pip's and every HTTP client's traffic goes to a closed
    port on this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "COURTPLAN_"))}
    dead = "http://127.0.0.1:9"
    return {**env, "PIP_NO_INDEX": "1", "http_proxy": dead, "https_proxy": dead, "HTTP_PROXY": dead,
            "HTTPS_PROXY": dead, "no_proxy": "", "PYTHONPATH": ""}


def test_offline_install_from_the_wheelhouse_runs_the_demo(tmp_path):
    built = subprocess.run(["make", "wheelhouse"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    house = ROOT / "build" / "wheelhouse"
    assert list(house.glob("courtplan-*.whl")) and (house / "install-offline.sh").exists()
    target, env = tmp_path / "courtplan", _offline_env()
    done = subprocess.run(["sh", str(house / "install-offline.sh"), str(target)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "installed:" in done.stdout
    courtplan = target / "bin" / "courtplan"
    plan = subprocess.run([str(courtplan), "solve", str(ROOT / "scenarios" / "lishui.json"), "--quiet",
                           "--time-limit", "60", "--out", str(tmp_path / "plan.json")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert plan.returncode == 0, plan.stderr[-2000:]
    assert '"status"' in (tmp_path / "plan.json").read_text(encoding="utf-8")
    # the installed package carries its migrations: a key is created in a new database
    keys = subprocess.run([str(courtplan), "keys", "create", "--court", "C331100", "--admin"], cwd=tmp_path,
                          env={**env, "COURTPLAN_DATA_DIR": str(tmp_path / "data")},
                          capture_output=True, text=True, timeout=300)
    assert keys.returncode == 0 and "cp_" in keys.stdout, keys.stderr[-2000:]
    where = subprocess.run([str(target / "bin" / "python"), "-c", "import optimizer; print(optimizer.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert str(target) in where.stdout  # the installed copy, not this checkout
