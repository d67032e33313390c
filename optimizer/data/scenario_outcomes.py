"""The optional blocks of a scenario that say what happens after the plan date: the debtors
(被执行人: kind, unified credit code, written consent to 执转破), each court's 终本库 (cases closed
by 终结本次执行程序, with their dates) and each court's last twelve months (filings, closures by
outcome, pending at month ends).

All three may be left out: screening then reads the cases' own debtor fields, and the projection
uses the published defaults of `optimizer/data/outcome_defaults.py` (docs/outcomes.md). Each record
is checked on its own here; checks across records (references, dates, month order) live in
`validate_outcomes.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

NO_CONTROL = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
_Id = Annotated[str, Field(min_length=1, max_length=64, pattern=NO_CONTROL)]
_Count = Annotated[int, Field(ge=0, le=10_000_000)]
_Yuan = Annotated[float, Field(ge=0, le=1e13, allow_inf_nan=False)]
#: 统一社会信用代码 (GB 32100-2015): 18 characters from digits and 21 capital letters
CREDIT_CODE = r"^[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}$"
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"

DebtorKind = Literal["enterprise_legal_person", "natural_person", "other_organisation"]
DEBTOR_KIND_LABELS = {"enterprise_legal_person": "企业法人", "natural_person": "自然人",
                      "other_organisation": "其他组织"}


class _Block(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Many(BaseModel):
    """Records that may number in the hundreds of thousands (not frozen: see `_CaseRecord`)."""

    model_config = ConfigDict(extra="forbid")


class Consent(_Block):
    """书面同意移送破产审查 (民诉法解释第511条: 申请执行人之一或者被执行人同意; 法发〔2017〕2号
    asks for it in writing)."""

    date: dt.date = Field(description="Date of the written consent (书面同意的日期).")
    by: Literal["debtor", "applicant"] = Field(
        description="Who consented: the debtor (被执行人) or the applicant (申请执行人) of one of "
        "the cases against it.")
    case: _Id | None = Field(
        None, description="案号 of the case whose applicant consented (required when `by` is "
        "'applicant'; an open case or a 终本 case of this debtor).")


class Debtor(_Block):
    """A debtor (被执行人) of the scenario's cases, for 执转破 screening."""

    id: _Id = Field(description="The cases' `debtor_id`.")
    kind: DebtorKind = Field(
        description="企业法人 enterprise_legal_person, 自然人 natural_person or 其他组织 "
        "other_organisation (个体工商户, 合伙企业, 非法人组织…).")
    credit_code: str | None = Field(
        None, pattern=CREDIT_CODE,
        description="统一社会信用代码, 18 characters, check digit verified; null where unknown.")
    place: _Id | None = Field(
        None, description="Domicile (住所地) place id; null = the debtor place of its cases.")
    consent: Consent | None = Field(None, description="Written consent to transfer, if any.")
    assets_found: _Yuan | None = Field(
        None, description="All property found by the courts (财产调查查明的财产), yuan; null = the "
        "value of the assets listed on its open cases. 0–10,000,000,000,000 (10^13).")
    bankruptcy_court: _Id | None = Field(
        None, description="A basic court the high court approved (经高级人民法院批准) to hear this "
        "debtor's bankruptcy; null = the intermediate court of its domicile (法发〔2017〕2号).")


class TerminatedCase(_Many):
    """A case closed by 终结本次执行程序 (终本), kept in its court's 终本库."""

    id: _Id = Field(description="案号.")
    debtor_id: _Id | None = Field(None, description="Links it to a debtor's other cases.")
    filed: dt.date = Field(description="Filing date (立案日期).")
    terminated: dt.date = Field(description="Date of the 终本 ruling (终本裁定日期).")
    amount: _Yuan | None = Field(None, description="Amount left unexecuted, yuan; 0–10,000,000,000,000 (10^13).")


class TerminatedStock(_Block):
    """One court's 终本库."""

    court: _Id = Field(description="The court that ruled 终本.")
    total: _Count | None = Field(
        None, description="Cases in the court's 终本库 within the last five years, listed or not; "
        "null = the listed ones. 0–10,000,000.")
    cases: tuple[TerminatedCase, ...] = Field((), description="终本 cases listed one by one.")


class HistoryMonth(_Block):
    """One calendar month of a court's enforcement statistics (执行案件统计)."""

    month: str = Field(pattern=MONTH, description="Calendar month, 'YYYY-MM'.")
    filed: _Count = Field(description="New first-execution cases filed (首执收案); 0–10,000,000.")
    restored: _Count = Field(0, description="执恢 cases filed (restorations from the 终本库); 0–10,000,000.")
    closed_done: _Count = Field(description="Closed by performance or settlement (执行完毕/和解); 0–10,000,000.")
    closed_terminated: _Count = Field(description="Closed by 终本; 0–10,000,000.")
    closed_other: _Count = Field(description="Closed otherwise (终结执行、销案、驳回、不予执行); 0–10,000,000.")
    pending_end: _Count = Field(description="Open cases at the month's end (月末未结); 0–10,000,000.")


class CourtHistory(_Block):
    """A court's last months (up to 24, normally the 12 before the plan date)."""

    court: _Id
    months: tuple[HistoryMonth, ...] = Field(
        min_length=1, max_length=24, description="Consecutive months, oldest first.")
