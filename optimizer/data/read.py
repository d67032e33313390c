"""Reading scenario and plan files: the I/O edge. Every defect becomes a `Defect`.

Hostile input is refused by name, never with a traceback or a hang: a directory or device instead
of a file, a file above the size limit (read at most that much, whatever `stat` said), text that is
not UTF-8 (UTF-16 is named), JSON nested deeper than `MAX_DEPTH` levels, duplicate keys, numbers
with thousands of digits, and ids or keys with control characters (shown escaped, never raw).
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable
from operator import attrgetter
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError, create_model

from optimizer.data.case_columns import CaseSequence, case_columns, no_cyclic_gc
from optimizer.data.case_rows import CASE_ROWS, CaseCollector
from optimizer.data.counts import check_record_counts
from optimizer.data.scenario import FORMAT_VERSION, NO_CONTROL, Scenario
from optimizer.data.validate import Defect, ScenarioError, check_scenario

MAX_FILE_BYTES = 1 << 30  # 1 GiB: a national scenario (300,000 cases) is about 200 MB
MAX_DEPTH = 64  # a scenario needs 5 levels (root → cases → case → assets → asset)
_MAX_LISTED = 1000
_COLLECTIONS = ("places", "courts", "cases")
_CHUNK = 1 << 24
_BOM = b"\xef\xbb\xbf"
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")  # and lone surrogates
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_FIELDS_SET = attrgetter("__pydantic_fields_set__")


def _cannot_read(p: Path, why: str) -> ScenarioError:
    return ScenarioError([Defect(str(p), None, why)])


def _too_big(p: Path, size: int | str, max_bytes: int) -> ScenarioError:
    shown = f"{size:,}" if isinstance(size, int) else size
    return _cannot_read(p, f"file is {shown} bytes, above the limit of {max_bytes:,} bytes")


def read_bytes_bounded(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file (or a pipe), at most `max_bytes` of them, or a `ScenarioError`.

    Directories, devices (/dev/zero would never end) and sockets are refused. The size is checked
    before reading and again while reading: `stat` may be stale, and a pipe has no size.
    """
    p = Path(path)
    try:
        st = os.stat(p)
    except OSError as e:
        raise _cannot_read(p, f"cannot read file: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise _cannot_read(p, "is a directory, not a scenario file")
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise _cannot_read(p, "is not a regular file (a device or socket)")
    if st.st_size > max_bytes:
        raise _too_big(p, st.st_size, max_bytes)
    chunks: list[bytes] = []
    total = 0
    try:
        with open(p, "rb") as f:
            want = min(st.st_size, max_bytes) + 1  # one read for a regular file, +1 to see growth
            while True:
                chunk = f.read(min(want, max_bytes + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > max_bytes:
                    raise _too_big(p, f"more than {max_bytes:,}", max_bytes)
                want = _CHUNK
    except OSError as e:
        raise _cannot_read(p, f"cannot read file: {e.strerror or e}") from None
    return b"".join(chunks)


def read_scenario(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> Scenario:
    """Load and validate a scenario file; raises `ScenarioError` listing every defect."""
    p = Path(path)
    return parse_scenario(read_bytes_bounded(p, max_bytes), source=str(p))


def shown(x: Any, limit: int = 60) -> str:
    """`x` for a message: short, one line, control characters escaped (repr)."""
    if isinstance(x, str):
        if len(x) <= limit and not _CONTROL.search(x):
            return x
        return repr(x[:limit]) + ("…" if len(x) > limit else "")
    if isinstance(x, bool) or x is None or isinstance(x, float):
        return repr(x)
    if isinstance(x, int):
        return repr(x) if x.bit_length() <= 200 else f"a {x.bit_length() * 0.30103:.0f}-digit number"
    return f"a JSON {'object' if isinstance(x, dict) else 'array'}" if isinstance(
        x, dict | list | tuple) else type(x).__name__


def nesting_depth(data: bytes) -> int:
    """How deep arrays and objects nest in JSON text (brackets inside strings do not count)."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKET)
    if not brackets:
        return 0
    a = np.frombuffer(brackets, dtype=np.uint8)
    steps = np.where((a == ord("[")) | (a == ord("{")), 1, -1).astype(np.int32)
    return int(np.cumsum(steps).max())


def _too_deep(raw: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether decoded JSON nests deeper than `limit` (iterative: no recursion, cycles end)."""
    stack = [(raw, 1)]
    while stack:
        x, depth = stack.pop()
        if depth > limit:
            return True
        children = x.values() if isinstance(x, dict) else x
        stack.extend((v, depth + 1) for v in children if isinstance(v, dict | list | tuple))
    return False


def _deep_defect(what: str) -> ScenarioError:
    return ScenarioError([Defect(what, None, f"JSON nested deeper than {MAX_DEPTH} levels "
                                             "(a scenario needs 5)")])


class _DuplicateKey(ValueError):
    def __init__(self, key: str, record: Any):
        super().__init__(key)
        self.key = key
        self.record = record


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _DuplicateKey(key, out.get("id"))
    return out


def _check_unique_keys(pairs: list[tuple[str, Any]]) -> None:
    if len(pairs) > 1 and len({k for k, _ in pairs}) != len(pairs):
        _unique_keys(pairs)


def _fields_given(models: Iterable[BaseModel]) -> int:
    return sum(map(len, map(_FIELDS_SET, models)))


def _surely_unique_keys(data: bytes, s: Scenario) -> bool:
    """Whether no object of the JSON text `data` (which validated into `s`) repeats a key,
    judged without parsing again (`json.loads` with a hook on every object costs seconds).

    Each object's distinct keys are the fields it set (unknown keys are refused), so their sum
    is the number of key/value pairs, less one per repeated key. In a text where every colon
    directly follows a quote, every colon ends a key, or is inside a string after an escaped
    quote (`\\":`): the colons are the pairs plus those. So the colons equal the fields given
    exactly when no key repeats and no string holds such a colon. False means "not sure" (a
    repeated key, or a colon inside a string or after a space): `json.loads` must look."""
    colons = data.count(b":")
    if data.count(b'":') != colons:
        return False
    given = (_fields_given((s, s.period, s.weights, s.rules)) + _fields_given(s.places)
             + _fields_given(s.courts) + case_columns(s).fields_given()
             + _outcome_fields_given(s))
    return colons == given


def _outcome_fields_given(s: Scenario) -> int:
    """Fields given in the debtors, 终本库 and history blocks (docs/outcomes.md)."""
    consents = [d.consent for d in s.debtors if d.consent is not None]
    return (_fields_given(s.debtors) + _fields_given(consents) + _fields_given(s.terminated)
            + sum(_fields_given(t.cases) for t in s.terminated) + _fields_given(s.history)
            + sum(_fields_given(h.months) for h in s.history))


def _duplicate_defect(what: str, e: _DuplicateKey) -> ScenarioError:
    rid = e.record if isinstance(e.record, str | int) and not isinstance(e.record, bool) else None
    return ScenarioError([Defect(
        what, shown(rid) if rid is not None else None,
        f"not valid JSON: duplicate key '{shown(e.key)}' in one object (which value is meant?)",
    )])


def decode_json(data: bytes, what: str = "file") -> Any:
    """UTF-8 JSON text → Python value, with readable errors."""
    data = data.removeprefix(_BOM)
    encoding = json.detect_encoding(data[:4]) if data else "utf-8"
    if encoding not in ("utf-8", "utf-8-sig"):
        raise ScenarioError([Defect(
            what, None, f"the file is {encoding.upper()} text, not UTF-8; save it as UTF-8",
        )])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ScenarioError([Defect(
            what, None, f"not UTF-8 text: invalid byte 0x{data[e.start]:02x} at offset {e.start}",
        )]) from None
    if not text.strip():
        raise ScenarioError([Defect(what, None, "file is empty")])
    if nesting_depth(data) > MAX_DEPTH:
        raise _deep_defect(what)
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as e:
        tail = " (the file looks truncated)" if not text.rstrip().endswith(("}", "]")) else ""
        raise ScenarioError([Defect(
            what, None, f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}{tail}",
        )]) from None
    except _DuplicateKey as e:
        raise _duplicate_defect(what, e) from None
    except RecursionError:  # not expected below MAX_DEPTH; a safety net all the same
        raise _deep_defect(what) from None
    except ValueError as e:  # an integer of more than 4,300 digits
        why = "a number has too many digits" if "digits" in str(e) else str(e)
        raise ScenarioError([Defect(what, None, f"not valid JSON: {why}")]) from None


def _record_id(raw: Any, loc: tuple[int | str, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] in _COLLECTIONS and isinstance(loc[1], int):
        try:
            rid = raw[loc[0]][loc[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            return None
        return shown(rid) if isinstance(rid, str | int | float) else None
    return None


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if _PLAIN_KEY.match(part) else shown(part, 40)
            out += f".{name}" if out else name
    return out or "(root)"


#: strict JSON: a number or true/false written as text is refused, not converted (a cell's
#: "30" may be a typo for 3 or 300; the planner says which)
_WANTS_UNQUOTED = {"int_type": "a whole number is required", "float_type": "a number is required",
                   "bool_type": "true or false is required"}


def defects_from_validation(raw: Any, err: ValidationError) -> list[Defect]:
    out = []
    for e in err.errors(include_url=False)[:_MAX_LISTED]:
        loc = tuple(e["loc"])
        msg = e["msg"]
        value = e.get("input")
        if e["type"] == "string_pattern_mismatch" and e.get("ctx", {}).get("pattern") == NO_CONTROL:
            msg = "contains a control character (newline, tab, NUL, escape…), not allowed here"
        elif e["type"] in _WANTS_UNQUOTED and isinstance(value, str):
            quoted = json.dumps(value, ensure_ascii=False)[:42]
            msg = f'{_WANTS_UNQUOTED[e["type"]]}, not the text {quoted}: write it without quotes'
        elif (e["type"] not in ("missing", "extra_forbidden", "string_too_long") and "input" in e
              and (value is None or isinstance(value, bool | int | float | str))):
            msg = f"{msg} (got {shown(value, 40)})"
        if e["type"] == "extra_forbidden":
            msg = "unknown field"
        elif loc and loc[-1] in ("lon", "lat") and e["type"] in (
                "less_than_equal", "greater_than_equal"):
            name = "longitude" if loc[-1] == "lon" else "latitude"
            span = "73–135.5" if loc[-1] == "lon" else "3–53.6"
            msg = f"{name} {shown(value)} is outside China ({span})"
        out.append(Defect(_path(loc), _record_id(raw, loc), msg))
    return out


def _checked(scenario: Scenario) -> Scenario:
    defects = check_scenario(scenario)
    if defects:
        raise ScenarioError(defects)
    return scenario


#: the scenario format with its case records validated straight into columns (`CASE_ROWS`):
#: the same fields and constraints, no pydantic record per case
_ScenarioOfColumns = create_model("_ScenarioOfColumns", __base__=Scenario, __module__=__name__,
                                  cases=(CASE_ROWS, ...))


def _validated_as_columns(data: bytes) -> Scenario:
    """A scenario from JSON text whose cases are columns (`CaseSequence`); raises
    `ValidationError` (or `ValueError` for JSON that does not parse) like the model would."""
    collector = CaseCollector()
    s = _ScenarioOfColumns.model_validate_json(data, strict=True, context=collector)
    fields = dict(s)
    fields["cases"] = CaseSequence(collector.columns())
    return Scenario.model_construct(set(s.model_fields_set), **fields)


def parse_scenario(data: bytes | str | dict[str, Any], source: str = "(input)") -> Scenario:
    """Bytes, text or an already decoded dict → a validated `Scenario`."""
    with no_cyclic_gc():
        return _parse_scenario(data, source)


def _parse_scenario(data: bytes | str | dict[str, Any], source: str) -> Scenario:
    if isinstance(data, str):
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError as e:
            raise ScenarioError([Defect(source, None, f"not valid text: a lone surrogate at "
                                                      f"character {e.start}")]) from None
    if isinstance(data, bytes):
        data = data.removeprefix(_BOM)
        check_record_counts(data, source)  # a million empty records: refused before parsing
        # fast path: pydantic's own JSON parser (it stops at 200 levels of nesting); on any
        # failure, redo slowly for good messages. json.loads still looks for duplicate keys.
        try:  # strict: "officers": "30" is a text, not a number (JSON has both; we say which)
            scenario = _validated_as_columns(data)
        except (ValidationError, ValueError):
            pass
        else:
            if not _surely_unique_keys(data, scenario):
                try:
                    json.loads(data, object_pairs_hook=_check_unique_keys)
                except _DuplicateKey as e:
                    raise _duplicate_defect(source, e) from None
            return _checked(scenario)
        raw = decode_json(data, source)
        from_json = True
    else:
        raw, from_json = data, False
        if _too_deep(raw):
            raise _deep_defect(source)
    if not isinstance(raw, dict):
        raise ScenarioError([Defect("(root)", None, "a scenario must be a JSON object")])
    version = raw.get("format_version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise ScenarioError([Defect(
            "format_version", None,
            f"unsupported format_version {shown(version)}; this courtplan reads {FORMAT_VERSION}",
        )])
    try:
        if from_json:  # the same strict JSON rules as the fast path, now for the messages
            scenario = Scenario.model_validate_json(json.dumps(raw, ensure_ascii=False), strict=True)
        else:
            scenario = Scenario.model_validate(raw)
    except ValidationError as e:
        raise ScenarioError(defects_from_validation(raw, e)) from None
    return _checked(scenario)
