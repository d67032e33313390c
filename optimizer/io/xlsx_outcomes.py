"""The plan workbook's 预测 and 执转破 sheets (with the scenario): the projection month by month for
the district and each court, plan against none (a projection, so labelled in every header), and
the screening list (docs/outcomes.md)."""

from __future__ import annotations

from typing import Any

from optimizer.data.problem import Problem
from optimizer.data.scenario import Scenario
from optimizer.io.xlsx_style import print_layout, write_table
from optimizer.outcomes.projection import project, to_dict
from optimizer.outcomes.screening_list import screening_rows
from optimizer.results.plan import Plan

PROJECTION, SCREENING = "预测", "执转破"
PROJECTION_HEADERS = ["法院", "法院编号", "月（0=规划日期）", "预测未结·有方案", "预测未结·无方案",
                      "差值（有−无）", "区间下限·有方案", "区间上限·有方案", "超六个月·有方案",
                      "超六个月·无方案", "执行完毕/和解·有方案", "终本·有方案", "其他结案·有方案",
                      "首执收案", "执恢收案·有方案", "终本库·有方案", "速率来源"]
SCREENING_HEADERS = ["结论", "被执行人编号", "在办案件", "终本案件", "涉及法院", "债权（元）",
                     "查明财产（元）", "受理法院", "理由", "依据", "计划人覆盖", "在办案件案号"]


def _rows(name: str, cid: str, block: dict[str, Any], source: str) -> list[list[Any]]:
    plan, none, diff, band = block["plan"], block["none"], block["difference"], block["plan_band"]
    out = []
    for t in range(len(plan["pending"])):
        flow = t - 1  # a month's flows end at its month end; month 0 is the plan date
        out.append([name, cid, t, plan["pending"][t], none["pending"][t], diff["pending"][t],
                    band["low"][t], band["high"][t], plan["pool6"][t], none["pool6"][t],
                    *(plan[k][flow] if t else None for k in ("exits_done", "exits_zhongben",
                                                              "exits_other", "filings",
                                                              "restorations")),
                    plan["zhongben_stock"][t], source])
    return out


def add_outcome_sheets(wb: Any, plan: Plan, scenario: Scenario) -> None:
    """预测 (the district first, then each court) and 执转破 (transfer, then consult)."""
    p = Problem.from_scenario(scenario)
    d = to_dict(project(p, plan))
    rows = _rows("全辖区（合计）", "", d["district"], "")
    for c in d["courts"]:
        rows += _rows(c["name"], c["court_id"], c,
                      "近12个月数据" if c["from_history"] else "公开数据默认值")
    ws = wb.create_sheet(PROJECTION)
    formats = {i: "#,##0" for i in range(3, 16)}
    write_table(ws, PROJECTION_HEADERS, rows, formats, widths={0: 26, 16: 14})
    print_layout(ws)
    groups = screening_rows(p, include_not_applicable=False, plan=plan)
    ws = wb.create_sheet(SCREENING)
    write_table(ws, SCREENING_HEADERS, [
        [g["status_label"], g["debtor_id"], g["open_cases"], g["zhongben_cases"], g["courts"],
         g["claims"], g["assets"], g["receiving_court_name"] or "（不在本场景）", g["reason"],
         g["basis"], "是" if g["overridden"] else "", "、".join(g["cases"])] for g in groups],
        {5: "#,##0.00", 6: "#,##0.00"}, widths={8: 48, 9: 48, 11: 40}, wrap={8, 9, 11})
    print_layout(ws)
