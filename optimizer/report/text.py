"""Readable text reports (bilingual labels) of scenarios and plans. Returns strings only."""

from __future__ import annotations

import unicodedata
from collections import Counter

from optimizer.data.scenario import Scenario
from optimizer.law.modes import MODE_LABELS, Mode
from optimizer.results.plan import Plan


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, n: int, right: bool = False) -> str:
    fill = " " * max(n - width(text), 0)
    return fill + text if right else text + fill


def table(headers: list[str], rows: list[list[str]], right: set[int] | None = None) -> str:
    right = right or set()
    cols = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(pad(c, cols[i], i in right) for i, c in enumerate(r))  # noqa: E731
    sep = "  ".join("-" * c for c in cols)
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


def scenario_summary(s: Scenario) -> str:
    levels = Counter(c.level.value for c in s.courts)
    n_assets = sum(len(k.assets) for k in s.cases)
    flags: Counter[str] = Counter()
    for k in s.cases:
        flags["interference 不当干预"] += k.flags.interference
        flags["passive 消极执行"] += k.flags.passive_handling
        flags["complex 疑难复杂"] += k.flags.complex
        flags["objects 反对移送"] += k.wish.objects_to_transfer
    dispatcher = next((c.name for c in s.courts if c.id == s.dispatcher), s.dispatcher)
    lines = [
        f"Scenario 场景: {s.name}",
        f"Dispatcher 统一调度法院: {dispatcher} ({s.dispatcher})",
        f"Period 规划期: {s.period.start} – {s.period.end}",
        f"Courts 法院: {len(s.courts)} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())) + ")",
        f"Places 地点: {len(s.places)}   Cases 案件: {len(s.cases)}   Assets 财产: {n_assets}",
        "Flags 标记: " + ", ".join(f"{k} {v}" for k, v in flags.items()),
    ]
    return "\n".join(lines)


def plan_summary(plan: Plan, max_courts: int = 40) -> str:
    k = plan.kpis
    names = {c.court_id: c.name for c in plan.courts}
    out = [
        f"Plan 方案: {plan.scenario}",
        f"Status 状态: {plan.status}   method 方法: {plan.method}",
        f"Objective 目标值: {plan.objective:,.2f}   bound 下界: {plan.bound:,.2f}   "
        f"gap 差距: {plan.gap:.4%}",
        "",
        "Cases per mode 各方式案件数",
    ]
    per_mode = k.get("cases_per_mode", {})
    out.append(table(["mode", "方式", "cases 件"],
                     [[m.key, MODE_LABELS[m], str(per_mode.get(m.key, 0))] for m in Mode], {2}))
    out += ["", "Courts 法院 (load = workload units 工作量; capacity after lending 借调后容量)"]
    rows = []
    for c in plan.courts[:max_courts]:
        rows.append([
            c.name, f"{c.load_before:,.0f}", f"{c.load_after:,.0f}", f"{c.capacity:,.0f}",
            f"{c.load_after / c.capacity:.0%}" if c.capacity else "—",
            str(c.cases_in), str(c.cases_out), str(c.officers_lent), str(c.officers_borrowed),
            str(c.matters_received),
        ])
    out.append(table(
        ["court 法院", "before 前", "after 后", "capacity 容量", "util 负荷", "in 收",
         "out 出", "lent 借出", "borrowed 借入", "matters 委托事项"],
        rows, set(range(1, 10)),
    ))
    if len(plan.courts) > max_courts:
        out.append(f"… and {len(plan.courts) - max_courts} more courts (see the JSON)")
    out += ["", "KPIs 指标"]
    labels = {
        "cases_moved": "cases moved 变更执行法院",
        "art237_pool": "Art. 237 pool 超六个月案件",
        "terminable_candidates": "终本 candidates 终本候选（不移送）",
        "interference_removed_from_home": "interference cases removed 脱离属地的干预案件",
        "related_groups_concentrated": "groups concentrated 集中执行的关联案件组",
        "matters_entrusted": "matters entrusted 事项委托",
        "officers_lent": "officers lent 协同借调人员",
        "applicant_travel_minutes_max": "worst applicant travel 申请人最远路程 (min)",
        "max_utilisation_before": "max utilisation before 最高负荷（前）",
        "max_utilisation_after": "max utilisation after 最高负荷（后）",
        "gini_utilisation_before": "load Gini before 负荷基尼（前）",
        "gini_utilisation_after": "load Gini after 负荷基尼（后）",
        "rule_exceptions": "rule exceptions 无法满足规则的案件",
    }
    out.append(table(["KPI", "value"], [[v, str(k.get(key, ""))] for key, v in labels.items()],
                     {1}))
    out += ["", "Objective by term 目标分项"]
    out.append(table(["term", "cost"], [[t, f"{v:,.2f}"] for t, v in plan.terms.items()], {1}))
    if plan.staff_moves:
        out += ["", "Staff moves 人员借调"]
        out.append(table(["from 借出", "to 借入", "officers 人数"],
                         [[names.get(m.from_court, m.from_court), names.get(m.to_court, m.to_court),
                           str(m.officers)] for m in plan.staff_moves],
                         {2}))
    return "\n".join(out)
