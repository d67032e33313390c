"""Which cases share one debtor (关联案件): linked by an identifier only — the 被执行人编号 column
(ID number, 统一社会信用代码, the case system's number). A name alone never links: two cases
against 张伟, one living in 莲都区 and one in 青田县, are two debtors unless both carry the same
identifier. Where only the name matches, the import warns and lists the cases, so the planner
can give them one identifier if they are one debtor.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from optimizer.data.identity import case_number_key, identifier_key, is_unlinked, name_key, unlinked_debtor_id
from optimizer.data.validate import Defect
from optimizer.io.xlsx_columns import CASES

_MAX_WARNINGS = 200
_MAX_LISTED = 8


def debtor_identity(text: str | None, case_id: str) -> str:
    """The debtor id of a case: its identifier as a key, or one of its own when there is none."""
    if text and identifier_key(text):
        return identifier_key(text)
    return unlinked_debtor_id(case_number_key(case_id))


def _listed(cases: list[tuple[int, dict[str, Any]]], place_name: dict[str, str]) -> str:
    shown = []
    for row, case in cases[:_MAX_LISTED]:
        debtor = case.get("debtor", {})
        place = place_name.get(str(debtor.get("place")), str(debtor.get("place") or "—"))
        ident = "无编号" if is_unlinked(str(case.get("debtor_id"))) else f"编号 {case.get('debtor_id')}"
        shown.append(f"第{row}行 {case.get('id')}（住所地 {place}，{ident}）")
    more = f" 等{len(cases)}件" if len(cases) > _MAX_LISTED else ""
    return "；".join(shown) + more


def same_name_warnings(cases: list[dict[str, Any]], rows: list[int],
                       place_name: dict[str, str]) -> list[Defect]:
    """A warning per debtor name carried by cases that are not linked (different debtor ids, at
    least one case without an identifier), listing those cases."""
    by_name: dict[str, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    for row, case in zip(rows, cases, strict=False):
        name = case.get("debtor", {}).get("name")
        if name and case.get("debtor_id"):
            by_name[name_key(str(name))].append((row, case))
    out = []
    for group in by_name.values():
        ids = {str(c["debtor_id"]) for _, c in group}
        if len(ids) < 2 or not any(is_unlinked(i) for i in ids):
            continue
        name = group[0][1]["debtor"]["name"]
        out.append(Defect(
            f"{CASES.name} 被执行人", None,
            f"同名被执行人 '{name}' 未关联：{_listed(group, place_name)}。仅姓名相同不视为同一被执行人；"
            "如为同一人，请填写相同的被执行人编号 (same debtor name, not linked: a name alone does not "
            "make one debtor; give the cases the same 被执行人编号 if it is one)"))
    if len(out) > _MAX_WARNINGS:
        rest = len(out) - _MAX_WARNINGS
        more = Defect(f"{CASES.name} 被执行人", None, f"另有{rest}组同名未关联的被执行人 ({rest} more such names)")
        out = [*out[:_MAX_WARNINGS], more]
    return out
