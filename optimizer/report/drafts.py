"""DOCX drafts of the documents each decision needs: the 执行裁定书 of a designation, an elevation or
a concentration, the 督促执行令, the 协同执行调度决定书 — one per lending decision, for all the
cases of the receiving court — and a 事项委托函 per entrusted matter. One .docx per case (its
decision's document first, its letters after it) and one per lending decision, zipped; each file
named as its first document is titled (（2025）浙1102执3号_执行裁定书.docx,
丽水市莲都区人民法院_协同执行调度决定书.docx).

The facts come from the plan (courts, decider, reasons, basis) and the scenario (parties and their
kind, places, amount, filing date, assets, the courts' 代字 in the case numbers). Missing facts are
highlighted placeholders `【待填：…】`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict

from optimizer.data.case_columns import CasesById, case_columns
from optimizer.data.scenario import Case, Court, Party, Scenario
from optimizer.io.plan_labels import court_names
from optimizer.io.xlsx_columns import ASSET_LABELS
from optimizer.law.calendar import national_calendar
from optimizer.law.errors import UserError
from optimizer.report import draft_texts as texts
from optimizer.report.citations import citation
from optimizer.report.doc_numbers import (
    TYPE_CODES,
    address,
    chinese_date,
    court_code,
    court_codes_from_cases,
    document_date,
    document_number,
    issuer_name,
)
from optimizer.report.docx_writer import BODY_FONT, BODY_SIZE, TITLE_FONT, TITLE_SIZE, Line, docx
from optimizer.report.draft_coordination import Lending, lending_decision
from optimizer.report.draft_texts import DOCUMENTS, Draft, Facts, Matter, blank, entrust
from optimizer.results.plan import CasePlan, Plan

_PLACEHOLDER = re.compile(r"(【待填：[^】]*】)")
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\s]')
_NO_BASIS = f"依照{blank('法律依据')}之规定"


def _yuan(x: float) -> str:
    return f"{x:,.2f}元"


class _Context:
    """Lookups shared by every draft of one plan."""

    def __init__(self, plan: Plan, scenario: Scenario):
        self.plan = plan
        self.names = court_names(plan, scenario)
        self.courts: dict[str, Court] = {c.id: c for c in scenario.courts}
        self.places = {p.id: p.name for p in scenario.places}
        self.cases = CasesById(scenario)
        columns = case_columns(scenario)
        self.codes = court_codes_from_cases(zip(columns.id, columns.court, strict=True))
        self.year = plan.plan_date[:4] or blank("年度")
        cal = scenario.calendar  # the scenario's own 法定休假日 and 调休 days override the shipped ones
        self.date = document_date(plan.plan_date, national_calendar().with_days(
            cal.holidays, cal.working_days, cal.covers_years))
        self.court_at: dict[str, str] = {}  # place → the court sitting there (lowest level first)
        for court in sorted(scenario.courts, key=lambda court: court.level != "basic"):
            self.court_at.setdefault(court.place, court.id)
        self.lenders: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for m in plan.staff_moves:
            self.lenders[m.to_court].append((self.court(m.from_court), m.officers))
        self.groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.lendings: dict[tuple[str | None, str | None], list[CasePlan]] = defaultdict(list)
        for c in plan.cases:
            if c.mode == "concentrate" and (k := self.cases.get(c.case_id)) is not None:
                self.groups[(k.debtor_id, c.court_id)].append(c.case_id)
            if _lent(c):
                self.lendings[(c.decided_by, c.court_id)].append(c)

    def court(self, court_id: str | None, what: str = "法院") -> str:
        return self.names.get(court_id, court_id) if court_id else blank(what)

    def issuer(self, court_id: str | None, what: str = "决定法院") -> str:
        court = self.courts.get(court_id or "")
        return issuer_name(court) if court else self.court(court_id, what)

    def code(self, court_id: str | None) -> str | None:
        court = self.courts.get(court_id or "")
        return self.codes.get(court_id or "") or (court_code(court) if court else None)

    def party(self, p: Party) -> texts.Party:
        return texts.Party(p.name, p.kind != "person", address(p.place, self.places.get(p.place, p.place)))

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
            out.append(Matter(asset_id, ASSET_LABELS.get(a.kind, a.kind), address(a.place, self.places.get(
                a.place, a.place)), _yuan(a.value), self.court(receiver, "受托法院")))
        return tuple(out)


def _lent(c: CasePlan) -> bool:
    return c.mode == "coordinate" and c.coordination == "officers"


def _split_basis(basis: str) -> tuple[str, str]:
    """The decision's own basis and the 事项委托 part (the plan joins them with '；')."""
    own, _, entrusted = basis.partition("事项委托")
    return own, ("事项委托" + entrusted) if entrusted else ""


def facts_for(ctx: _Context, c: CasePlan) -> Facts:
    k = ctx.cases.get(c.case_id)
    own, entrusted = _split_basis(c.basis)
    related = tuple(x for x in ctx.groups.get((k.debtor_id, c.court_id), ()) if x != c.case_id) if k else ()
    stays = c.court_id == c.from_court_id
    return Facts(
        case_id=c.case_id,
        applicant=ctx.party(k.applicant) if k else texts.Party(blank("申请执行人"), False, blank("住所地")),
        debtor=ctx.party(k.debtor) if k else texts.Party(blank("被执行人"), False, blank("住所地")),
        amount=_yuan(k.amount) if k else blank("执行标的"),
        filed=chinese_date(k.filed.isoformat()) if k else blank("立案日期"),
        from_court=ctx.court(c.from_court_id, "原执行法院"), to_court=ctx.court(c.court_id, "执行法院"),
        decider=ctx.issuer(c.decided_by), reasons="、".join(c.reasons) if c.reasons else blank("事由"),
        citation=citation(own) or _NO_BASIS, entrust_citation=citation(entrusted) or _NO_BASIS,
        number=document_number(ctx.year, ctx.code(c.decided_by), TYPE_CODES.get(c.mode)), date=ctx.date,
        entrust_issuer=ctx.issuer(c.court_id, "执行法院"),
        entrust_number=c.case_id if stays else document_number(ctx.year, ctx.code(c.court_id), "执"),
        related=related, matters=ctx.matters(c, k))


def lending_for(ctx: _Context, c: CasePlan) -> Lending:
    """The lending decision a 协同 case with lent officers belongs to."""
    members = ctx.lendings[(c.decided_by, c.court_id)]
    own = _split_basis(members[0].basis)[0]
    return Lending(decider=ctx.issuer(c.decided_by), court=ctx.court(c.court_id, "执行法院"),
                   lenders=tuple(ctx.lenders.get(c.court_id or "", ())),
                   cases=tuple(facts_for(ctx, m) for m in members), citation=citation(own) or _NO_BASIS,
                   number=document_number(ctx.year, ctx.code(c.decided_by), TYPE_CODES["coordinate"]),
                   date=ctx.date)


def decision_for(ctx: _Context, c: CasePlan) -> Draft | None:
    """The document of one case's decision (its lending decision for lent officers)."""
    if _lent(c):
        return lending_decision(lending_for(ctx, c))
    return DOCUMENTS[c.mode](facts_for(ctx, c)) if c.mode in DOCUMENTS else None


def letters_for(ctx: _Context, c: CasePlan) -> list[Draft]:
    facts = facts_for(ctx, c)
    return [entrust(facts, m) for m in facts.matters]


_LAYOUT = {  # kind → (alignment, size in points, bold, font): titles 二号小标宋, the rest 三号仿宋
    "issuer": ("center", TITLE_SIZE, False, TITLE_FONT), "title": ("center", TITLE_SIZE, False, TITLE_FONT),
    "number": ("right", BODY_SIZE, False, None), "to": ("left", BODY_SIZE, False, None),
    "para": ("both", BODY_SIZE, False, None), "order": ("both", BODY_SIZE, False, None),
    "sign": ("right", BODY_SIZE, False, None), "date": ("right", BODY_SIZE, False, None),
    "note": ("left", BODY_SIZE, False, None),
}


def docx_bytes(drafts: list[Draft]) -> bytes:
    """The drafts as one .docx, each document starting on a new page; the placeholders still
    to fill highlighted."""
    pages = [[Line(*_LAYOUT[kind][:3], text, _LAYOUT[kind][3]) for kind, text in draft.lines] for draft in drafts]
    return docx(pages, BODY_FONT, BODY_SIZE, _PLACEHOLDER)


def _case(plan: Plan, case_id: str) -> CasePlan:
    for c in plan.cases:
        if c.case_id == case_id:
            return c
    raise UserError(f"案号 '{case_id}' 不在方案中 (case not in the plan)")


def draft_docx(plan: Plan, scenario: Scenario, case_id: str) -> bytes:
    """One case's drafts as a .docx (its lending decision for lent officers); `ValueError` if
    the case is unknown or needs no document."""
    c = _case(plan, case_id)
    ctx = _Context(plan, scenario)
    decision = decision_for(ctx, c)
    drafts = ([decision] if decision else []) + letters_for(ctx, c)
    if not drafts:
        raise UserError(f"案件 '{case_id}' 的决定（{c.mode}）无需文书 (the decision needs no document)")
    return docx_bytes(drafts)


def _safe(text: str) -> str:
    return _FILE_UNSAFE.sub("_", text)


def _bankruptcy_files(ctx: _Context, scenario: Scenario, consult_letters: bool) -> dict[str, bytes]:
    """One 移送破产审查决定书 per debtor group the plan suspends for 执转破, and with
    `consult_letters` one 征询意见函 per group screened `consult` (docs/outcomes.md)."""
    from optimizer.data.problem import Problem
    from optimizer.law.bankruptcy import SUSPENDED_NOTE, Screening
    from optimizer.report.draft_bankruptcy import consult_letter, groups, transfer_decision

    wanted = (Screening.TRANSFER, Screening.CONSULT) if consult_letters else (Screening.TRANSFER,)
    if not any(d.consent is not None for d in scenario.debtors) and not consult_letters:
        return {}
    notes = {c.case_id: c.note for c in ctx.plan.cases}
    files = {}
    for g in groups(Problem.from_scenario(scenario), scenario, wanted):
        if g.status == Screening.TRANSFER and notes.get(g.cases[0][0]) == SUSPENDED_NOTE:
            files[f"{_safe(g.debtor)}_移送破产审查决定书.docx"] = docx_bytes([transfer_decision(g, ctx.date)])
        elif g.status == Screening.CONSULT:
            files[f"{_safe(g.debtor)}_征询意见函.docx"] = docx_bytes([consult_letter(g, ctx.date)])
    return files


def drafts_zip(plan: Plan, scenario: Scenario, case_ids: list[str] | None = None,
               consult_letters: bool = False) -> tuple[bytes, int]:
    """A zip with one .docx per case that needs a document and one per lending decision (only
    those of `case_ids` if given: each must be in the plan), and, for the whole plan, one
    移送破产审查决定书 per suspended 执转破 group (with `consult_letters` also one 征询意见函 per group to
    consult); its bytes and how many files."""
    ctx = _Context(plan, scenario)
    chosen = [_case(plan, x) for x in case_ids] if case_ids else list(plan.cases)
    files: dict[str, bytes] = {}
    done: set[tuple[str | None, str | None]] = set()
    for c in chosen:
        if _lent(c) and (c.decided_by, c.court_id) not in done:
            done.add((c.decided_by, c.court_id))
            lending = lending_for(ctx, c)
            name = f"{_safe(lending.court)}_协同执行调度决定书.docx"
            if name in files:  # a second decider lending to the same court
                name = f"{_safe(lending.court)}_{_safe(lending.decider)}_协同执行调度决定书.docx"
            files[name] = docx_bytes([lending_decision(lending)])
        own = [] if _lent(c) else [d for d in [decision_for(ctx, c)] if d]
        drafts = own + letters_for(ctx, c)
        if drafts:
            files[f"{_safe(c.case_id)}_{drafts[0].title}.docx"] = docx_bytes(drafts)
    if not case_ids:
        files.update(_bankruptcy_files(ctx, scenario, consult_letters))
    buffer = io.BytesIO()
    # (stored, not deflated again: a .docx is a zip already)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue(), len(files)
