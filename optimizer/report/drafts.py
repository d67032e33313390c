"""DOCX drafts of the documents each decision needs: 指令执行裁定书, 提级执行裁定书, 督促执行令,
协同执行调度决定书, 集中执行裁定书, and a 委托函 per entrusted matter; one .docx per case (the
decision's document first, the letters after it), zipped, or one case alone.

The facts come from the plan (courts, decider, reasons, basis) and the scenario (parties,
places, amount, filing date, assets). Missing facts are highlighted placeholders `【待填：…】`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict

from optimizer.data.scenario import Case, Scenario
from optimizer.io.plan_labels import court_names
from optimizer.io.xlsx_columns import ASSET_LABELS
from optimizer.law.modes import MODE_BY_KEY, MODE_SPECS
from optimizer.report.docx_writer import Line, docx
from optimizer.report.draft_texts import DOCUMENTS, Draft, Facts, Matter, blank, chinese_date, entrust
from optimizer.results.plan import CasePlan, Plan

_PLACEHOLDER = re.compile(r"(【待填：[^】]*】)")
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\s]')
_FONT = "SimSun"  # 宋体: the usual body face of court documents; Word substitutes if absent
_BODY_SIZE = 14  # 四号


def _yuan(x: float) -> str:
    return f"{x:,.2f}元"


class _Context:
    """Lookups shared by every draft of one plan."""

    def __init__(self, plan: Plan, scenario: Scenario):
        self.plan = plan
        self.names = court_names(plan, scenario)
        self.places = {p.id: p.name for p in scenario.places}
        self.cases = {k.id: k for k in scenario.cases}
        self.court_at: dict[str, str] = {}  # place → the court sitting there (lowest level first)
        for court in sorted(scenario.courts, key=lambda court: court.level != "basic"):
            self.court_at.setdefault(court.place, court.id)
        self.lenders: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for m in plan.staff_moves:
            self.lenders[m.to_court].append((self.court(m.from_court), m.officers))
        self.groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for c in plan.cases:
            k = self.cases.get(c.case_id)
            if c.mode == "concentrate" and k is not None:
                self.groups[(k.debtor_id, c.court_id)].append(c.case_id)

    def court(self, court_id: str | None, what: str = "法院") -> str:
        return self.names.get(court_id, court_id) if court_id else blank(what)

    def place(self, place_id: str) -> str:
        return self.places.get(place_id, place_id)

    def matters(self, c: CasePlan, k: Case | None) -> tuple[Matter, ...]:
        assets = {a.id: a for a in k.assets} if k else {}
        out = []
        for asset_id in c.entrusted_assets:
            a = assets.get(asset_id)
            if a is None:
                out.append(Matter(asset_id, blank("财产类型"), blank("财产所在地"), blank("估值"),
                                  blank("受托法院")))
                continue
            receiver = self.court_at.get(a.place)
            out.append(Matter(asset_id, ASSET_LABELS.get(a.kind, a.kind), self.place(a.place),
                              _yuan(a.value), self.court(receiver, "受托法院")))
        return tuple(out)


def _split_basis(basis: str) -> tuple[str, str]:
    """The decision's own basis and the 事项委托 part (the plan joins them with '；')."""
    parts = basis.split("；事项委托")
    own = parts[0] if not parts[0].startswith("事项委托") else ""
    entrust_part = "事项委托" + parts[1] if len(parts) > 1 else (parts[0] if not own else "")
    return own or blank("法律依据"), entrust_part or blank("委托依据")


def facts_for(ctx: _Context, c: CasePlan) -> Facts:
    k = ctx.cases.get(c.case_id)
    own, entrust_basis = _split_basis(c.basis)
    related = tuple(x for x in ctx.groups.get((k.debtor_id, c.court_id), ()) if x != c.case_id) \
        if k else ()
    return Facts(
        case_id=c.case_id,
        applicant=k.applicant.name if k else blank("申请执行人"),
        applicant_place=ctx.place(k.applicant.place) if k else blank("住所地"),
        debtor=k.debtor.name if k else blank("被执行人"),
        debtor_place=ctx.place(k.debtor.place) if k else blank("住所地"),
        amount=_yuan(k.amount) if k else blank("执行标的"),
        filed=chinese_date(k.filed.isoformat()) if k else blank("立案日期"),
        from_court=ctx.court(c.from_court_id, "原执行法院"), to_court=ctx.court(c.court_id, "执行法院"),
        decider=ctx.court(c.decided_by, "决定法院"),
        reasons="、".join(c.reasons) if c.reasons else blank("事由"),
        basis=own, entrust_basis=entrust_basis, date=chinese_date(ctx.plan.plan_date),
        year=ctx.plan.plan_date[:4] or blank("年份"),
        lenders=tuple(ctx.lenders.get(c.court_id, ())) if c.coordination == "officers" else (),
        related=related, matters=ctx.matters(c, k))


def drafts_for(ctx: _Context, c: CasePlan) -> list[Draft]:
    """The documents of one case's decision: its own, then one 委托函 per entrusted matter."""
    facts = facts_for(ctx, c)
    out = [DOCUMENTS[c.mode](facts)] if c.mode in DOCUMENTS else []
    out += [entrust(facts, m) for m in facts.matters]
    return out


_LAYOUT = {  # kind → (alignment, size in points, bold)
    "issuer": ("center", 18, True), "title": ("center", 22, True), "number": ("right", 14, False),
    "to": ("left", 14, False), "para": ("both", 14, False), "order": ("both", 14, False),
    "sign": ("right", 14, False), "date": ("right", 14, False),
}


def docx_bytes(drafts: list[Draft]) -> bytes:
    """The drafts as one .docx, each document starting on a new page; the placeholders still
    to fill highlighted."""
    pages = [[Line(*_LAYOUT[kind], text) for kind, text in draft.lines] for draft in drafts]
    return docx(pages, _FONT, _BODY_SIZE, _PLACEHOLDER)


def _case(plan: Plan, case_id: str) -> CasePlan:
    for c in plan.cases:
        if c.case_id == case_id:
            return c
    raise ValueError(f"案号 '{case_id}' 不在方案中 (case not in the plan)")


def draft_docx(plan: Plan, scenario: Scenario, case_id: str) -> bytes:
    """One case's drafts as a .docx; `ValueError` if the case is unknown or needs no document."""
    c = _case(plan, case_id)
    drafts = drafts_for(_Context(plan, scenario), c)
    if not drafts:
        raise ValueError(f"案件 '{case_id}' 的决定（{c.mode}）无需文书 (the decision needs no document)")
    return docx_bytes(drafts)


def file_name(c: CasePlan) -> str:
    """`（2025）浙1102执3号_指令执行裁定书.docx`: the case number and the decision's document."""
    spec = MODE_SPECS[MODE_BY_KEY[c.mode]] if c.mode in DOCUMENTS else None
    return f"{_FILE_UNSAFE.sub('_', c.case_id)}_{spec.document if spec else '委托函'}.docx"


def drafts_zip(plan: Plan, scenario: Scenario, case_ids: list[str] | None = None) -> tuple[bytes, int]:
    """A zip with one .docx per case that needs a document (only `case_ids` if given: each must
    be in the plan); returns the zip's bytes and how many files it holds."""
    ctx = _Context(plan, scenario)
    chosen = [_case(plan, x) for x in case_ids] if case_ids else list(plan.cases)
    buffer = io.BytesIO()
    count = 0
    # (stored, not deflated again: a .docx is a zip already)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for c in chosen:
            drafts = drafts_for(ctx, c)
            if drafts:
                z.writestr(file_name(c), docx_bytes(drafts))
                count += 1
    return buffer.getvalue(), count
