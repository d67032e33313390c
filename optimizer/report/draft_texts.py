"""The wording of the document drafts, one function per document, after the usual structure of
人民法院执行文书: issuing court, title, document number, parties, facts and reasons, legal
basis, the order (裁定/决定如下), signature block, date, seal.

A fact the plan and the scenario do not hold (the document number, a street address, the judges,
a deadline) is a visible placeholder `【待填：…】`, highlighted by the writer; nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PLACEHOLDER = "【待填：{}】"


def blank(what: str) -> str:
    return PLACEHOLDER.format(what)


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
    applicant: str
    applicant_place: str
    debtor: str
    debtor_place: str
    amount: str
    filed: str
    from_court: str
    to_court: str
    decider: str
    reasons: str
    basis: str  # the decision's own basis
    entrust_basis: str
    date: str  # 二〇二六年一月一日
    year: str
    lenders: tuple[tuple[str, int], ...] = ()
    related: tuple[str, ...] = ()
    matters: tuple[Matter, ...] = ()


@dataclass
class Draft:
    """A document as (kind, text) lines: issuer, title, number, to, para, order, sign, date."""

    title: str
    lines: list[tuple[str, str]] = field(default_factory=list)

    def add(self, kind: str, text: str) -> Draft:
        self.lines.append((kind, text))
        return self


def _parties(d: Draft, f: Facts) -> None:
    d.add("para", f"申请执行人：{f.applicant}，住所地{f.applicant_place}{blank('详细地址')}。")
    d.add("para", f"被执行人：{f.debtor}，住所地{f.debtor_place}{blank('详细地址')}。")


def _case_facts(f: Facts) -> str:
    return (f"{f.from_court}于{f.filed}立案执行的{f.case_id}申请执行人{f.applicant}与被执行人"
            f"{f.debtor}执行一案，执行标的{f.amount}。")


def _head(f: Facts, issuer: str, title: str, kind: str) -> Draft:
    d = Draft(title)
    d.add("issuer", issuer).add("title", title)
    d.add("number", f"（{f.year}）{blank(kind + '文号')}")
    return d


def _sign(d: Draft, issuer: str, f: Facts, judges: bool) -> Draft:
    if judges:
        d.add("sign", f"审判长　{blank('姓名')}").add("sign", f"审判员　{blank('姓名')}")
        d.add("sign", f"审判员　{blank('姓名')}")
    d.add("date", f.date).add("sign", f"（{issuer}印）")
    if judges:
        d.add("sign", f"书记员　{blank('姓名')}")
    return d


def designate(f: Facts) -> Draft:
    """指令执行裁定书 (执行程序解释第11条第2款: 裁定, served on the parties, courts notified)."""
    d = _head(f, f.decider, "执行裁定书", "裁定书")
    _parties(d, f)
    d.add("para", "　　" + _case_facts(f) + f"本院经审查认为，该案存在以下情形：{f.reasons}，"
          f"有必要指令本辖区其他人民法院执行。")
    d.add("para", f"　　依据：{f.basis}。")
    d.add("para", "　　依照上述规定，裁定如下：")
    d.add("order", f"　　本案由{f.to_court}执行。{f.from_court}应自收到本裁定之日起"
          f"{blank('移交期限')}日内将案卷材料移交{f.to_court}。")
    d.add("para", "　　本裁定送达后立即生效。本裁定送达当事人，并通知"
          f"{f.from_court}、{f.to_court}。")
    return _sign(d, f.decider, f, judges=True)


def elevate(f: Facts) -> Draft:
    """提级执行裁定书."""
    d = _head(f, f.decider, "执行裁定书", "裁定书")
    _parties(d, f)
    d.add("para", "　　" + _case_facts(f) + f"本院经审查认为，该案存在以下情形：{f.reasons}，"
          "有必要由本院提级执行。")
    d.add("para", f"　　依据：{f.basis}。")
    d.add("para", "　　依照上述规定，裁定如下：")
    d.add("order", f"　　本案由本院执行。{f.from_court}应自收到本裁定之日起{blank('移交期限')}日内"
          "将案卷材料移送本院。")
    d.add("para", f"　　本裁定送达后立即生效。本裁定送达当事人，并通知{f.from_court}。")
    return _sign(d, f.decider, f, judges=True)


def concentrate(f: Facts) -> Draft:
    """集中执行裁定书 for the related cases of one debtor."""
    d = _head(f, f.decider, "执行裁定书", "裁定书")
    _parties(d, f)
    related = "、".join(f.related) if f.related else blank("关联案件案号")
    d.add("para", "　　" + _case_facts(f) + f"被执行人{f.debtor}另有关联执行案件（{related}）"
          f"分散于本辖区多个法院。本院经审查认为，该案存在以下情形：{f.reasons}，"
          "有必要对同一被执行人的关联案件集中执行。")
    d.add("para", f"　　依据：{f.basis}。")
    d.add("para", "　　依照上述规定，裁定如下：")
    if f.to_court == f.from_court:
        d.add("order", f"　　本案由{f.to_court}继续执行，并与上列关联案件集中执行。")
    else:
        d.add("order", f"　　本案由{f.to_court}与上列关联案件集中执行。{f.from_court}应自收到本裁定之日起"
              f"{blank('移交期限')}日内将案卷材料移交{f.to_court}。")
    d.add("para", f"　　本裁定送达后立即生效。本裁定送达当事人，并通知{f.from_court}、{f.to_court}。")
    return _sign(d, f.decider, f, judges=True)


def supervise(f: Facts) -> Draft:
    """督促执行令 (执行程序解释第11条第1款: to the executing court, the applicant told in writing)."""
    d = _head(f, f.decider, "督促执行令", "督促执行令")
    d.add("to", f"{f.from_court}：")
    d.add("para", "　　你院" + _case_facts(f).removeprefix(f.from_court) + f"经审查，该案存在以下情形："
          f"{f.reasons}。")
    d.add("para", f"　　依据：{f.basis}。")
    d.add("para", f"　　依照上述规定，现责令你院自收到本令之日起{blank('督促期限')}日内"
          "依法执行，并将执行情况书面报告本院。")
    d.add("para", "　　逾期无正当理由仍未执行完结的，本院将依照执行程序解释第十二条的规定，裁定由本院执行"
          "或者指令本辖区其他人民法院执行。")
    d.add("order", "　　此令。")
    d.add("para", f"　　抄送：申请执行人{f.applicant}（书面通知，送达地址{blank('送达地址')}）。")
    return _sign(d, f.decider, f, judges=False)


def coordinate(f: Facts) -> Draft:
    """协同执行调度决定 (执行工作规定第8条、第74条第2款)."""
    d = _head(f, f.decider, "协同执行调度决定书", "决定书")
    lenders = "、".join(name for name, _ in f.lenders)
    d.add("to", f"{f.to_court}{'、' + lenders if lenders else ''}：")
    d.add("para", "　　" + _case_facts(f) + f"本院经审查认为，该案存在以下情形：{f.reasons}。")
    d.add("para", f"　　依据：{f.basis}。")
    d.add("para", "　　依照上述规定，决定如下：")
    if f.lenders:
        for i, (name, n) in enumerate(f.lenders, start=1):
            d.add("order", f"　　{_NUMERALS[min(i, 9)]}、由{name}抽调执行人员{n}名，于{blank('报到日期')}前"
                  f"到{f.to_court}报到，协同执行本案及该院其他执行力量不足的案件，期限至{blank('协同截止日期')}。")
        d.add("order", f"　　{_NUMERALS[min(len(f.lenders) + 1, 9)]}、本案仍由{f.to_court}执行，"
              "协同人员服从该院统一指挥。")
    else:
        d.add("order", f"　　本案仍由{f.to_court}执行，由本院统一协调指挥，"
              f"{f.to_court}应于{blank('报告期限')}前将执行方案报本院。")
    d.add("para", "　　本决定自作出之日起执行。")
    return _sign(d, f.decider, f, judges=False)


def entrust(f: Facts, m: Matter) -> Draft:
    """委托函 for one entrusted matter (委托执行规定第2条第2款、第4条第2款)."""
    d = _head(f, f.to_court, "委托执行函（事项委托）", "委托函")
    d.add("to", f"{m.court}：")
    d.add("para", f"　　本院执行的{f.case_id}申请执行人{f.applicant}与被执行人{f.debtor}执行一案，"
          f"被执行人的财产{m.kind}（编号{m.asset_id}，估值{m.value}）位于{m.place}。")
    d.add("para", f"　　依据：{f.entrust_basis}。")
    d.add("para", f"　　依照上述规定，特委托你院对上述财产办理"
          f"{blank('查封、扣押、冻结、评估、拍卖等事项')}。本委托经执行指挥中心综合管理平台办理，你院无需立案。")
    d.add("para", f"　　请于收到本函之日起{blank('办理期限')}日内办理完毕，并将办理结果函复本院。")
    d.add("para", f"　　附：执行依据、{blank('其他材料')}")
    d.add("para", f"　　联系人：{blank('姓名')}　联系电话：{blank('电话')}")
    return _sign(d, f.to_court, f, judges=False)


_NUMERALS = "〇一二三四五六七八九"
_DIGITS = "〇一二三四五六七八九"


def chinese_date(iso: str) -> str:
    """2026-01-01 → 二〇二六年一月一日 (the usual way a document is dated)."""
    try:
        y, m, d = (int(x) for x in iso.split("-"))
    except ValueError:
        return blank("日期")

    def small(n: int) -> str:
        if n < 10:
            return _DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")

    return "".join(_DIGITS[int(c)] for c in str(y)) + f"年{small(m)}月{small(d)}日"


DOCUMENTS = {"designate": designate, "elevate": elevate, "concentrate": concentrate,
             "supervise": supervise, "coordinate": coordinate}
