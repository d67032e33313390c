"""The 协同执行调度决定书 for lent officers: one per lending decision — per receiving court and
deciding court — listing that court's cases and the officers each lending court sends
(执行工作规定第8条、第74条第二款). A plan that lends 7 officers to a court for 57 cases issues one
decision naming the 7, not 57 decisions each ordering them.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.law.modes import MODE_SPECS, TRIGGER_LABELS, Mode, Trigger
from optimizer.report.citations import chinese_number
from optimizer.report.draft_texts import Draft, Facts, blank, reasons_text, sign


@dataclass(frozen=True)
class Lending:
    """One lending decision: who decides, the court that receives, who lends how many, for
    which cases."""

    decider: str  # the issuing court as its title names it
    court: str  # the receiving court
    lenders: tuple[tuple[str, int], ...]  # (lending court, officers)
    cases: tuple[Facts, ...]
    citation: str
    number: str
    date: str


#: the situations 协同执行 answers (its spec's remedies): what the decision states of its cases
_ANSWERED = {reasons_text(TRIGGER_LABELS[t]) for t in Trigger if t & MODE_SPECS[Mode.COORDINATE].remedies}


def _reasons(cases: tuple[Facts, ...]) -> str:
    seen: dict[str, None] = {}
    for f in cases:
        for reason in reasons_text(f.reasons).split("、"):
            if reason in _ANSWERED:
                seen.setdefault(reason)
    return "、".join(seen) or blank("事由")


def lending_decision(g: Lending) -> Draft:
    """The decision: addressed to the receiving and the lending courts, the cases listed, one
    order per lending court, the receiving court keeping the cases and the command."""
    d = Draft("协同执行调度决定书").add("issuer", g.decider).add("title", "协同执行调度决定书")
    d.add("number", g.number)
    lenders = g.lenders or ((blank("借调法院"), 0),)
    d.add("to", "、".join([g.court, *(name for name, _ in lenders)]) + "：")
    d.add("para", f"　　{g.court}执行的下列{len(g.cases)}件案件存在{_reasons(g.cases)}的情形，需要增加执行力量：")
    for i, f in enumerate(g.cases, start=1):
        end = "。" if i == len(g.cases) else "；"
        d.add("para", f"　　{i}. {f.case_id}，申请执行人{f.applicant.name}与被执行人{f.debtor.name}，"
                      f"执行标的{f.amount}{end}")
    d.add("para", "　　本院认为，为保障上列案件依法及时执行，有必要统一调度本辖区执行力量协同执行。"
                  f"{g.citation}，决定如下：")
    for i, (name, officers) in enumerate(lenders, start=1):
        count = str(officers) if officers else blank("人数")
        d.add("order", f"　　{chinese_number(i)}、由{name}抽调执行人员{count}名，于{blank('报到日期')}前"
                       f"到{g.court}报到，协同执行上列案件，期限至{blank('协同截止日期')}。")
    last = chinese_number(len(lenders) + 1)
    d.add("order", f"　　{last}、上列案件仍由{g.court}执行，协同人员服从该院统一指挥。")
    d.add("para", "　　本决定自作出之日起执行。")
    return sign(d, g.decider, g.date, judges=False)
