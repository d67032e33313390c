"""How many records a scenario's JSON text holds, counted before anything is built from it.

Validation keeps every error it finds: a body of a million empty `{}` places is four million
"field required" errors, 4 GB and half a minute, before the first message can be shown. So the
top-level arrays are counted first, on the raw bytes with numpy (structural characters outside
strings, their depth), and a scenario with more records than any real district has is refused
at once, naming the array and the limit.

The count costs a few seconds on a national file (184 MB), so it runs only where it can matter:
text dense in elements (under `DENSE_BYTES` bytes per comma: empty or nearly empty records; real
scenarios have 23–31) and above `SMALL_BYTES`. What it lets through unscanned still parses; the
service parses large bodies in a memory-bounded child process as well (api/offload.py).
"""

from __future__ import annotations

import json

import numpy as np

from optimizer.data.validate import Defect, ScenarioError

#: the most records of each kind a scenario may hold: China has about 3,500 courts and 2,900
#: county-level places; the national scenario has 300,000 cases
MAX_RECORDS = {"places": 20_000, "courts": 10_000, "cases": 1_000_000}
_QUOTE, _BACKSLASH = 34, 92
_COMMA, _COLON = 44, 58
DENSE_BYTES = 16
SMALL_BYTES = 64 << 10
_STRUCTURAL = np.zeros(256, dtype=bool)
_STRUCTURAL[[91, 93, 123, 125, _COMMA, _COLON]] = True
_STEP = np.zeros(256, dtype=np.int8)
_STEP[[91, 123]], _STEP[[93, 125]] = 1, -1


def _real_quotes(a: np.ndarray) -> np.ndarray:
    """Positions of the quotes that open or close strings (not those escaped by an odd run of
    backslashes)."""
    quotes = np.flatnonzero(a == _QUOTE)
    slashes = np.flatnonzero(a == _BACKSLASH)
    if not len(slashes) or not len(quotes):
        return quotes
    run_start = np.ones(len(slashes), dtype=bool)
    run_start[1:] = slashes[1:] != slashes[:-1] + 1
    first = np.maximum.accumulate(np.where(run_start, np.arange(len(slashes)), 0))
    before = np.searchsorted(slashes, quotes) - 1  # the last backslash before each quote
    ok = before >= 0
    adjacent = np.zeros(len(quotes), dtype=bool)
    adjacent[ok] = slashes[before[ok]] == quotes[ok] - 1
    run = np.zeros(len(quotes), dtype=np.int64)
    run[adjacent] = before[adjacent] - first[before[adjacent]] + 1
    return quotes[run % 2 == 0]


def top_level_counts(data: bytes) -> dict[str, int]:
    """Items of each top-level array of the JSON object `data`, by key; {} when the text is not
    a well-formed object (the parser then says what is wrong)."""
    a = np.frombuffer(data, dtype=np.uint8)
    quotes = _real_quotes(a)
    if len(quotes) % 2:
        return {}
    marks = np.flatnonzero(_STRUCTURAL[a])
    marks = marks[np.searchsorted(quotes, marks) % 2 == 0]  # outside strings
    kinds = a[marks]
    depth = np.cumsum(_STEP[kinds], dtype=np.int32)
    counts: dict[str, int] = {}
    for i in np.flatnonzero((kinds == _COLON) & (depth == 1)):
        q = int(np.searchsorted(quotes, marks[i]))
        if q < 2 or i + 1 >= len(marks) or kinds[i + 1] != 91:
            continue
        try:
            key = str(json.loads(data[int(quotes[q - 2]):int(quotes[q - 1]) + 1]))
        except ValueError:
            continue
        after = np.flatnonzero(depth[i + 1:] == 1)
        end = i + 1 + (int(after[0]) if len(after) else len(marks) - i - 1)
        inner = slice(i + 2, end)
        commas = int(np.count_nonzero((kinds[inner] == _COMMA) & (depth[inner] == 2)))
        empty = not data[int(marks[i + 1]) + 1:int(marks[end])].strip() if end < len(marks) else False
        counts[key] = 0 if empty else commas + 1
    return counts


def check_record_counts(data: bytes, source: str = "(input)") -> None:
    """`ScenarioError` if a top-level array holds more records than `MAX_RECORDS` allows."""
    if len(data) <= SMALL_BYTES or len(data) >= DENSE_BYTES * data.count(b","):
        return
    counts = top_level_counts(data)
    defects = [Defect(key, None, f"{counts[key]:,} 条记录，超过上限 {limit:,} ({counts[key]:,} records, "
                                 f"above the limit of {limit:,})")
               for key, limit in MAX_RECORDS.items() if counts.get(key, 0) > limit]
    if defects:
        raise ScenarioError(defects)
