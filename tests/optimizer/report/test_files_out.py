"""The HTML report and the document drafts of a solved plan (lishui: every decision occurs)."""

from __future__ import annotations

import dataclasses
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from optimizer.cli import main
from optimizer.data.scenario import Scenario
from optimizer.io.xlsx_out import write_plan_workbook
from optimizer.pipeline import plan_scenario
from optimizer.report.citations import citation
from optimizer.report.drafts import draft_docx, drafts_zip
from optimizer.report.html import plan_report
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams

DOCUMENT_OF = {"designate": "执行裁定书", "elevate": "执行裁定书", "supervise": "督促执行令",
               "coordinate": "协同执行调度决定书", "concentrate": "执行裁定书"}
REPR = re.compile(r"None|CasePlan\(|\(\)|\[\]|\('|\['|\{'|nan\b")


@pytest.fixture(scope="module")
def lishui_plan(lishui: Scenario) -> Plan:
    return plan_scenario(lishui, None, SolveParams(time_limit=30.0, workers=1))


def _text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_report_is_self_contained_and_names_every_court_and_case(lishui: Scenario,
                                                                 lishui_plan: Plan) -> None:
    page = plan_report(lishui_plan, lishui)
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", page), "no external resource"
    assert "@import" not in page and "url(" not in page.replace("url(#", "")
    for c in lishui_plan.courts:
        assert f">{c.name}</text>" in page, c.name  # on the map as SVG text
    for c in lishui_plan.cases:
        assert c.case_id in page
    assert "<svg" in page and "案件移送" in page and "未绘制行政区边界" in page


def test_report_script_data_cannot_close_the_script(lishui: Scenario, lishui_plan: Plan) -> None:
    hostile = dataclasses.replace(lishui_plan.cases[0], case_id="</script><script>alert(1)")
    plan = dataclasses.replace(lishui_plan, cases=(hostile, *lishui_plan.cases[1:]))
    page = plan_report(plan, lishui)
    assert "alert(1)" in page and "</script><script>alert" not in page


def test_cli_report_writes_the_page(lishui_plan: Plan, tmp_path: Path) -> None:
    plan_file, html = tmp_path / "plan.json", tmp_path / "report.html"
    plan_file.write_text(lishui_plan.to_json(), encoding="utf-8")
    assert main(["report", str(plan_file), "--scenario", "scenarios/lishui.json", "--html", str(html)]) == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _one_of_each(plan: Plan) -> dict[str, str]:
    out: dict[str, str] = {}
    for c in plan.cases:
        key = "coordinate_" + str(c.coordination) if c.mode == "coordinate" else c.mode
        out.setdefault(key, c.case_id)
    return out


def test_each_draft_type_names_the_case_and_cites_its_basis(lishui: Scenario, lishui_plan: Plan) -> None:
    chosen = _one_of_each(lishui_plan)
    assert {"designate", "elevate", "supervise", "concentrate", "coordinate_officers"} <= set(chosen)
    by_id = {c.case_id: c for c in lishui_plan.cases}
    data, count = drafts_zip(lishui_plan, lishui, [chosen[m] for m in chosen
                                                    if m not in ("keep", "internal")])
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert count == len(names)
    for mode_key, case_id in chosen.items():
        c = by_id[case_id]
        if c.mode not in DOCUMENT_OF:
            continue
        if mode_key != "coordinate_officers":  # that one's file is its lending decision's
            name = next(n for n in names if n.startswith(case_id.replace("/", "_")))
            assert name.endswith(f"_{DOCUMENT_OF[c.mode]}.docx"), (mode_key, name)
        text = _text(draft_docx(lishui_plan, lishui, case_id))
        assert case_id in text
        assert citation(c.basis.split("；事项委托")[0]) in text  # the articles, as a ruling cites them
        assert "依据：" not in text and not re.search(r"(执行程序解释|执行工作规定)第\d", text)
        assert lishui.cases[[k.id for k in lishui.cases].index(case_id)].applicant.name in text
        assert not REPR.search(text), REPR.search(text)
        assert "【待填：" in text  # the serial of the document number at least is left to fill


def test_entrusted_matters_get_a_letter_to_the_court_where_the_asset_lies(
        lishui: Scenario, lishui_plan: Plan) -> None:
    court_at = {k.place: k.name for k in lishui.courts}
    asset_place = {a.id: a.place for k in lishui.cases for a in k.assets}
    c = next(c for c in lishui_plan.cases if c.mode == "keep" and len(c.entrusted_assets) == 1
             and asset_place[c.entrusted_assets[0]] in court_at)
    text = _text(draft_docx(lishui_plan, lishui, c.case_id))
    assert "事项委托函" in text and c.entrusted_assets[0] in text
    assert f"{court_at[asset_place[c.entrusted_assets[0]]]}：" in text
    assert "《最高人民法院关于委托执行若干问题的规定》第二条第二款、第四条第二款之规定" in text
    assert "【待填：受托法院】" not in text
    # an asset in a place with no court of the scenario: the receiving court is left to fill
    far = next(c for c in lishui_plan.cases if len(c.entrusted_assets) == 1
               and asset_place[c.entrusted_assets[0]] not in court_at)
    assert "【待填：受托法院】" in _text(draft_docx(lishui_plan, lishui, far.case_id))


def test_missing_facts_become_highlighted_placeholders(lishui: Scenario, lishui_plan: Plan) -> None:
    c = next(c for c in lishui_plan.cases if c.mode == "designate")
    without = lishui.model_copy(update={"cases": tuple(k for k in lishui.cases if k.id != c.case_id)})
    data = draft_docx(lishui_plan, without, c.case_id)
    text = _text(data)
    assert "【待填：申请执行人】" in text and "【待填：被执行人】" in text and "【待填：执行标的】" in text
    runs = [r for p in docx.Document(io.BytesIO(data)).paragraphs for r in p.runs]
    assert all(r.font.highlight_color is not None for r in runs if r.text.startswith("【待填"))
    assert not REPR.search(text)


def test_keep_without_matters_needs_no_document(lishui: Scenario, lishui_plan: Plan,
                                                tmp_path: Path) -> None:
    c = next(c for c in lishui_plan.cases if c.mode == "keep" and not c.entrusted_assets)
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(lishui_plan.to_json(), encoding="utf-8")
    out = tmp_path / "one.docx"
    assert main(["drafts", str(plan_file), "--scenario", "scenarios/lishui.json", "--one", c.case_id,
                 "--out", str(out)]) == 2
    assert not out.exists()
    assert main(["drafts", str(plan_file), "--scenario", "scenarios/lishui.json", "--one", "不存在",
                 "--out", str(out)]) == 2


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def test_workbook_and_draft_convert_to_pdf(lishui: Scenario, lishui_plan: Plan, tmp_path: Path) -> None:
    office = _office()
    if office is None:
        why = ("LibreOffice (soffice/libreoffice) is not installed; apt-get install "
               "libreoffice-calc-nogui libreoffice-writer-nogui (make system-deps)")
        if os.environ.get("COURTPLAN_REQUIRE_LIBREOFFICE") == "1":  # set by .ci/run
            pytest.fail(why)
        print("skipped: " + why)
        pytest.skip(why)
    write_plan_workbook(lishui_plan, tmp_path / "plan.xlsx", lishui)
    c = next(c for c in lishui_plan.cases if c.mode == "designate")
    (tmp_path / "draft.docx").write_bytes(draft_docx(lishui_plan, lishui, c.case_id))
    for name in ("plan.xlsx", "draft.docx"):
        subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / name)],
                       check=True, capture_output=True, timeout=300)
        pdf = tmp_path / (name.rsplit(".", 1)[0] + ".pdf")
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
