"""The report's "and then what?" sections: the projection (a chart for the district and one per
court, plan against none with the band) and the 执转破 screening list. Inline SVG, no script."""

from __future__ import annotations

from html import escape
from typing import Any

from optimizer.data.problem import Problem
from optimizer.data.scenario import Scenario
from optimizer.outcomes.projection import kpi_label, project, to_dict
from optimizer.outcomes.screening_list import screening_rows
from optimizer.results.plan import Plan

PLAN_COLOUR, NONE_COLOUR, BAND_COLOUR = "#1f6fb2", "#888888", "#cfe0f1"
MAX_COURT_CHARTS = 24
MAX_SCREENING_ROWS = 200


def line_chart(plan: list[float], none: list[float], low: list[float], high: list[float],
               title: str, width: int = 260, height: int = 120) -> str:
    """Pending month by month: the plan (solid), no plan (dashed), the plan's band (shaded)."""
    values = [*plan, *none, *low, *high]
    top, bottom = max(values), min(values)
    span = (top - bottom) or max(abs(top), 1.0)
    left, right, up, down = 44, 6, 16, 16

    def xy(t: int, v: float) -> str:
        x = left + (width - left - right) * t / max(len(plan) - 1, 1)
        y = up + (height - up - down) * (1 - (v - bottom) / span)
        return f"{x:.1f},{y:.1f}"

    band = " ".join([xy(t, v) for t, v in enumerate(low)]
                    + [xy(t, v) for t, v in reversed(list(enumerate(high)))])
    line = lambda s: " ".join(xy(t, v) for t, v in enumerate(s))  # noqa: E731
    return (f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
            f'<polygon points="{band}" fill="{BAND_COLOUR}"/>'
            f'<polyline points="{line(none)}" fill="none" stroke="{NONE_COLOUR}" '
            'stroke-dasharray="4 3" stroke-width="1.5"/>'
            f'<polyline points="{line(plan)}" fill="none" stroke="{PLAN_COLOUR}" stroke-width="2"/>'
            f'<text x="2" y="{up - 4}" font-size="10">{escape(title)}</text>'
            f'<text x="2" y="{up + 8}" font-size="9">{top:,.0f}</text>'
            f'<text x="2" y="{height - down}" font-size="9">{bottom:,.0f}</text>'
            f'<text x="{left}" y="{height - 3}" font-size="9">0</text>'
            f'<text x="{width - right - 14}" y="{height - 3}" font-size="9">{len(plan) - 1}月</text>'
            "</svg>")


def _chart(block: dict[str, Any], title: str) -> str:
    return line_chart(block["plan"]["pending"], block["none"]["pending"],
                      block["plan_band"]["low"], block["plan_band"]["high"], title)


def projection_section(d: dict[str, Any]) -> str:
    """The projection: the district's chart and KPIs, then the courts with the largest effect."""
    months = d["months"]
    legend = (f'<p class="legend"><span><i class="sw" style="background:{PLAN_COLOUR}"></i>'
              f'有方案 plan</span><span><i class="sw" style="background:{NONE_COLOUR}"></i>'
              f'无方案 none（虚线）</span><span><i class="sw" style="background:{BAND_COLOUR}">'
              "</i>区间 band（结案速率±）</span></p>")
    kpi_rows = "".join(
        f"<tr><td>{escape(kpi_label(k))}</td><td class=n>{v['plan']:,}</td><td class=n>{v['none']:,}</td>"
        f"<td class=n>{v['difference']:+,}</td></tr>"
        for k, v in d["kpis"].items() if isinstance(v, dict))
    courts = sorted(d["courts"], key=lambda c: abs(c["difference"]["pending"][months]),
                    reverse=True)
    charts = "".join(_chart(c, c["name"]) for c in courts[:MAX_COURT_CHARTS])
    more = (f'<p class="muted">另有 {len(courts) - MAX_COURT_CHARTS} 个法院（差值较小）and more '
            "courts with smaller effects (courtplan project --courts 0)</p>"
            if len(courts) > MAX_COURT_CHARTS else "")
    assumptions = "".join(f"<li>{escape(a)}</li>" for a in d["assumptions"])
    return ("<section><h2>预测（非预报）Projection, not a forecast — 未结案件 pending cases</h2>"
            f"{legend}{_chart(d['district'], '全辖区 district')}"
            '<table><thead><tr><th>指标 KPI</th><th class=n>有方案 plan</th>'
            '<th class=n>无方案 none</th><th class=n>差值 plan − none</th></tr></thead>'
            f"<tbody>{kpi_rows}</tbody></table>"
            f'<h3>各法院（按差值排序）Courts, largest effect first</h3><div class="charts">{charts}'
            f"</div>{more}<details><summary>假设 Assumptions</summary><ul>{assumptions}</ul>"
            "</details></section>")


def screening_section(rows: list[dict[str, Any]], counts: dict[str, int]) -> str:
    """The 执转破 screening list: transfers, then the groups to consult."""
    shown = [r for r in rows if r["status"] != "not_applicable"][:MAX_SCREENING_ROWS]
    body = "".join(
        f"<tr><td>{escape(r['status_label'])}{'（已覆盖 overridden）' if r['overridden'] else ''}"
        f"</td><td>{escape(r['debtor_id'])}</td><td class=n>{r['open_cases']}</td>"
        f"<td class=n>{r['zhongben_cases']}</td><td class=n>{r['claims']:,.0f}</td>"
        f"<td class=n>{r['assets']:,.0f}</td>"
        f"<td>{escape(r['receiving_court_name'] or '（不在本场景 not in the scenario）')}</td>"
        f"<td>{escape(r['reason'])}</td><td>{escape(r['basis'])}</td></tr>" for r in shown)
    head = ("<tr><th>结论 status</th><th>被执行人 debtor</th><th class=n>在办 open</th>"
            "<th class=n>终本</th><th class=n>债权 claims</th><th class=n>财产 assets</th>"
            "<th>受理法院 receiving court</th><th>理由 reason</th><th>依据 basis</th></tr>")
    return (f"<section><h2>执转破筛查 Screening for bankruptcy review</h2><p>移送 transfer "
            f"{counts.get('transfer', 0)} · 征询 consult {counts.get('consult', 0)} · 不适用 not "
            f"applicable {counts.get('not_applicable', 0)}</p>"
            f"<table><thead>{head}</thead><tbody>{body}</tbody></table></section>")


def outcomes_sections(plan: Plan, scenario: Scenario) -> str:
    """Both sections for the plan's report."""
    p = Problem.from_scenario(scenario)
    d = to_dict(project(p, plan))
    rows = screening_rows(p, include_not_applicable=False, plan=plan)
    return projection_section(d) + screening_section(rows, p.screening.counts())
