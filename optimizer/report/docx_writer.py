"""A .docx of simple paragraphs, written straight as WordprocessingML (Office Open XML).

The drafts of a Lishui plan are ~900 documents; python-docx's object model takes ~40 ms for
each (parsing its template, building the XML tree node by node, deflating ~800 KB of styles
again), 30 s for the zip the dashboard downloads. Here the package — styles (宋体 as the body
face), settings, fonts, relationships — is made once with python-docx and kept compressed;
each document appends only its own `word/document.xml`, built as text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

_DOCUMENT = "word/document.xml"
#: characters XML 1.0 does not allow (a party name pasted from elsewhere may hold them)
_LINE_BREAK = re.compile("\r\n|\r|\n")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Line:
    """One paragraph: alignment (left / center / right / both), size in points, bold, text.
    Parts of the text matching `highlight` are highlighted yellow (the placeholders to fill)."""

    align: str
    size: float
    bold: bool
    text: str


@dataclass(frozen=True)
class _Package:
    parts: bytes  # the zip of every part but word/document.xml
    head: str  # word/document.xml up to the body's content
    tail: str  # from the section properties to the end


@cache
def _package(font: str, body_size: float) -> _Package:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = font, Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    saved = io.BytesIO()
    doc.save(saved)
    parts = io.BytesIO()
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(parts, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != _DOCUMENT:
                dst.writestr(info.filename, src.read(info.filename))
        document = src.read(_DOCUMENT).decode("utf-8")
    body = document.index("<w:body>") + len("<w:body>")
    return _Package(parts.getvalue(), document[:body], document[document.index("<w:sectPr", body):])


def _text(piece: str) -> str:
    """A run's text: line breaks and tabs as Word's own elements."""
    out = []
    for k, line in enumerate(_LINE_BREAK.split(_NOT_XML.sub("", piece))):
        if k:
            out.append("<w:br/>")
        out.append("<w:tab/>".join(f'<w:t xml:space="preserve">{escape(t)}</w:t>'
                                   for t in line.split("\t")))
    return "".join(out)


def _paragraph(line: Line, body_size: float, highlight: re.Pattern[str]) -> str:
    runs = []
    for piece in highlight.split(line.text):
        if not piece:
            continue
        props = ("<w:b/>" if line.bold else "") + (
            f'<w:sz w:val="{round(line.size * 2)}"/>' if line.size != body_size else "") + (
            '<w:highlight w:val="yellow"/>' if highlight.fullmatch(piece) else "")
        runs.append(f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{_text(piece)}</w:r>")
    return f'<w:p><w:pPr><w:jc w:val="{line.align}"/></w:pPr>{"".join(runs)}</w:p>'


_PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def docx(pages: list[list[Line]], font: str, body_size: float,
         highlight: re.Pattern[str]) -> bytes:
    """The pages (each a list of lines, each page after the first on a new page) as a .docx."""
    pkg = _package(font, body_size)
    body = _PAGE_BREAK.join("".join(_paragraph(line, body_size, highlight) for line in page)
                            for page in pages)
    out = io.BytesIO(pkg.parts)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(_DOCUMENT, pkg.head + body + pkg.tail)
    return out.getvalue()
