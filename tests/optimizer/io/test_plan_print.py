"""The plan workbook as a clerk prints it: A4 landscape, fitted to the width, the header row and the
case number on every page, nothing shown as ###, dates as dates; rendered by LibreOffice and read
back page by page."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from optimizer.data.scenario import Scenario
from optimizer.io.xlsx_out import write_plan_workbook
from optimizer.pipeline import plan_scenario
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams

#: the words every printed page of a sheet carries: its name at the top, its header row
PAGE_HEADERS = {"汇总": ("项目 item", "值 value"), "案件": ("案号", "依据", "成本合计"),
                "法院": ("法院编号", "受托事项"), "人员调配": ("借出法院", "人数"),
                "预测": ("法院编号", "速率来源"), "执转破": ("结论", "受理法院")}
MAX_PAGES = 160  # 1,500 cases with their reasons and basis (336 pages before), and the projection


@pytest.fixture(scope="module")
def lishui_plan(lishui: Scenario) -> Plan:
    return plan_scenario(lishui, None, SolveParams(time_limit=30.0, workers=1))


def test_every_sheet_is_set_up_for_a4_landscape(lishui: Scenario, lishui_plan: Plan, tmp_path: Path) -> None:
    write_plan_workbook(lishui_plan, tmp_path / "plan.xlsx", lishui)
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape"), ws.title  # 9: A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$1", ws.title
        assert all(ws.column_dimensions[c].width for c in "ABC"), ws.title
    cases, summary = wb["案件"], wb["汇总"]
    assert cases.print_title_cols == "$A:$A" and cases.freeze_panes == "B2" and cases.auto_filter.ref
    assert not summary.auto_filter.ref  # a summary is read, not filtered
    assert isinstance(summary["B3"].value, dt.datetime) and summary["B3"].number_format == "yyyy-mm-dd"
    headers = [c.value for c in cases[1]]
    filed = cases.cell(2, headers.index("立案日期") + 1)
    assert isinstance(filed.value, dt.datetime) and filed.number_format == "yyyy-mm-dd"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        why = f"{name} is not installed (make system-deps: LibreOffice and poppler-utils)"
        if os.environ.get("COURTPLAN_REQUIRE_LIBREOFFICE") == "1":  # set by .ci/run
            pytest.fail(why)
        pytest.skip(why)
    return found


def test_printed_pages_carry_their_header_and_every_case(lishui: Scenario, lishui_plan: Plan,
                                                         tmp_path: Path) -> None:
    office, pdftotext = _tool("soffice"), _tool("pdftotext")
    write_plan_workbook(lishui_plan, tmp_path / "plan.xlsx", lishui)
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "plan.xlsx")],
                   check=True, capture_output=True, timeout=300)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "plan.pdf"), "-"], check=True,
                          capture_output=True, timeout=120).stdout.decode("utf-8")
    pages = text.split("\f")[:-1]  # pdftotext ends every page with a form feed
    assert 4 <= len(pages) <= MAX_PAGES, len(pages)
    seen = {name: 0 for name in PAGE_HEADERS}
    for number, page in enumerate(pages, start=1):
        sheet = page.strip().splitlines()[0].strip()
        assert sheet in PAGE_HEADERS, (number, page[:200])
        seen[sheet] += 1
        for word in PAGE_HEADERS[sheet]:
            assert word in page, (number, sheet, word)
        assert f"第 {number} 页 共 {len(pages)} 页" in page
        if sheet == "案件":  # the case number printed on the page, not only on the first
            assert re.search(r"（20\d\d）浙\d+执\d+号", page), number
    assert all(seen.values()), seen
    assert "###" not in text  # no value too wide for its column
    missing = [c.case_id for c in lishui_plan.cases if c.case_id not in text]
    assert not missing, missing[:5]
