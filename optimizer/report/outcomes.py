"""The projection and the 执转破 screening list for people: bilingual text tables (Chinese
first), the projection labelled as such with its assumptions and the source of each default."""

from __future__ import annotations

from typing import Any

from optimizer.report.text import safe, table


def _n(x: float | None, sign: bool = False) -> str:
    if x is None:
        return "—"
    return f"{x:+,.0f}" if sign else f"{x:,.0f}"


def projection_text(d: dict[str, Any], max_courts: int = 20) -> str:
    """`courtplan project`: the district month by month, each court at 6 and 12 months (or the
    horizon), the indicators, then the assumptions and the defaults' sources."""
    months = d["months"]
    dist = d["district"]
    rows = [[str(t), _n(dist["plan"]["pending"][t]), _n(dist["none"]["pending"][t]),
             _n(dist["difference"]["pending"][t], True),
             f"{_n(dist['plan_band']['low'][t])}–{_n(dist['plan_band']['high'][t])}",
             _n(dist["plan"]["pool6"][t]), _n(dist["difference"]["pool6"][t], True)]
            for t in range(months + 1)]
    parts = [
        f"预测（非预报）Projection, not a forecast — {months} 个月 months; 读差值 read plan − none",
        "全辖区 District, 月末 at each month's end (0 = 规划日期 the plan date)\n" + table(
            ["月 month", "有方案 plan", "无方案 none", "差值 diff", "区间 band (plan)",
             "超六个月 pool6", "差值 diff"], rows, set(range(7))),
        _indicators(dist["indicators"]),
        _courts(d["courts"], months, max_courts),
    ]
    if d.get("suspended_cases"):
        parts.append(f"执转破中止执行、移出在办 suspended for bankruptcy review: "
                     f"{d['suspended_cases']} 件 cases")
    parts.append("假设 Assumptions\n" + "\n".join(f"- {a}" for a in d["assumptions"]))
    parts.append("默认值及来源 Defaults and their sources (used where a court has no history)\n"
                 + "\n".join(f"- {k}: {v['value']} — {v['source']}"
                             for k, v in d["defaults"].items()))
    return "\n\n".join(parts)


def _indicators(ind: dict[str, Any]) -> str:
    labels = {"clearance_rate": "结案率（结÷收）clearance rate %",
              "disposition_days": "处置时间 disposition time (days)",
              "zhongben_share": "终本占比 终本 share of closures"}
    rows = [[labels[k], *(f"{v[x]:,.3f}" if v[x] is not None else "—"
                          for x in ("plan", "none", "difference"))] for k, v in ind.items()]
    return "指标（预测期内）Indicators over the horizon\n" + table(
        ["指标 indicator", "有方案 plan", "无方案 none", "差值 diff"], rows, {1, 2, 3})


def _courts(courts: list[dict[str, Any]], months: int, max_courts: int) -> str:
    marks = sorted({min(6, months), months})
    order = sorted(courts, key=lambda c: abs(c["difference"]["pending"][months]), reverse=True)
    shown = order if max_courts <= 0 else order[:max_courts]
    rows = []
    for c in shown:
        row = [safe(c["name"]), c["court_id"], "历史 history" if c["from_history"] else "默认 default"]
        for m in marks:
            row += [_n(c["plan"]["pending"][m]), _n(c["difference"]["pending"][m], True)]
        rows.append(row)
    head = ["法院 court", "id", "速率 rates"]
    for m in marks:
        head += [f"{m}个月 plan", "差值 diff"]
    out = "各法院（按差值排序）Courts, largest effect first\n" + table(
        head, rows, set(range(3, len(head))))
    if len(shown) < len(courts):
        out += f"\n… 另有 {len(courts) - len(shown)} 个法院 and more courts (--courts 0 shows all)"
    return out


def screening_text(rows: list[dict[str, Any]], counts: dict[str, int], limit: int = 50) -> str:
    """`courtplan screen`: counts, then the groups to transfer and to consult (largest first)."""
    head = (f"执转破筛查 Screening for transfer to bankruptcy review: 移送 transfer "
            f"{counts.get('transfer', 0)}，征询 consult {counts.get('consult', 0)}，不适用 "
            f"not applicable {counts.get('not_applicable', 0)}")
    listed = [r for r in rows if r["status"] != "not_applicable"]
    shown = listed if limit <= 0 else listed[:limit]
    table_rows = [[r["status_label"], safe(r["debtor_id"]), str(r["open_cases"]),
                   str(r["zhongben_cases"]), f"{r['claims']:,.0f}", f"{r['assets']:,.0f}",
                   safe(r["receiving_court_name"] or "（辖区外 not in the scenario）")]
                  for r in shown]
    out = head + "\n" + table(["结论 status", "被执行人 debtor", "在办 open", "终本", "债权 claims",
                               "财产 assets", "受理法院 receiving court"], table_rows,
                              {2, 3, 4, 5})
    for r in shown[:10]:
        out += f"\n\n{safe(r['debtor_id'])}（{r['status_label']}）: {r['reason']}\n  依据 basis: {r['basis']}"
    if len(shown) < len(listed):
        out += f"\n\n… 另有 {len(listed) - len(shown)} 组 more groups (--limit 0, --json or --out)"
    return out
