"""Small named scenarios, one per 执转破 screening condition (docs/outcomes.md, section 1).

Each holds one debtor group "X" under test (plus a plain case at court C so that the district is
never empty), and says what screening must conclude about X.
"""

from __future__ import annotations

from typing import Any

from tests.builders import case, scenario

#: a valid 统一社会信用代码 (check digit computed by GB 32100-2015)
CREDIT_CODE = "91331100MA28F3KX0D"


def _firm(**kw: Any) -> dict[str, Any]:
    return {"id": "X", "kind": "enterprise_legal_person", "credit_code": CREDIT_CODE, **kw}


def _x_cases(n: int = 2, *, assets: float | None = 1000.0, **kw: Any) -> list[dict[str, Any]]:
    """n open cases against X at courts A and B, each of 100,000 yuan."""
    courts = ["A", "B"]
    out = []
    for i in range(n):
        k = case(f"X{i}", courts[i % 2], debtor_id="X", **kw,
                 assets=None if assets is not None else [])
        if assets is not None:
            k["assets"][0]["value"] = assets
        out.append(k)
    return out


def _zhongben(debtor: str = "X", court: str = "A") -> list[dict[str, Any]]:
    return [{"court": court, "total": 40, "cases": [
        {"id": "（2024）浙1102执100号", "debtor_id": debtor, "filed": "2024-01-10",
         "terminated": "2024-06-20", "amount": 300000.0}]}]


def _with(cases: list[dict[str, Any]], **blocks: Any) -> dict[str, Any]:
    s = scenario([*cases, case("Z0", "C", debtor_id="Z", debtor_kind="person")])
    s.update(blocks)
    return s


def _consent(by: str = "debtor", case_id: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"date": "2025-12-15", "by": by}
    if case_id is not None:
        out["case"] = case_id
    return out


#: name → (scenario, expected status of X, expected receiving court of X or None)
SCENARIOS: dict[str, tuple[dict[str, Any], str, str | None]] = {
    # 1. not an enterprise legal person: never, whatever else holds
    "natural_person_with_zhongben": (_with(
        _x_cases(debtor_kind="person"), terminated=_zhongben(),
        debtors=[{"id": "X", "kind": "natural_person", "consent": _consent()}]),
        "not_applicable", "M"),
    "other_organisation_with_zhongben": (_with(
        _x_cases(), terminated=_zhongben(),
        debtors=[{"id": "X", "kind": "other_organisation", "consent": _consent()}]),
        "not_applicable", "M"),
    # 2. an enterprise with no sign of insolvency: property covers the claims, no 终本
    "enterprise_solvent": (_with(
        _x_cases(assets=500000.0), debtors=[_firm(consent=_consent())]),
        "not_applicable", "M"),
    # 3. signs of insolvency, no written consent: consult (ask the parties), nothing moves
    "enterprise_zhongben_no_consent": (_with(
        _x_cases(assets=500000.0), terminated=_zhongben(), debtors=[_firm()]),
        "consult", "M"),
    "enterprise_claims_above_assets_no_consent": (_with(
        _x_cases(assets=1000.0), debtors=[_firm()]), "consult", "M"),
    "enterprise_no_property_found": (_with(_x_cases(1, assets=None), debtors=[_firm()]),
                                     "consult", "M"),
    # 4. a company of the cases without a debtors record: legal personality unconfirmed
    "company_unconfirmed": (_with(_x_cases(assets=1000.0)), "consult", "M"),
    # 5. consent on record and conditions met: transfer, to the intermediate court of the domicile
    "transfer_debtor_consent": (_with(
        _x_cases(assets=1000.0), terminated=_zhongben(), debtors=[_firm(consent=_consent())]),
        "transfer", "M"),
    "transfer_applicant_consent": (_with(
        _x_cases(assets=1000.0), debtors=[_firm(consent=_consent("applicant", "X1"))]),
        "transfer", "M"),
    # 6. a basic court hears it only where the high court approved
    "transfer_basic_court_approved": (_with(
        _x_cases(assets=1000.0), terminated=_zhongben(),
        debtors=[_firm(consent=_consent(), bankruptcy_court="A")]), "transfer", "A"),
}
