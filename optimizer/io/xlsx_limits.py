"""A scenario workbook measured before it is parsed: what it would cost to read, refused by name.

An .xlsx is a zip of XML parts. Its size on disk says little: 148 KB can hold three million
shared strings, 11 MB a million rows padded to 16,384 columns, 432 KB a zip bomb of hundreds of
megabytes. So every part is decompressed as a stream (never trusting the sizes the zip claims),
and counted while it streams: bytes, rows and the highest row number, cells, cells beyond
column ZZ, shared strings; a DOCTYPE or ENTITY declaration (external entities, entity
expansion: nothing a spreadsheet needs) is refused outright. Nothing is built: the scan keeps
a few counters and the last few bytes of the previous chunk.

A defect names the limit and the value found, e.g. `workbook: 工作表 xl/worksheets/sheet1.xml
有 1,048,576 行，超过上限 300,000 (rows above the limit)`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from optimizer.data.validate import Defect, ScenarioError


@dataclass(frozen=True)
class WorkbookLimits:
    """What a scenario workbook may hold. The defaults take five times a province (Zhejiang:
    20,000 cases and 27,000 assets, 48,000 rows, 560,000 cells, 38 MB of XML; read in 11 s and
    0.4 GB); a national file belongs in scenario JSON (`courtplan generate`/`solve`)."""

    max_uncompressed_bytes: int = 256 << 20  # all parts together, as decompressed
    max_part_bytes: int = 16 << 20  # any part other than a worksheet or the shared strings
    max_parts: int = 2_000
    max_rows: int = 300_000  # per worksheet: the highest row number, and rows listed
    max_cells: int = 6_000_000  # in all worksheets, counting the padding up to the widest row
    max_columns: int = 702  # ZZ: the case system's exports use a few dozen columns
    max_shared_strings: int = 1_000_000


DEFAULT_LIMITS = WorkbookLimits()
_CHUNK = 1 << 20
_TAIL = 256  # bytes carried over between chunks so that no tag is split unseen
_ROW_NUMBER = re.compile(rb' r="(\d{6,12})"')  # cells' r="A1" start with a letter: rows only
_WIDE_CELL = re.compile(rb' r="([A-Z]{3,8})\d')  # a cell beyond column ZZ
_DIMENSION = re.compile(rb'dimension\b[^>]*?\bref="[A-Z]*\d*:?([A-Z]{0,8})(\d{0,12})"')
_PREFIXED = re.compile(rb"<[\w.-]+:(row|c|si)[\s>/]")  # tags with a namespace prefix (rare)
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def column_number(letters: bytes) -> int:
    """`A` → 1, `ZZ` → 702, `XFD` → 16,384."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


@dataclass
class _Sheet:
    rows: int = 0
    highest_row: int = 0
    cells: int = 0
    widest: int = 0  # the highest column a cell or the sheet's dimension names


class _Scan:
    def __init__(self, source: str, limits: WorkbookLimits):
        self.source = source
        self.limits = limits
        self.total = 0
        self.shared_strings = 0
        self.sheets: dict[str, _Sheet] = {}

    def refuse(self, message: str) -> ScenarioError:
        return ScenarioError([Defect(self.source, None, message)])

    def part(self, z: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        name = info.filename
        is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        is_shared = name.endswith("sharedStrings.xml")
        is_xml = name.endswith((".xml", ".rels", ".vml"))
        part_limit = None if is_sheet or is_shared else self.limits.max_part_bytes
        sheet = self.sheets.setdefault(name, _Sheet()) if is_sheet else None
        size, tail = 0, b""
        with z.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                self.total += len(chunk)
                self._bounded(name, size, part_limit)
                if is_xml:
                    text = tail + chunk
                    self._xml(name, text, len(tail), sheet, is_shared)
                    tail = text[-_TAIL:]

    def _bounded(self, name: str, size: int, part_limit: int | None) -> None:
        lim = self.limits
        if self.total > lim.max_uncompressed_bytes:
            raise self.refuse(f"解压后超过 {lim.max_uncompressed_bytes:,} 字节 (the workbook "
                              f"uncompresses to more than {lim.max_uncompressed_bytes:,} bytes: "
                              "max_uncompressed_bytes)")
        if part_limit is not None and size > part_limit:
            raise self.refuse(f"部件 {name} 解压后超过 {part_limit:,} 字节 (part {name} uncompresses "
                              f"to more than {part_limit:,} bytes: max_part_bytes)")

    def _xml(self, name: str, text: bytes, carried: int, sheet: _Sheet | None, shared: bool) -> None:
        """Count in `text` (the previous chunk's tail, `carried` bytes, then the new chunk):
        only what ends inside the new chunk, so that nothing is counted twice. Plain tags are
        counted with `bytes.count` (fast); prefixed ones (`<x:row>`) with a pattern."""
        tail = text[:carried]

        def tags(tag: bytes) -> int:
            plain = sum(text.count(b"<" + tag + end) - tail.count(b"<" + tag + end)
                        for end in (b" ", b">", b"/"))
            if b":" + tag not in text:
                return plain
            return plain + sum(1 for m in _PREFIXED.finditer(text) if m.end() > carried and m[1] == tag)

        def found(pattern: re.Pattern[bytes]) -> list[re.Match[bytes]]:
            return [m for m in pattern.finditer(text) if m.end() > carried]

        if found(_DECLARATION):
            raise self.refuse(f"部件 {name} 含 DOCTYPE/ENTITY 声明，工作簿不需要也不接受 (the part "
                              "declares a DOCTYPE or an entity: external entities and entity "
                              "expansion are refused)")
        if shared:
            self.shared_strings += tags(b"si")
            self._counts(name, None)
        if sheet is None:
            return
        sheet.rows += tags(b"row")
        sheet.cells += tags(b"c")
        for m in found(_ROW_NUMBER):
            sheet.highest_row = max(sheet.highest_row, int(m[1]))
        for m in found(_WIDE_CELL):
            sheet.widest = max(sheet.widest, column_number(m[1]))
        for m in found(_DIMENSION):
            sheet.widest = max(sheet.widest, column_number(m[1]))
            sheet.highest_row = max(sheet.highest_row, int(m[2] or 0))
        self._counts(name, sheet)

    def _counts(self, name: str, sheet: _Sheet | None) -> None:
        lim = self.limits
        if self.shared_strings > lim.max_shared_strings:
            raise self.refuse(f"共享字符串超过 {lim.max_shared_strings:,} 个 (more than "
                              f"{lim.max_shared_strings:,} shared strings: max_shared_strings)")
        if sheet is None:
            return
        rows = max(sheet.rows, sheet.highest_row)
        if rows > lim.max_rows:
            raise self.refuse(f"工作表 {name} 至少有 {rows:,} 行，超过上限 {lim.max_rows:,} (at least "
                              f"{rows:,} rows, above the limit of {lim.max_rows:,}: max_rows)")
        if sheet.widest > lim.max_columns:
            raise self.refuse(f"工作表 {name} 用到第 {sheet.widest:,} 列，超过上限 {lim.max_columns:,} "
                              f"(column {sheet.widest:,}, above the limit of {lim.max_columns:,}: max_columns)")
        cells = sum(max(s.cells, max(s.rows, s.highest_row) * s.widest) for s in self.sheets.values())
        if cells > lim.max_cells:
            raise self.refuse(f"单元格（含补齐）超过 {lim.max_cells:,} 个 (more than {lim.max_cells:,} "
                              "cells, padding to the widest row included: max_cells)")


def check_workbook(data: bytes, source: str = "workbook", limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    """Refuse (`ScenarioError`, naming the limit) a workbook that would cost more to read than
    `limits` allow, or that declares XML entities; return None for one that may be parsed."""
    scan = _Scan(source, limits)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = z.infolist()
            if len(parts) > limits.max_parts:
                raise scan.refuse(f"含 {len(parts):,} 个部件，超过上限 {limits.max_parts:,} (parts "
                                  "above the limit: max_parts)")
            declared = sum(info.file_size for info in parts)  # may lie low, never too high
            if declared > limits.max_uncompressed_bytes:
                raise scan.refuse(f"解压后为 {declared:,} 字节，超过上限 {limits.max_uncompressed_bytes:,} "
                                  "(the workbook uncompresses above the limit: max_uncompressed_bytes)")
            for info in parts:
                scan.part(z, info)
    except ScenarioError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, EOFError,
            RuntimeError, ValueError, OSError) as e:
        raise scan.refuse(f"不是可读的 .xlsx 工作簿 (not a readable .xlsx workbook: "
                          f"{type(e).__name__})") from None
