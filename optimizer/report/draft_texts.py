"""The wording of the document drafts, one function per document, after 人民法院执行文书样式:
issuing court and document name (two title lines), 文号, parties, facts and reasons, the legal
basis as a ruling cites it (依照……之规定，裁定如下：), the order, the signature block, the date,
the seal, 本件与原本核对无异 and the clerk.

A fact the plan and the scenario do not hold (the serial of the 文号, a street address, a
person's sex, birth date and ethnicity, an organisation's legal representative, the judges, a
deadline) is a visible placeholder `【待填：…】`, highlighted by the writer; nothing is guessed.
The 协同执行调度决定书 (one per receiving court) is in `draft_coordination.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from optimizer.law.modes import MODE_SPECS, Mode

PLACEHOLDER = "【待填：{}】"
CERTIFIED = "本件与原本核对无异"


def blank(what: str) -> str:
    return PLACEHOLDER.format(what)


@dataclass(frozen=True)
class Party:
    name: str
    organisation: bool  # 企业、国有企业、党政机关: a 法定代表人; a person: sex, birth, ethnicity
    address: str  # where the address starts (浙江省丽水市莲都区), the rest a placeholder


@dataclass(frozen=True)
class Matter:
    """One entrusted matter (事项委托): an asset handled by the court where it lies."""

    asset_id: str
    kind: str  # Chinese label
    place: str
    value: str
    court: str  # receiving court, or a placeholder


@dataclass(frozen=True)
class Facts:
    """What a draft states, as text (placeholders where the fact is missing)."""

    case_id: str
    applicant: Party
    debtor: Party
    amount: str
    filed: str
    from_court: str
    to_court: str
    decider: str  # the issuing court as its title names it
    reasons: str
    citation: str  # 依照……之规定 (the decision's own basis)
    number: str  # the decision's 文号
    date: str
    entrust_citation: str = ""  # 参照/依照……之规定 (the 事项委托 part)
    entrust_issuer: str = ""  # the executing court after the plan, as a title names it
    entrust_number: str = ""  # the 文号 of its letters: the case's own number where it stays
    related: tuple[str, ...] = ()
    matters: tuple[Matter, ...] = ()


@dataclass
class Draft:
    """A document as (kind, text) lines: issuer, title, number, to, para, order, sign, date, note."""

    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, text: str) -> Draft:
        self.lines.append((kind, text))
        return self


def party_line(role: str, p: Party) -> list[str]:
    """申请执行人：…，住所地…。 / 法定代表人：… for an organisation; sex, birth date, ethnicity and
    address for a person (样式's order)."""
    if p.organisation:
        return [f"{role}：{p.name}，住所地{p.address}{blank('详细地址')}。",
                f"法定代表人：{blank('姓名')}，{blank('职务')}。"]
    return [f"{role}：{p.name}，{blank('性别')}，{blank('出生日期')}出生，{blank('民族')}，"
            f"住{p.address}{blank('详细地址')}。"]


def reasons_text(reasons: str) -> str:
    """The triggers as prose: the article notes (（第237条）) left to the citation."""
    return re.sub(r"（[^（）]*第\d+条[^（）]*）", "", reasons)


def _case(f: Facts) -> str:
    """（2025）浙1102执3号申请执行人…与被执行人…执行一案 (the number is not bracketed again: it
    starts with its own bracket)."""
    return f"{f.case_id}申请执行人{f.applicant.name}与被执行人{f.debtor.name}执行一案"


def _head(issuer: str, title: str, number: str) -> Draft:
    return Draft(title).add("issuer", issuer).add("title", title).add("number", number)


def _ruling(f: Facts, why: str) -> Draft:
    """The common start of a 执行裁定书: title, parties, the facts, the reasons, the citation."""
    d = _head(f.decider, "执行裁定书", f.number)
    for line in party_line("申请执行人", f.applicant) + party_line("被执行人", f.debtor):
        d.add("para", line)
    d.add("para", f"　　{f.from_court}于{f.filed}立案执行的{_case(f)}，执行标的{f.amount}。")
    d.add("para", f"　　本院经审查认为，该案存在{reasons_text(f.reasons)}的情形，{why}。{f.citation}，裁定如下：")
    return d


def sign(d: Draft, issuer: str, date: str, judges: bool, certified: bool = True) -> Draft:
    """Judges (a 裁定), the date, the seal, 本件与原本核对无异 and the clerk."""
    if judges:
        for role in ("审判长", "审判员", "审判员"):
            d.add("sign", f"{role}　{blank('姓名')}")
    d.add("date", date).add("sign", f"（{issuer}印）")
    if certified:
        d.add("note", CERTIFIED)
    if judges:
        d.add("sign", f"书记员　{blank('姓名')}")
    return d


def _served(*courts: str) -> str:
    """执行程序解释第十一条第二款: the 裁定 is served on the parties, the courts concerned told."""
    return f"　　本裁定送达后立即生效。本裁定送达当事人，并通知{'、'.join(dict.fromkeys(courts))}。"


def _handover(f: Facts, to: str) -> str:
    return f"{f.from_court}应自收到本裁定之日起{blank('移交期限')}日内将案卷材料移交{to}。"


def designate(f: Facts) -> Draft:
    """指令执行的执行裁定书 (执行程序解释第十一条第二款: a 裁定, served, the courts notified)."""
    d = _ruling(f, "有必要指令本辖区其他人民法院执行")
    d.add("order", f"　　本案由{f.to_court}执行。{_handover(f, f.to_court)}")
    d.add("para", _served(f.from_court, f.to_court))
    return sign(d, f.decider, f.date, judges=True)


def elevate(f: Facts) -> Draft:
    """提级执行的执行裁定书."""
    d = _ruling(f, "有必要由本院提级执行")
    d.add("order", f"　　本案由本院执行。{_handover(f, '本院')}")
    d.add("para", _served(f.from_court))
    return sign(d, f.decider, f.date, judges=True)


def concentrate(f: Facts) -> Draft:
    """集中执行的执行裁定书 for one member of a debtor's related cases."""
    related = "、".join(f.related) if f.related else blank("关联案件案号")
    d = _ruling(f, f"被执行人{f.debtor.name}另有关联执行案件{related}分散于本辖区多个法院，"
                   "有必要对同一被执行人的关联案件集中执行")
    if f.to_court == f.from_court:
        d.add("order", f"　　本案由{f.to_court}继续执行，并与上列关联案件集中执行。")
    else:
        d.add("order", f"　　本案由{f.to_court}与上列关联案件集中执行。{_handover(f, f.to_court)}")
    d.add("para", _served(f.from_court, f.to_court))
    return sign(d, f.decider, f.date, judges=True)


DEADLINE_CITATION = "依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉执行程序若干问题的解释》第十二条之规定"


def supervise(f: Facts) -> Draft:
    """督促执行令 (执行程序解释第十一条第一款: to the executing court, the applicant told in writing)."""
    d = _head(f.decider, "督促执行令", f.number)
    d.add("to", f"{f.from_court}：")
    d.add("para", f"　　你院于{f.filed}立案执行的{_case(f)}，执行标的{f.amount}。本院经审查认为，该案存在"
          f"{reasons_text(f.reasons)}的情形。{f.citation}，现责令你院自收到本令之日起{blank('督促期限')}日内"
          "依法执行，并将执行情况书面报告本院。")
    d.add("para", f"　　逾期无正当理由仍未执行完结的，本院将{DEADLINE_CITATION}，裁定由本院执行或者指令本辖区"
          "其他人民法院执行。")
    d.add("order", "　　此令。")
    sign(d, f.decider, f.date, judges=False, certified=False)
    return d.add("para", f"抄送：申请执行人{f.applicant.name}（书面通知，送达地址{blank('送达地址')}）")


def coordinate_alone(f: Facts) -> Draft:
    """协同执行调度决定书 for one complex case helped by the superior court's coordination
    (执行工作规定第8条), no officers lent."""
    d = _head(f.decider, "协同执行调度决定书", f.number)
    d.add("to", f"{f.to_court}：")
    d.add("para", f"　　你院执行的{_case(f)}，执行标的{f.amount}。本院经审查认为，该案存在"
          f"{reasons_text(f.reasons)}的情形，需要本院协调。{f.citation}，决定如下：")
    d.add("order", f"　　本案仍由{f.to_court}执行，由本院统一协调指挥，{f.to_court}应于{blank('报告期限')}前"
          "将执行方案报本院。")
    d.add("para", "　　本决定自作出之日起执行。")
    return sign(d, f.decider, f.date, judges=False)


def entrust(f: Facts, m: Matter) -> Draft:
    """事项委托函 for one entrusted matter (委托执行规定第二条第二款、第四条第二款: the receiving court
    does not docket a case; the platform of the 执行指挥中心 carries it)."""
    d = _head(f.entrust_issuer, "事项委托函", f.entrust_number)
    d.add("to", f"{m.court}：")
    d.add("para", f"　　本院在执行{_case(f)}中，被执行人的财产{m.kind}（编号{m.asset_id}，估值{m.value}）位于"
          f"{m.place}。{f.entrust_citation}，特委托你院对上述财产办理{blank('查封、扣押、冻结、评估、拍卖等事项')}。"
          "本委托经人民法院执行指挥中心综合管理平台办理，你院不作为委托执行案件立案办理。")
    d.add("para", f"　　请于收到本函之日起{blank('办理期限')}日内办理完毕，并将办理结果函复本院。")
    d.add("para", f"　　附：执行依据、{blank('其他材料')}")
    d.add("para", f"　　联系人：{blank('姓名')}　联系电话：{blank('电话')}")
    return sign(d, f.entrust_issuer, f.date, judges=False, certified=False)


#: the writer of each drafted document, by the mode's key (a spec with `drafted` has one)
WRITERS = {Mode.DESIGNATE: designate, Mode.ELEVATE: elevate, Mode.CONCENTRATE: concentrate,
           Mode.SUPERVISE: supervise, Mode.COORDINATE: coordinate_alone}
_UNWRITTEN = [s.key for s in MODE_SPECS if s.drafted and s.mode not in WRITERS]
assert not _UNWRITTEN, f"drafted modes without a writer in WRITERS: {_UNWRITTEN}"
DOCUMENTS = {s.key: WRITERS[s.mode] for s in MODE_SPECS if s.drafted}
