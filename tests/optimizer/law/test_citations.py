"""One table of citations, cited everywhere: the recorded bases in docs/law.md are the code's
(`optimizer/law/modes.py`, `BASIS`), string for string; no answer of the workbench cites
民事诉讼法第237条 for a case within the six months."""

from __future__ import annotations

import re

import pytest

from optimizer.data.problem import Problem
from optimizer.law.modes import BASIS, EARLY_REQUEST_WISH, OUTSIDE_DISTRICT_NOTE, TERMINABLE_REASON
from optimizer.workbench.view import view
from optimizer.workbench.whynot import RULES, why_not
from tests.builders import case, scenario
from tests.conftest import ROOT, plan_for

LAW = (ROOT / "docs" / "law.md").read_text(encoding="utf-8")
_ROW = re.compile(r"^\| `(\w+)` \|[^\n]*\| `([^`]*)` \|$", re.MULTILINE)


def _table(heading: str) -> dict[str, str]:
    start = LAW.index(heading)
    end = LAW.index("\n## ", start)
    return dict(_ROW.findall(LAW[start:end]))


def test_the_basis_table_of_the_page_is_the_codes() -> None:
    # before: the code said "民事诉讼法第237条：逾六个月未执行，申请执行人未申请" where the page said
    # "执行工作规定第74条…" — two tables
    page = _table("### Basis strings")
    page.pop("TERMINABLE_REASON"), page.pop("OUTSIDE_DISTRICT_NOTE"), page.pop("EARLY_REQUEST_WISH")
    assert page == BASIS


def test_what_the_plan_says_where_it_decides_nothing_is_on_the_page() -> None:
    page = _table("### Basis strings")
    assert page["TERMINABLE_REASON"] == TERMINABLE_REASON
    assert page["OUTSIDE_DISTRICT_NOTE"] == OUTSIDE_DISTRICT_NOTE
    assert page["EARLY_REQUEST_WISH"] == EARLY_REQUEST_WISH


@pytest.mark.parametrize("key", sorted(BASIS))
def test_article_237_only_with_an_application(key: str) -> None:
    cited = "第237条" in BASIS[key]
    assert cited == (key.endswith("_applied") or key == "applied"), key


def test_why_not_never_cites_article_237() -> None:
    # before: why-not `home_locality` cited 第237条 for a case filed a month ago
    assert not [k for k, (_, article) in RULES.items() if "237" in article]
    k = case("K1", "A", interference=True, debtor_kind="government", filed="2025-12-01")
    s, plan = plan_for(scenario([k], weights={"mode_designate": 10.0}))
    w = why_not(view(Problem.from_scenario(s), plan), "K1", "A")
    assert w.rule == "home_locality" and "第237条" not in w.article
    assert "执行工作规定第74条第2款" in w.article
