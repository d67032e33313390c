"""Scenario and plan files on disk; every write is whole or nothing (temp file + rename)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from optimizer.io.files import write_atomic

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class Store:
    def __init__(self, root: Path):
        self.root = root
        (root / "scenarios").mkdir(parents=True, exist_ok=True)
        (root / "plans").mkdir(parents=True, exist_ok=True)

    @staticmethod
    def valid_id(sid: str) -> bool:
        return bool(_ID.match(sid))

    def new_id(self) -> str:
        return uuid.uuid4().hex[:12]

    def scenario_path(self, sid: str) -> Path:
        return self.root / "scenarios" / f"{sid}.json"

    def plan_path(self, sid: str) -> Path:
        return self.root / "plans" / f"{sid}.json"

    def put_scenario(self, sid: str, text: str) -> None:
        write_atomic(self.scenario_path(sid), text)

    def put_plan(self, sid: str, text: str) -> None:
        write_atomic(self.plan_path(sid), text)

    def scenario_ids(self) -> list[str]:
        return sorted(p.stem for p in (self.root / "scenarios").glob("*.json"))
