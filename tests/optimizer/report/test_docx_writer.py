"""The .docx writer: what python-docx reads back is what was written — text (markup characters,
line breaks, tabs, characters XML forbids dropped), alignment, size, bold, highlighted
placeholders, one page per document."""

from __future__ import annotations

import io
import re

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH

from optimizer.report.docx_writer import Line
from optimizer.report.docx_writer import docx as write_docx

PLACEHOLDER = re.compile(r"(【待填：[^】]*】)")


def test_what_is_written_reads_back() -> None:
    pages = [[Line("center", 22, True, "执行裁定书"),
              Line("both", 14, False, "申请执行人：A&B <公司>\x07，地址【待填：地址】。"),
              Line("right", 14, False, "第一行\n第二行\t签"),
              Line("left", 14, False, "甲\r\n乙\r丙")],
             [Line("left", 14, False, "第二份文书")]]
    d = docx.Document(io.BytesIO(write_docx(pages, "SimSun", 14, PLACEHOLDER)))
    paras = d.paragraphs
    texts = [p.text for p in paras]
    assert texts[0] == "执行裁定书"
    assert texts[1] == "申请执行人：A&B <公司>，地址【待填：地址】。"
    assert texts[2] == "第一行\n第二行\t签"
    assert texts[3] == "甲\n乙\n丙"  # every kind of line break, as Word's
    assert texts[-1] == "第二份文书"
    assert paras[0].alignment == WD_ALIGN_PARAGRAPH.CENTER and paras[1].alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    title = paras[0].runs[0]
    assert title.bold and title.font.size.pt == 22
    body_runs = paras[1].runs
    assert [r.font.highlight_color is not None for r in body_runs] == [False, True, False]
    assert all(r.font.size is None for r in body_runs)  # the body size is the style's
    assert sum('w:type="page"' in p._p.xml for p in paras) == 1  # one break between two pages
    assert d.styles["Normal"].font.name == "SimSun" and d.styles["Normal"].font.size.pt == 14
