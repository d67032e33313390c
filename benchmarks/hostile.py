"""Hostile inputs, made on the fly: workbooks that cost far more to read than their size says,
workbook XML with entities, JSON with a million empty records. `benchmarks/bounded.py` sends
the full-size ones to a running service and measures it; the tests use small ones against
lowered limits.

Each workbook is a minimal, valid .xlsx skeleton written directly as a zip (no spreadsheet
library: building a million rows with one would take minutes), its sheet named 案件.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/>
</Types>"""
_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_OD}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="案件" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_OD}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_OD}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '{dimension}<sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def _chunks(head: str, rows: Iterator[str], tail: str) -> Iterator[bytes]:
    yield head.encode()
    batch: list[str] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 10_000:
            yield "".join(batch).encode()
            batch = []
    yield ("".join(batch) + tail).encode()


def workbook(sheet: Iterator[bytes], shared: Iterator[bytes] | None = None) -> bytes:
    """An .xlsx from the sheet's XML (and the shared strings' XML), each streamed into the zip."""
    shared = shared or iter([b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                             b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                             b"<si><t>x</t></si></sst>"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, text in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("xl/workbook.xml", _WORKBOOK), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)):
            z.writestr(name, text)
        for name, parts in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)):
            with z.open(name, "w", force_zip64=True) as f:
                for part in parts:
                    f.write(part)
    return buffer.getvalue()


def _sheet(rows: Iterator[str], dimension: str = "", prolog: str = "") -> Iterator[bytes]:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return _chunks(_SHEET_HEAD.format(prolog=prolog, dimension=dim), rows, _SHEET_TAIL)


def many_rows(rows: int, dimension: str = "") -> bytes:
    """A 案件 sheet: the header row the reader looks for, then `rows` rows of four cells each
    (1,048,576 rows pack into about 11 MB). `dimension` (e.g. "A1:XFD1048576") declares the
    sheet that wide, which makes the reader pad every row to it."""
    header = "".join(f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
                     for col, text in zip("ABCD", ("案号", "执行法院", "立案日期", "执行标的"), strict=True))
    lines = (f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}" t="s"><v>0</v></c>'
             f'<c r="C{i}"><v>45000</v></c><c r="D{i}"><v>{i % 997}</v></c></row>' for i in range(2, rows + 1))
    return workbook(_sheet(_prepend(f'<row r="1">{header}</row>', lines), dimension=dimension))


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def many_shared_strings(count: int) -> bytes:
    """A sheet of one cell and `count` distinct-looking shared strings that compress to almost
    nothing (3,000,000 of them: about 150 KB)."""
    head = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main" count="{count}" uniqueCount="{count}">')
    strings = ("<si><t>x</t></si>" for _ in range(count))
    return workbook(_sheet(iter(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'])),
                    _chunks(head, strings, "</sst>"))


def zip_bomb(megabytes: int) -> bytes:
    """A sheet padded with `megabytes` MB of whitespace inside one cell's text: deflate packs it
    about a thousand to one."""
    pad = " " * (1 << 20)
    cell = '<row r="1"><c r="A1" t="inlineStr"><is><t>'
    return workbook(_chunks(_SHEET_HEAD.format(prolog="", dimension="") + cell, (pad for _ in range(megabytes)),
                            "</t></is></c></row>" + _SHEET_TAIL))


def external_entity(target: str = "file:///etc/passwd") -> bytes:
    """A sheet whose cell text is an external entity (XXE): the reader must not fetch it."""
    prolog = f'<!DOCTYPE worksheet [<!ENTITY leak SYSTEM "{target}">]>'
    cell = iter(['<row r="1"><c r="A1" t="inlineStr"><is><t>&leak;</t></is></c></row>'])
    return workbook(_sheet(cell, prolog=prolog))


def entity_expansion(levels: int = 9) -> bytes:
    """"Billion laughs": each entity ten of the one before, a few hundred bytes in all."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)]
    prolog = f"<!DOCTYPE worksheet [{''.join(entities)}]>"
    cell = iter([f'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol{levels};</t></is></c></row>'])
    return workbook(_sheet(cell, prolog=prolog))


def empty_places(count: int) -> bytes:
    """A scenario body of `count` empty place objects: `{"places": [{}, {}, …]}`."""
    return b'{"format_version": 1, "places": [' + b",".join([b"{}"] * count) + b"]}"
