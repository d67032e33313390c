"""A plan as a workbook for planners: 汇总 (status, objective, KPIs, per-rule counts), 案件 (every
case: the decision, courts before and after, who decides, reasons, basis, wishes, cost by
term), 法院 (load before and after, capacity, officers lent and borrowed), 人员调配 (staff moves).

Formatted for reading (`xlsx_style`): bold frozen headers with the case number frozen beside the
rows, filters on the tables (not on the summary), widths for Chinese text, number and date
formats; and for printing: A4 landscape fitted to the page width, the header row and the case
number on every page. With the scenario the case rows also name the parties, the amount and the
filing date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from optimizer.data.case_columns import case_columns
from optimizer.data.scenario import Scenario
from optimizer.io.plan_labels import MODE_KEY_LABELS, court_names, decision_label, named
from optimizer.io.xlsx_outcomes import add_outcome_sheets
from optimizer.io.xlsx_style import DATE_FORMAT, print_layout, save_workbook, write_table
from optimizer.law.modes import Mode
from optimizer.law.vocabulary import KPI_LABELS, RULE_LABELS, plan_status_zh, rule_text, term_zh
from optimizer.model.costs import CASE_TERMS
from optimizer.results.plan import Plan

SUMMARY, CASES, COURTS, STAFF = "汇总", "案件", "法院", "人员调配"
CASE_HEADERS = ["案号", "决定", "原执行法院", "执行法院", "变更法院", "决定法院", "事由", "依据",
                "申请执行人意愿", "委托事项", "说明", "成本合计"] + [term_zh(t) for t in CASE_TERMS]
PARTY_HEADERS = ["申请执行人", "被执行人", "执行标的（元）", "立案日期"]
COURT_HEADERS = ["法院", "法院编号", "负荷（前）", "负荷（后）", "容量", "负荷率（前）", "负荷率（后）",
                 "执行人员", "借出人员", "借入人员", "移入案件", "移出案件", "受托事项"]
STAFF_HEADERS = ["借出法院", "借入法院", "人数"]
_COST = "#,##0.0"
_SHARE = "0.0%"


def _date(iso: str) -> dt.date | str:
    """A plan's ISO date as a date cell (text only if it is not one)."""
    try:
        return dt.date.fromisoformat(iso)
    except ValueError:
        return iso


def _summary_rows(plan: Plan) -> list[list[Any]]:
    status = plan_status_zh(plan.status)
    rows: list[list[Any]] = [
        ["方案 plan", plan.scenario, ""],
        ["规划日期 plan date", _date(plan.plan_date), "方案自该日起执行；第237条六个月期限按该日计算"],
        ["状态 status", f"{status} ({plan.status})", ""],
        ["目标值 objective", plan.objective, "成本点，1点≈当事人路程1分钟"],
        ["已证明下界 proven bound", plan.bound, ""],
        ["差距 gap", plan.gap, ""],
        ["方法 method", plan.method, ""],
        [],
        ["各方式案件数 cases per mode", "", ""],
    ]
    per_mode = plan.kpis.get("cases_per_mode", {})
    rows += [[f"  {m.label} {m.key}", per_mode.get(m.key, 0), ""] for m in Mode]
    rows += [[], ["指标 KPIs", "", ""]]
    rows += [[label.both(), plan.kpis[key], ""] for key, label in KPI_LABELS.items() if key in plan.kpis]
    rules = plan.kpis.get("rules", {})
    rows += [[], ["规则执行情况 rules applied (cases)", "", ""]]
    rows += [[rule_text(key), rules[key], ""] for key in RULE_LABELS if key in rules]
    rows += [[], ["目标分项 objective by term", "", ""]]
    rows += [[f"{term_zh(t)} {t}", v, ""] for t, v in plan.terms.items()]
    return rows


def _summary_format(key: str, value: Any) -> str | None:
    """The number format of a 汇总 value by what it is (a count, a share, a cost, a date)."""
    if isinstance(value, dt.date):
        return DATE_FORMAT
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if key.startswith("差距"):
        return "0.00%"
    if "率" in key or "基尼" in key:
        return "0.00"
    return "#,##0" if isinstance(value, int) else "#,##0.00"


def _summary(wb: Any, plan: Plan) -> None:
    ws = wb.create_sheet(SUMMARY)
    write_table(ws, ["项目 item", "值 value", "说明 note"], _summary_rows(plan),
                widths={0: 52, 1: 40, 2: 56}, wrap={1, 2}, auto_filter=False, freeze="A2")
    for row in ws.iter_rows(min_row=2, max_col=2):
        key, value = str(row[0].value or ""), row[1]
        number_format = _summary_format(key, value.value)
        if number_format:
            value.number_format = number_format
            value.alignment = Alignment(horizontal="right", vertical="top")
    print_layout(ws, repeat_first_column=False)


def _party_cells(scenario: Scenario) -> dict[str, tuple[str, str, float, dt.date]]:
    """Per case id: applicant, debtor, amount and filing date (`PARTY_HEADERS`), read from the
    scenario's case columns."""
    k = case_columns(scenario)
    return dict(zip(k.id, zip(k.applicant_name, k.debtor_name, k.amount, k.filed, strict=True),
                    strict=True))


def _case_rows(plan: Plan, names: dict[str, str],
               by_id: dict[str, tuple[str, str, float, dt.date]] | None) -> list[list[Any]]:
    rows = []
    for c in plan.cases:
        row: list[Any] = [c.case_id]
        if by_id is not None:
            cells = by_id.get(c.case_id)
            row += list(cells) if cells else [None] * 4
        row += [decision_label(c), named(names, c.from_court_id), named(names, c.court_id),
                "是" if c.court_id != c.from_court_id else "否", named(names, c.decided_by),
                "、".join(c.reasons), c.basis, "、".join(c.wishes), "、".join(c.entrusted_assets),
                c.note or "", round(sum(c.costs.values()), 2)]
        row += [c.costs.get(t, 0.0) for t in CASE_TERMS]
        rows.append(row)
    return rows


#: widths of the case sheet's columns, for reading on A4 landscape: long text wraps
_CASE_WIDTHS = {"案号": 24, "申请执行人": 14, "被执行人": 14, "执行标的（元）": 14, "立案日期": 11,
                "决定": 14, "原执行法院": 12, "执行法院": 12, "变更法院": 6, "决定法院": 12, "事由": 20,
                "依据": 36, "申请执行人意愿": 10, "委托事项": 12, "说明": 12, "成本合计": 10}
_CASE_WRAP = {"申请执行人", "被执行人", "决定", "原执行法院", "执行法院", "决定法院", "事由", "依据",
              "申请执行人意愿", "委托事项", "说明"}


def _cases(wb: Any, plan: Plan, names: dict[str, str], scenario: Scenario | None) -> None:
    ws = wb.create_sheet(CASES)
    by_id = _party_cells(scenario) if scenario else None
    extra = PARTY_HEADERS if by_id is not None else []
    headers = CASE_HEADERS[:1] + extra + CASE_HEADERS[1:]
    total = headers.index("成本合计")
    formats = {i: _COST for i in range(total, len(headers))}
    if extra:
        formats[headers.index("执行标的（元）")] = "#,##0.00"
        formats[headers.index("立案日期")] = DATE_FORMAT
    widths = {i: _CASE_WIDTHS.get(h, 10) for i, h in enumerate(headers)}
    wrap = {i for i, h in enumerate(headers) if h in _CASE_WRAP}
    write_table(ws, headers, _case_rows(plan, names, by_id), formats, widths, wrap)
    # the cost by term is for analysts on screen; the page carries the case up to its total
    print_layout(ws, print_columns=total + 1)


def _courts(wb: Any, plan: Plan) -> None:
    ws = wb.create_sheet(COURTS)
    rows = [[c.name, c.court_id, c.load_before, c.load_after, c.capacity,
             c.load_before / c.capacity if c.capacity else None,
             c.load_after / c.capacity if c.capacity else None,
             c.officers, c.officers_lent, c.officers_borrowed, c.cases_in, c.cases_out,
             c.matters_received] for c in plan.courts]
    formats = {2: _COST, 3: _COST, 4: _COST, 5: _SHARE, 6: _SHARE} | {i: "#,##0" for i in range(7, 13)}
    write_table(ws, COURT_HEADERS, rows, formats, widths={0: 26})
    print_layout(ws)


def _staff(wb: Any, plan: Plan, names: dict[str, str]) -> None:
    ws = wb.create_sheet(STAFF)
    rows = [[named(names, m.from_court), named(names, m.to_court), m.officers]
            for m in plan.staff_moves]
    write_table(ws, STAFF_HEADERS, rows, {2: "#,##0"}, widths={0: 26, 1: 26, 2: 8})
    print_layout(ws)


def write_plan_workbook(plan: Plan, path: str | Path, scenario: Scenario | None = None) -> None:
    """The plan as a readable workbook (sheets 汇总, 案件, 法院, 人员调配; with the scenario also
    预测 and 执转破), written whole or not at all."""
    names = court_names(plan, scenario)
    wb = Workbook()
    wb.remove(wb.active)
    _summary(wb, plan)
    _cases(wb, plan, names, scenario)
    _courts(wb, plan)
    _staff(wb, plan, names)
    if scenario is not None:
        add_outcome_sheets(wb, plan, scenario)
    save_workbook(wb, path)


__all__ = ["CASE_HEADERS", "COURT_HEADERS", "MODE_KEY_LABELS", "STAFF_HEADERS", "write_plan_workbook"]
