"""Reading scenario and plan files: the I/O edge. Every defect becomes a `Defect`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from optimizer.data.scenario import FORMAT_VERSION, Scenario
from optimizer.data.validate import Defect, ScenarioError, check_scenario

MAX_FILE_BYTES = 1 << 30  # 1 GiB: a national scenario (300,000 cases) is about 200 MB
_MAX_LISTED = 1000
_COLLECTIONS = ("places", "courts", "cases")


def read_scenario(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Scenario:
    """Load and validate a scenario file; raises `ScenarioError` listing every defect."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise ScenarioError([Defect(str(p), None, f"cannot read file: {e.strerror}")]) from None
    if size > max_bytes:
        raise ScenarioError([Defect(
            str(p), None, f"file is {size:,} bytes, above the limit of {max_bytes:,} bytes",
        )])
    return parse_scenario(p.read_bytes(), source=str(p))


def decode_json(data: bytes, what: str = "file") -> Any:
    """UTF-8 JSON text → Python value, with readable errors."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScenarioError([Defect(
            what, None, f"not UTF-8 text: invalid byte 0x{data[e.start]:02x} at offset {e.start}",
        )]) from None
    if not text.strip():
        raise ScenarioError([Defect(what, None, "file is empty")])
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        tail = " (the file looks truncated)" if not text.rstrip().endswith(("}", "]")) else ""
        raise ScenarioError([Defect(
            what, None, f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}{tail}",
        )]) from None


def _record_id(raw: Any, loc: tuple[int | str, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] in _COLLECTIONS and isinstance(loc[1], int):
        try:
            rid = raw[loc[0]][loc[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            return None
        return str(rid) if rid is not None else None
    return None


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def defects_from_validation(raw: Any, err: ValidationError) -> list[Defect]:
    out = []
    for e in err.errors(include_url=False)[:_MAX_LISTED]:
        loc = tuple(e["loc"])
        msg = e["msg"]
        if e["type"] not in ("missing", "extra_forbidden") and "input" in e:
            shown = repr(e["input"])
            if len(shown) <= 60:
                msg = f"{msg} (got {shown})"
        if e["type"] == "extra_forbidden":
            msg = "unknown field"
        elif loc and loc[-1] in ("lon", "lat") and e["type"] in (
                "less_than_equal", "greater_than_equal"):
            name = "longitude" if loc[-1] == "lon" else "latitude"
            span = "73–135.5" if loc[-1] == "lon" else "3–53.6"
            msg = f"{name} {e['input']} is outside China ({span})"
        out.append(Defect(_path(loc), _record_id(raw, loc), msg))
    return out


def parse_scenario(data: bytes | str | dict[str, Any], source: str = "(input)") -> Scenario:
    """Bytes, text or an already decoded dict → a validated `Scenario`."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(data, bytes):
        # fast path: pydantic's own JSON parser; on any failure, redo slowly for good messages
        try:
            scenario = Scenario.model_validate_json(data.removeprefix(b"\xef\xbb\xbf"))
        except (ValidationError, ValueError):
            pass
        else:
            if scenario.format_version == FORMAT_VERSION:
                defects = check_scenario(scenario)
                if defects:
                    raise ScenarioError(defects)
                return scenario
    raw = decode_json(data, source) if isinstance(data, bytes) else data
    if not isinstance(raw, dict):
        raise ScenarioError([Defect("(root)", None, "a scenario must be a JSON object")])
    version = raw.get("format_version")
    if version != FORMAT_VERSION:
        raise ScenarioError([Defect(
            "format_version", None,
            f"unsupported format_version {version!r}; this courtplan reads {FORMAT_VERSION}",
        )])
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as e:
        raise ScenarioError(defects_from_validation(raw, e)) from None
    defects = check_scenario(scenario)
    if defects:
        raise ScenarioError(defects)
    return scenario
