"""A plan as one self-contained HTML page that works offline: no CDN, no tile server, no external
font; the drawings are inline SVG (`svg.py`), the script and style inline (`html_assets.py`).

Sections: the head (status, objective, bound, gap), the district map with case moves and staff
loans, load per court before and after, cases per mode, the KPIs and per-rule counts, the
projection (district and courts, plan against none) and the 执转破 screening list, and a
searchable, sortable table of every case whose rows open to the case's explanation.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from optimizer.data.scenario import Scenario
from optimizer.io.plan_labels import court_names, decision_label, named
from optimizer.law.modes import Mode
from optimizer.law.vocabulary import KPI_LABELS, RULE_LABELS, plan_status_zh, rule_text, term_zh
from optimizer.model.costs import CASE_TERMS
from optimizer.report.html_assets import CSS, JS
from optimizer.report.outcomes_html import outcomes_sections
from optimizer.report.svg import (
    LOAN_COLOUR,
    MOVE_COLOUR,
    OUTLINES_NOTE,
    count_bars,
    district_map,
    load_bars,
)
from optimizer.results.plan import Plan

#: the case table's columns: (header, numeric)
CASE_COLUMNS = (("案号 case", False), ("决定 decision", False), ("原法院 from", False),
                ("执行法院 to", False), ("决定法院 decided by", False), ("事由 reasons", False),
                ("成本 cost", True))


def _table(headers: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    head = "".join(f'<th{" class=n" if i in numeric else ""}>{escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(
        f'<td{" class=n" if i in numeric else ""}>{escape(_fmt(v))}</td>' for i, v in enumerate(r))
        + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.4g}" if abs(v) < 10 else f"{v:,.1f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def _head(plan: Plan, scenario: Scenario) -> str:
    status = plan_status_zh(plan.status)
    dispatcher = next((c.name for c in scenario.courts if c.id == scenario.dispatcher),
                      scenario.dispatcher)
    return (f"<header><h1>交叉执行方案 {escape(plan.scenario)}</h1>"
            f"<p>统一调度法院 {escape(dispatcher)} · 规划日期 plan date {escape(plan.plan_date)} · "
            f"状态 {escape(status)} ({escape(plan.status)}) · 目标值 objective {plan.objective:,.1f} · "
            f"已证明下界 bound {plan.bound:,.1f} · 差距 gap {plan.gap:.3%}</p></header>")


def _map_section(plan: Plan, scenario: Scenario) -> str:
    moved = sum(c.court_id != c.from_court_id for c in plan.cases)
    lent = sum(m.officers for m in plan.staff_moves)
    legend = (f'<p class="legend"><span><i class="sw" style="background:{MOVE_COLOUR}"></i>'
              f'案件移送 case moves（{moved} 件，线宽按件数）</span>'
              f'<span><i class="sw" style="background:{LOAN_COLOUR}"></i>人员借调 staff loans'
              f'（{lent} 人，虚线）</span>'
              '<span>圆：面积按规划后负荷；绿 ≤100%，橙 ≤120%，红 >120% 负荷率</span></p>')
    return (f"<section><h2>辖区地图 District map</h2>{legend}{district_map(plan, scenario)}"
            f'<p class="muted">等距圆柱投影（经纬度）equirectangular projection. {escape(OUTLINES_NOTE)}</p>'
            "</section>")


def _charts(plan: Plan) -> str:
    per_mode = plan.kpis.get("cases_per_mode", {})
    modes = [(f"{m.label} {m.key}", int(per_mode.get(m.key, 0))) for m in Mode]
    return (f'<div class="grid"><section><h2>各院负荷 Load per court</h2>{load_bars(plan.courts)}'
            f'</section><section><h2>各方式案件数 Cases per mode</h2>{count_bars(modes)}</section></div>')


def _kpi_section(plan: Plan) -> str:
    k = plan.kpis
    kpis = [[label.both(), k[key]] for key, label in KPI_LABELS.items() if key in k]
    rules = k.get("rules", {})
    rule_rows = [[rule_text(key), rules[key]] for key in RULE_LABELS if key in rules]
    terms = [[f"{term_zh(t)} {t}", v] for t, v in plan.terms.items()]
    return ('<div class="grid">'
            f'<section><h2>指标 KPIs</h2>{_table(["指标 KPI", "值 value"], kpis, {1})}</section>'
            f'<section><h2>规则执行情况 Rules applied</h2>'
            f'{_table(["规则 rule", "件 cases"], rule_rows, {1})}'
            f'<h2>目标分项 Objective by term</h2>{_table(["分项 term", "成本 cost"], terms, {1})}'
            "</section></div>")


def _court_section(plan: Plan, names: dict[str, str]) -> str:
    rows = [[c.name, c.load_before, c.load_after, c.capacity,
             f"{c.load_after / c.capacity:.0%}" if c.capacity else "—", c.officers_lent,
             c.officers_borrowed, c.cases_in, c.cases_out, c.matters_received] for c in plan.courts]
    moves = [[named(names, m.from_court), named(names, m.to_court), m.officers]
             for m in plan.staff_moves]
    out = _table(["法院 court", "负荷前 before", "负荷后 after", "容量 capacity", "负荷率 util",
                  "借出 lent", "借入 borrowed", "移入 in", "移出 out", "受托事项 matters"], rows,
                 set(range(1, 10)))
    staff = _table(["借出 from", "借入 to", "人数 officers"], moves, {2}) if moves else \
        '<p class="muted">无人员借调 no staff moves</p>'
    return f"<section><h2>法院 Courts</h2>{out}<h2>人员调配 Staff moves</h2>{staff}</section>"


def case_data(plan: Plan, names: dict[str, str]) -> dict[str, Any]:
    """The case table's data for the page's script: visible columns, then the explanation."""
    rows = []
    for c in plan.cases:
        rows.append([c.case_id, decision_label(c), named(names, c.from_court_id),
                     named(names, c.court_id), named(names, c.decided_by), "、".join(c.reasons),
                     round(sum(c.costs.values()), 2),
                     {"reasons": "、".join(c.reasons), "basis": c.basis, "wishes": "、".join(c.wishes),
                      "entrusted": "、".join(c.entrusted_assets), "note": c.note or "",
                      "costs": [round(c.costs.get(t, 0.0), 2) for t in CASE_TERMS]}])
    return {"columns": [{"name": n, "num": num} for n, num in CASE_COLUMNS],
            "terms": [term_zh(t) for t in CASE_TERMS], "rows": rows}


def _script_json(value: Any) -> str:
    """JSON safe inside <script>: no '<' (a case id holding '</script>' cannot end the block)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(
        "\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _case_section(plan: Plan, names: dict[str, str]) -> str:
    head = "".join(f'<th{" class=n" if num else ""}>{escape(n)}</th>' for n, num in CASE_COLUMNS)
    return ("<section><h2>案件 Cases</h2>"
            '<p><input type="search" id="case-search" placeholder="搜索 案号、法院、方式、事由… search">'
            ' <span id="case-count" class="muted"></span></p>'
            '<p class="muted">点击表头排序，点击案件查看说明 (click a header to sort, a case to see '
            "its explanation)</p>"
            f'<table id="cases"><thead><tr>{head}</tr></thead><tbody></tbody></table>'
            '<p><button id="case-more" type="button">显示更多 show more</button></p>'
            f'<script type="application/json" id="case-data">{_script_json(case_data(plan, names))}'
            "</script></section>")


def plan_report(plan: Plan, scenario: Scenario) -> str:
    """The whole page as text (UTF-8 when written)."""
    names = court_names(plan, scenario)
    body = (_head(plan, scenario) + "<main>" + _map_section(plan, scenario) + _charts(plan)
            + _kpi_section(plan) + outcomes_sections(plan, scenario) + _court_section(plan, names)
            + _case_section(plan, names)
            + '<p class="muted">courtplan 生成 · 本页不引用任何外部资源 (this page loads nothing from '
            "outside)</p></main>")
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>交叉执行方案 {escape(plan.scenario)}</title><style>{CSS}</style></head>"
            f"<body>{body}<script>{JS}</script></body></html>\n")
