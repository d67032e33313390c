"""执行转破产 (执转破): the three screening outcomes of a debtor group, their conditions and the
texts they cite (docs/outcomes.md, section 1).

Sources, as checked: 民诉法解释 (2022) 第511–514条, in the project's law folder (`law/`); the
SPC's 《关于执行案件移送破产审查若干问题的指导意见》 (法发〔2017〕2号) is a judicial policy document
(司法政策性文件), not a judicial interpretation, and its text is not in the law folder: it is cited
as such, for the three conditions (item 2), the receiving court (item 3) and the duty to inform
and consult the parties (item 4) only.
"""

from __future__ import annotations

from enum import IntEnum

from optimizer.law.vocabulary import SCREENING_LABELS

POLICY_DOC = "法发〔2017〕2号（司法政策性文件）"


class Screening(IntEnum):
    """What screening says about one debtor group (all open cases against one debtor)."""

    NOT_APPLICABLE = 0  # 不适用: not an enterprise legal person, or no sign of insolvency
    CONSULT = 1  # 征询: conditions indicated, no written consent: ask the parties, move nothing
    TRANSFER = 2  # 移送: written consent on record, conditions met: suspend and transfer

    @property
    def key(self) -> str:
        return ("not_applicable", "consult", "transfer")[self]

    @property
    def label(self) -> str:
        return SCREENING_LABELS[self.key].zh


SCREENING_BY_KEY = {s.key: s for s in Screening}

#: the recorded basis (规范性) of each outcome
BASIS = {
    Screening.NOT_APPLICABLE: f"民诉法解释第511条（作为被执行人的企业法人）；{POLICY_DOC}第2条（移送条件）",
    Screening.CONSULT: (f"{POLICY_DOC}第2条（移送条件）、第4条（告知、征询当事人意见）；"
                        "民诉法解释第511条（经申请执行人之一或者被执行人同意）；"
                        "当事人均不同意的，依民诉法解释第514条继续执行"),
    Screening.TRANSFER: ("民诉法解释第511条（裁定中止执行，移送被执行人住所地人民法院）、第512条、"
                         f"第513条；{POLICY_DOC}第2条（移送条件）、第3条（中级人民法院管辖）"),
}

#: why a condition fails or holds, in both languages (the screening list's reason column)
KIND_TEXT = {
    "enterprise": "被执行人为企业法人 an enterprise legal person",
    "enterprise_indicated": "被执行人为企业（是否企业法人待核实）an enterprise, legal personality "
                            "to be confirmed",
    "natural_person": "被执行人为自然人，不适用 a natural person: not applicable",
    "other": "被执行人非企业法人，不适用 not an enterprise legal person: not applicable",
}
INDICATOR_TEXT = {
    "zhongben": "已有终本案件 a case already closed by 终本",
    "no_property": "财产调查未发现可供执行财产 investigation found no property",
    "short": "债权超过查明财产、债权人多于一人 claims above the property found, more than one "
             "creditor",
    "none": "未见不能清偿到期债务的迹象 no sign of insolvency in the court's records",
}
CONSENT_TEXT = {
    True: "已有书面同意 written consent on record",
    False: "无书面同意：告知并征询当事人意见，不以此移送 no written consent: inform and ask the "
           "parties; nothing moves on this ground",
}

#: what the plan records for a case of a group sent to bankruptcy review
SUSPENDED_REASON = "执转破：移送破产审查 transferred to bankruptcy review"
SUSPENDED_NOTE = ("中止执行（民诉法解释第511条）：被执行人移送破产审查，各执行法院均中止执行；"
                  "不交叉执行、不集中执行、不派员协同 suspended: the debtor is sent to bankruptcy "
                  "review; not cross-executed, concentrated or lent for")
SUSPENDED_BASIS = ("民诉法解释第511条（裁定中止执行）；"
                   f"{POLICY_DOC}（所有执行法院均中止执行）")
RELEASED_NOTE = ("计划人决定本组不移送破产审查，照常规划 the planner overrode the screening: "
                 "planned as usual")
