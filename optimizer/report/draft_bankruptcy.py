"""The 执转破 drafts, in the placeholder style of `draft_texts.py`: the 移送破产审查决定书 of a debtor
group screened `transfer` and the 征询意见函 to the parties of a group screened `consult`
(docs/outcomes.md, section 1).

What they cite, as checked: 民诉法解释第511条 (suspension and transfer with the consent of one of
the applicants or of the debtor; the court of the debtor's domicile) and 第514条 (enforcement
goes on when nobody consents), in the project's law folder; 法发〔2017〕2号, a judicial policy
document whose text is not in the law folder, only for the written consent, the intermediate
court and the duty to inform and ask (items 2–4) and by its name, no article number of it quoted
in the order. The issuing court of a transfer is the executing court whose case carries the
consent (its president decides: a placeholder signs), the other executing courts are told to
suspend; a 征询意见函 comes from the court holding most of the group's cases in the district.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from optimizer.data.problem import Problem
from optimizer.data.scenario import Scenario
from optimizer.data.screening import IND_NO_PROPERTY, IND_SHORT, IND_ZHONGBEN
from optimizer.law.bankruptcy import Screening
from optimizer.report.doc_numbers import chinese_date
from optimizer.report.draft_texts import Draft, blank, sign

INTERPRETATION = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
POLICY = "《最高人民法院关于执行案件移送破产审查若干问题的指导意见》（法发〔2017〕2号）"


@dataclass(frozen=True)
class Group:
    """One screened debtor group, as the drafts need it."""

    debtor: str
    debtor_name: str
    status: Screening
    facts: str  # the signs of insolvency the court holds, in a document's words
    cases: tuple[tuple[str, str, str], ...]  # (案号, executing court name, applicant name)
    receiving: str  # the receiving court's name, or a placeholder
    issuer: str  # the issuing court's name
    other_courts: tuple[str, ...]  # the other executing courts (told to suspend)
    consent: str  # who consented and when, or ""
    credit_code: str  # 统一社会信用代码, or a placeholder


def groups(p: Problem, scenario: Scenario, statuses: tuple[Screening, ...]) -> list[Group]:
    """The district's groups of the given statuses, largest first."""
    r = p.screening
    names = {c.id: c.name for c in scenario.courts}
    block = {d.id: d for d in scenario.debtors}
    members: dict[int, list[int]] = {}
    for i, row in enumerate(r.case_row.tolist()):
        if row >= 0 and r.status[row] in statuses and p.in_district[p.case_court[i]]:
            members.setdefault(row, []).append(i)
    out = []
    for row, idx in sorted(members.items(), key=lambda x: -len(x[1])):
        cases = [scenario.cases[i] for i in idx]
        debtor = block.get(r.debtor_ids[row])
        consent = debtor.consent if debtor is not None else None
        by_court = Counter(k.court for k in cases)
        issuer = by_court.most_common(1)[0][0]
        said = ""
        if consent is not None:
            who = "被执行人" if consent.by == "debtor" else "申请执行人"
            case = next((k for k in cases if k.id == consent.case), None)
            if case is not None:
                issuer = case.court
                who = f"{case.id}的申请执行人{case.applicant.name}"
            said = f"{who}于{chinese_date(consent.date.isoformat())}书面同意移送破产审查"
        court = int(r.receiving_court[row])
        out.append(Group(
            debtor=r.debtor_ids[row], debtor_name=cases[0].debtor.name,
            status=Screening(int(r.status[row])),
            facts=_facts(int(r.indicators[row]), float(r.claims[row]), float(r.assets[row])),
            cases=tuple((k.id, names[k.court], k.applicant.name) for k in cases),
            receiving=scenario.courts[court].name if court >= 0 else blank("被执行人住所地中级人民法院"),
            issuer=names[issuer], other_courts=tuple(names[c] for c in by_court if c != issuer),
            consent=said, credit_code=(debtor.credit_code if debtor and debtor.credit_code
                                       else blank("统一社会信用代码"))))
    return out


def _facts(indicators: int, claims: float, assets: float) -> str:
    parts = []
    if indicators & IND_ZHONGBEN:
        parts.append("被执行人已有执行案件因未发现可供执行的财产被裁定终结本次执行程序")
    if indicators & IND_NO_PROPERTY:
        parts.append("经财产调查未发现被执行人可供执行的财产")
    if indicators & IND_SHORT:
        parts.append(f"申请执行的债权合计{claims:,.2f}元，超过已查明的财产{assets:,.2f}元")
    return "，".join(parts) or blank("不能清偿到期债务的事实")


def _case_list(g: Group) -> str:
    return "、".join(f"{cid}（{court}）" for cid, court, _ in g.cases)


def transfer_decision(g: Group, date: str) -> Draft:
    """移送破产审查决定书: the issuing court to the receiving court (民诉法解释第511条)."""
    d = Draft("移送破产审查决定书").add("issuer", g.issuer).add("title", "移送破产审查决定书")
    d.add("number", f"（{blank('年度')}）{blank('法院代字')}执{blank('序号')}号")
    d.add("to", f"{g.receiving}：")
    d.add("para", f"被执行人：{g.debtor_name}，住所地{blank('详细地址')}，统一社会信用代码{g.credit_code}。")
    d.add("para", f"法定代表人：{blank('姓名')}，{blank('职务')}。")
    d.add("para", f"　　本院及有关法院在执行以{g.debtor_name}为被执行人的下列案件中：{_case_list(g)}，"
          f"发现{g.facts}。{g.consent}。")
    d.add("para", f"　　本院经审查认为，被执行人{g.debtor_name}系企业法人，不能清偿到期债务，并且资产不足以"
          f"清偿全部债务或者明显缺乏清偿能力，{blank('具体事实与证据')}。依照{INTERPRETATION}第五百一十一条"
          f"之规定，参照{POLICY}，决定如下：")
    d.add("order", f"　　将被执行人{g.debtor_name}的上列执行案件移送{g.receiving}进行破产审查。本院另行裁定中止"
          "对该被执行人的执行，查封、扣押、冻结措施在受理前不予解除。")
    if g.other_courts:
        d.add("para", f"　　本决定同时通知{'、'.join(g.other_courts)}，请各院中止对该被执行人的执行。")
    d.add("para", f"　　附：执行案件相关材料{blank('材料清单')}")
    d.add("sign", f"院长　{blank('姓名')}")
    sign(d, g.issuer, date, judges=False, certified=False)
    return d.add("para", f"抄送：申请执行人{'、'.join(dict.fromkeys(a for _, _, a in g.cases))}，"
                         f"被执行人{g.debtor_name}")


def consult_letter(g: Group, date: str) -> Draft:
    """征询意见函 to the parties of a `consult` group: the conditions appear to be met, no written
    consent is on record; they are told and asked, nothing is transferred on this ground."""
    applicants = "、".join(dict.fromkeys(a for _, _, a in g.cases))
    d = Draft("征询意见函").add("issuer", g.issuer).add("title", "征询意见函")
    d.add("number", f"（{blank('年度')}）{blank('法院代字')}执{blank('序号')}号")
    d.add("to", f"申请执行人{applicants}、被执行人{g.debtor_name}：")
    d.add("para", f"　　在执行以{g.debtor_name}为被执行人的下列案件中：{_case_list(g)}，本院发现{g.facts}。"
          f"被执行人可能具有企业破产法第二条规定的情形。")
    d.add("para", f"　　依照{INTERPRETATION}第五百一十一条之规定，经申请执行人之一或者被执行人同意，执行法院"
          f"可以将执行案件相关材料移送被执行人住所地人民法院（{g.receiving}）进行破产审查；参照{POLICY}，"
          "特告知你方并征询意见。")
    d.add("para", f"　　请于收到本函之日起{blank('答复期限')}日内书面答复是否同意移送破产审查。当事人均不同意"
          f"移送的，本院依照{INTERPRETATION}第五百一十四条之规定继续执行。")
    d.add("para", f"　　联系人：{blank('姓名')}　联系电话：{blank('电话')}")
    return sign(d, g.issuer, date, judges=False, certified=False)
