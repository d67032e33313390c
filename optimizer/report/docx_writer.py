"""A .docx of simple paragraphs in the form of a court document, written straight as
WordprocessingML (Office Open XML).

The page follows the printing standard of court documents (《人民法院民事裁判文书制作规范》,
法〔2016〕221号, 印刷标准: A4, a text block of 156 mm × 225 mm, 22 lines of 28 characters)
with the margins of GB/T 9704-2012 §5.2 (top 37 mm, left 28 mm; so bottom 35 mm, right 26 mm)
and a fixed line pitch of 28.95 pt (225 mm ÷ 22 lines). Fonts as that standard names them: the
court and the document name in 二号小标宋 (方正小标宋简体, 22 pt), the rest in 三号仿宋
(仿宋_GB2312, 16 pt). Where those faces are not installed, the font table names the usual
Windows faces as their alternates (宋体 for the title, 仿宋 for the text), which Word substitutes;
LibreOffice uses fontconfig's substitute.

The drafts of a Lishui plan are ~900 documents; python-docx's object model takes ~40 ms for
each, so the package (styles, settings, fonts, section) is made once with python-docx and kept
compressed; each document appends only its own `word/document.xml`, built as text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

_DOCUMENT = "word/document.xml"
_FONT_TABLE = "word/fontTable.xml"
#: characters XML 1.0 does not allow (a party name pasted from elsewhere may hold them)
_LINE_BREAK = re.compile("\r\n|\r|\n")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

PAGE_MM = (210, 297)  # A4
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}  # GB/T 9704-2012 §5.2
LINE_PITCH_PT = 28.95  # 22 lines in the 225 mm text block
BODY_FONT, BODY_SIZE = "仿宋_GB2312", 16  # 三号仿宋
TITLE_FONT, TITLE_SIZE = "方正小标宋简体", 22  # 二号小标宋
#: the face Word takes where a named one is not installed (fontTable altName)
FALLBACK = {BODY_FONT: "仿宋", TITLE_FONT: "宋体"}


@dataclass(frozen=True)
class Line:
    """One paragraph: alignment (left / center / right / both), size in points, bold, text, and
    the font face when it is not the body's. Parts of the text matching `highlight` are
    highlighted yellow (the placeholders to fill)."""

    align: str
    size: float
    bold: bool
    text: str
    font: str | None = None


@dataclass(frozen=True)
class _Package:
    parts: bytes  # the zip of every part but word/document.xml
    head: str  # word/document.xml up to the body's content
    tail: str  # from the section properties to the end


def _font_entry(name: str, alternate: str) -> str:
    return (f"<w:font w:name={quoteattr(name)}><w:altName w:val={quoteattr(alternate)}/>"
            '<w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>')


def _font_table(xml: str) -> str:
    """The font table with the court faces and their alternates."""
    entries = "".join(_font_entry(name, alt) for name, alt in FALLBACK.items())
    return xml.replace("</w:fonts>", entries + "</w:fonts>")


def _document(font: str, body_size: float) -> bytes:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = font, Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    spacing = normal.paragraph_format
    spacing.line_spacing_rule, spacing.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PITCH_PT)
    spacing.space_before, spacing.space_after = Pt(0), Pt(0)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    saved = io.BytesIO()
    doc.save(saved)
    return saved.getvalue()


@cache
def _package(font: str, body_size: float) -> _Package:
    parts = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_document(font, body_size))) as src, \
            zipfile.ZipFile(parts, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == _FONT_TABLE:
                dst.writestr(info.filename, _font_table(src.read(info.filename).decode("utf-8")))
            elif info.filename != _DOCUMENT:
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
    face = "" if line.font is None else "<w:rFonts w:ascii={0} w:hAnsi={0} w:eastAsia={0}/>".format(
        quoteattr(line.font))
    for piece in highlight.split(line.text):
        if not piece:
            continue
        props = face + ("<w:b/>" if line.bold else "") + (
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
