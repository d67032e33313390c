"""The drafts in the form courts use: A4 with GB/T 9704 margins and the court faces read back from
the DOCX, citations as rulings write them, parties by kind, 本件与原本核对无异, the 文号 filled as
far as known, the date only on a working day, one 协同执行调度决定书 per lending decision, file
names equal to the titles (the Lishui plan: every decision occurs)."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from collections import Counter, defaultdict

import docx
import pytest
from docx.enum.text import WD_LINE_SPACING

from optimizer.data.scenario import Scenario
from optimizer.pipeline import plan_scenario
from optimizer.report.drafts import draft_docx, drafts_zip
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams

CPL = "《中华人民共和国民事诉讼法》"
INTERPRETATION = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释》"
REGULATION = "《最高人民法院关于人民法院执行工作若干问题的规定（试行）》"


@pytest.fixture(scope="module")
def lishui_plan(lishui: Scenario) -> Plan:
    return plan_scenario(lishui, None, SolveParams(time_limit=30.0, workers=1))


@pytest.fixture(scope="module")
def files(lishui: Scenario, lishui_plan: Plan) -> dict[str, docx.document.Document]:
    data, count = drafts_zip(lishui_plan, lishui)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert count == len(z.namelist())
        return {name: docx.Document(io.BytesIO(z.read(name))) for name in z.namelist()}


def _text(d: docx.document.Document) -> str:
    return "\n".join(p.text for p in d.paragraphs)


def _first(plan: Plan, **where: object) -> str:
    return next(c.case_id for c in plan.cases if all(getattr(c, k) == v for k, v in where.items()))


def test_a4_with_gb9704_margins_and_the_court_faces(lishui: Scenario, lishui_plan: Plan) -> None:
    d = docx.Document(io.BytesIO(draft_docx(lishui_plan, lishui, _first(lishui_plan, mode="designate"))))
    section = d.sections[0]
    mm = {k: round(getattr(section, k).mm, 1) for k in ("page_width", "page_height", "top_margin",
                                                       "bottom_margin", "left_margin", "right_margin")}
    assert mm == {"page_width": 210.0, "page_height": 297.0, "top_margin": 37.0, "bottom_margin": 35.0,
                  "left_margin": 28.0, "right_margin": 26.0}
    normal = d.styles["Normal"]
    assert normal.font.name == "仿宋_GB2312" and normal.font.size.pt == 16  # 三号仿宋
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)  # 22 lines a page
    issuer, title = d.paragraphs[0].runs[0], d.paragraphs[1].runs[0]
    for run in (issuer, title):  # 二号小标宋
        assert run.font.size.pt == 22 and run._r.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "方正小标宋简体"
    table = next(p for p in d.part.package.parts if p.partname.endswith("fontTable.xml")).blob.decode()
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>', table)
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"/>', table)


def test_citations_as_in_rulings(lishui: Scenario, lishui_plan: Plan) -> None:
    applied = next(c for c in lishui_plan.cases if c.mode == "designate" and "申请执行人已申请" in c.basis)
    text = _text(docx.Document(io.BytesIO(draft_docx(lishui_plan, lishui, applied.case_id))))
    assert (f"依照{CPL}第二百三十七条，{INTERPRETATION}第十条、第十一条第二款之规定，裁定如下：") in text
    own = next(c for c in lishui_plan.cases if c.mode == "supervise" and "申请执行人已申请" not in c.basis)
    text = _text(docx.Document(io.BytesIO(draft_docx(lishui_plan, lishui, own.case_id))))
    assert f"{REGULATION}第74条第一款，参照{INTERPRETATION}第十一条第一款之规定，现责令你院" in text
    assert f"本院将依照{INTERPRETATION}第十二条之规定" in text


def test_every_draft_reads_as_a_court_document(files: dict[str, docx.document.Document]) -> None:
    for name, d in files.items():
        text = _text(d)
        title = d.paragraphs[1].text
        assert name.endswith(f"_{title}.docx"), (name, title)  # the file is named as titled
        assert "依据：" not in text and "依照上述规定" not in text and "（（" not in text, name
        assert not re.search(r"(民事诉讼法|执行程序解释|执行工作规定|委托执行规定)第\d", text), name
        number = d.paragraphs[2].text
        assert re.fullmatch(r"（2026）\S+【待填：序号】号|（20\d\d）浙\d+执\d+号", number), (name, number)
        if title in ("执行裁定书", "协同执行调度决定书"):
            assert "本件与原本核对无异" in text, name
        if title == "执行裁定书":
            assert "之规定，裁定如下：" in text and "审判长" in text and "书记员" in text, name
            assert re.fullmatch(r"（2026）浙\d*执监【待填：序号】号", number), (name, number)
        if title == "事项委托函":  # 参照 within the province (委托执行规定第十四条), 依照 across it
            assert re.search(r"[依参]照《最高人民法院关于委托执行若干问题的规定》第二条第二款、第四条第二款"
                             r"之规定，特委托你院", text), name


def test_parties_by_kind(lishui: Scenario, lishui_plan: Plan) -> None:
    kinds = {k.id: (k.applicant.kind, k.debtor.kind) for k in lishui.cases}
    c = next(c for c in lishui_plan.cases if c.mode == "designate" and kinds[c.case_id] == ("company", "person"))
    k = next(k for k in lishui.cases if k.id == c.case_id)
    text = _text(docx.Document(io.BytesIO(draft_docx(lishui_plan, lishui, c.case_id))))
    assert f"申请执行人：{k.applicant.name}，住所地浙江省" in text
    assert "法定代表人：【待填：姓名】，【待填：职务】。" in text
    assert f"被执行人：{k.debtor.name}，【待填：性别】，【待填：出生日期】出生，【待填：民族】，住浙江省" in text


@pytest.mark.parametrize(("day", "dated"), [
    ("2026-01-05", "二〇二六年一月五日"),
    ("2026-01-03", None),  # a Saturday (and 元旦 holiday)
    ("2026-01-01", None),  # 元旦: a Thursday, a 法定休假日 by 国办发明电〔2025〕7号
    ("2026-01-04", "二〇二六年一月四日"),  # a Sunday made a working day (调休) by the same notice
])
def test_dated_only_on_a_working_day(lishui: Scenario, lishui_plan: Plan, day: str, dated: str | None) -> None:
    plan = dataclasses.replace(lishui_plan, plan_date=day)
    text = _text(docx.Document(io.BytesIO(draft_docx(plan, lishui, _first(plan, mode="elevate")))))
    if dated:
        assert dated in text and "【待填：日期" not in text
    else:  # a rest day: the clerk dates the document
        chinese = {"2026-01-03": "二〇二六年一月三日", "2026-01-01": "二〇二六年一月一日"}[day]
        assert f"【待填：日期（规划日期{chinese}非工作日）】" in text
        assert f"\n{chinese}\n" not in text


def test_one_coordination_decision_per_lending_decision(lishui_plan: Plan,
                                                        files: dict[str, docx.document.Document]) -> None:
    lent = [c for c in lishui_plan.cases if c.mode == "coordinate" and c.coordination == "officers"]
    groups = defaultdict(list)
    for c in lent:
        groups[(c.decided_by, c.court_id)].append(c.case_id)
    names = {m.court_id: m.name for m in lishui_plan.courts}
    decisions = {n: d for n, d in files.items() if n.endswith("_协同执行调度决定书.docx")
                 and not n.startswith("（")}
    assert len(lent) > len(groups) >= 1 and len(decisions) == len(groups)
    listed: Counter[str] = Counter()
    for (_, court), cases in groups.items():
        text = _text(decisions[f"{names[court]}_协同执行调度决定书.docx"])
        listed.update(x for x in cases if x in text)
        assert f"{names[court]}执行的下列{len(cases)}件案件" in text
        lent_here = {names[m.from_court]: m.officers for m in lishui_plan.staff_moves if m.to_court == court}
        ordered = dict(re.findall(r"由(\S+?法院)抽调执行人员(\d+)名", text))
        assert {k: int(v) for k, v in ordered.items()} == lent_here
    assert listed == Counter(c.case_id for c in lent)  # every lent case in exactly one decision
    # a case alone (coordination only) keeps a decision of its own
    alone = [c for c in lishui_plan.cases if c.mode == "coordinate" and c.coordination != "officers"]
    assert sum(n.startswith("（") and n.endswith("_协同执行调度决定书.docx") for n in files) == len(alone)
