"""Readable text reports (bilingual labels) of scenarios and plans. Returns strings only."""

from __future__ import annotations

import unicodedata
from collections import Counter

import numpy as np

from optimizer.data.case_columns import case_columns
from optimizer.data.scenario import Scenario
from optimizer.data.validate import courts_at_and_below
from optimizer.law.modes import KEY_DECISION_MODES, MODE_LABELS, Mode
from optimizer.law.vocabulary import KPI_LABELS, RULE_LABELS, plan_status_zh, rule_text, term_zh
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
    """A scenario for people. Flags are counted twice: as written in the file, and among the
    cases the plan decides (inside the dispatcher's district, not 终本 candidates, not suspended for
    执转破) — the second
    count is the one the solve summary's per-rule table starts from."""
    levels = Counter(c.level.value for c in s.courts)
    cols = case_columns(s)
    district = courts_at_and_below(s, s.dispatcher)
    planned = (np.fromiter(map(district.__contains__, cols.court), dtype=bool, count=len(cols))
               & ((cols.asset_counts() > 0) | np.array(cols.act_obligation, dtype=bool)))
    if any(d.consent is not None for d in s.debtors):  # 执转破 groups are not planned either
        from optimizer.data.screening import screen

        planned &= ~screen(s).transfer_cases()
    labels = (("不当干预 interference", cols.interference),
              ("消极执行 passive", cols.passive_handling),
              ("重大疑难复杂 complex", cols.complex),
              ("反对移送 objects to transfer", cols.objects_to_transfer),
              ("申请提级 asks the court above", cols.requests_escalation))
    rows = [[label, str(sum(flag)), str(int(np.array(flag, dtype=bool)[planned].sum()))]
            for label, flag in labels]
    dispatcher = next((c.name for c in s.courts if c.id == s.dispatcher), s.dispatcher)
    lines = [
        f"场景 Scenario: {safe(s.name)}",
        f"统一调度法院 Dispatcher: {safe(dispatcher)} ({safe(s.dispatcher)})",
        f"规划期 Period: {s.period.start} – {s.period.end}（方案日期 plan date {s.period.start}）",
        f"法院 Courts: {len(s.courts)} ("
        + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())) + ")",
        f"地点 Places: {len(s.places)}   案件 Cases: {len(cols)}（纳入规划 planned "
        f"{int(planned.sum())}）   财产 Assets: {len(cols.asset_id)}",
        "",
        table(["标记 flag", "文件中 in the file", "纳入规划 planned"], rows, {1, 2}),
    ]
    if s.debtors or s.terminated or s.history:  # docs/outcomes.md
        consents = sum(d.consent is not None for d in s.debtors)
        listed = sum(len(t.cases) for t in s.terminated)
        stock = sum(t.total if t.total is not None else len(t.cases) for t in s.terminated)
        lines += ["", f"被执行人信息 Debtors: {len(s.debtors)}（书面同意移送破产审查 written consent "
                      f"{consents}）   终本库 终本 stock: {len(s.terminated)} 个法院 courts, {stock:,} 件 "
                      f"cases ({listed:,} listed)   近期数据 History: {len(s.history)} 个法院 courts"
                      "（courtplan screen 筛查执转破）"]
    return "\n".join(lines)


#: the KPIs the text summary prints (labels: `optimizer/law/vocabulary.py`)
_TEXT_KPIS = ("cases_moved", "related_groups_concentrated", "matters_entrusted", "officers_lent",
              "applicant_travel_minutes_max", "max_utilisation_before", "max_utilisation_after",
              "gini_utilisation_before", "gini_utilisation_after", "rule_exceptions")
#: the steps a method string names (see `optimizer/solver/piece.py`), in Chinese
METHOD_LABELS = {
    "lp": "线性松弛", "staff-dive": "借调人员取整下潜", "restricted-mip": "局部整数规划",
    "neighbourhood-mip": "约减费用邻域整数规划", "mip": "分支定界",
    "linking-groups-fixed": "跨块关联组统一决定", "baseline": "基准方案", "fixed": "无可选方案",
    "local-search": "局部搜索",
}


def method_zh(method: str) -> str:
    return "＋".join(METHOD_LABELS.get(part, part) for part in method.split("+"))


#: decisions a planner reads first, in this order (the specs' `key_decision`)
_KEY_MODES = tuple(m.key for m in KEY_DECISION_MODES)


def plan_summary(plan: Plan, max_courts: int | None = 40, max_decisions: int = 30) -> str:
    """The plan for people: head, cases per mode, the key decisions, the rules, the courts,
    KPIs, the objective by term and the staff moves (Chinese first)."""
    names = {c.court_id: c.name for c in plan.courts}
    parts = [_head(plan), _modes(plan), _decisions(plan, names, max_decisions), _rules(plan),
             _courts(plan, max_courts), _kpis(plan), _terms(plan)]
    if plan.staff_moves:
        parts.append("人员借调 Staff moves\n" + table(
            ["借出 from", "借入 to", "人数 officers"],
            [[names.get(m.from_court, m.from_court), names.get(m.to_court, m.to_court),
              str(m.officers)] for m in plan.staff_moves], {2}))
    return "\n\n".join(parts)


def _head(plan: Plan) -> str:
    status = plan_status_zh(plan.status)
    return "\n".join([
        f"方案 Plan: {plan.scenario}",
        f"规划日期 Plan date: {plan.plan_date}（方案自该日起执行；第237条六个月期限按该日计算 — the plan acts "
        "on this day; the Art. 237 clock is read on it）",
        f"状态 Status: {status} ({plan.status})",
        f"方法 Method: {method_zh(plan.method)} ({plan.method})",
        f"目标值 Objective: {plan.objective:,.2f}   已证明下界 proven bound: {plan.bound:,.2f}   "
        f"差距 gap: {plan.gap:.4%}",
        "单位 Unit: 成本点，1点≈当事人路程1分钟 (cost points; 1 point ≈ one minute of a party's travel)",
    ])


def _modes(plan: Plan) -> str:
    per_mode = plan.kpis.get("cases_per_mode", {})
    return "各方式案件数 Cases per mode\n" + table(
        ["方式", "mode", "件 cases"],
        [[MODE_LABELS[m], m.key, str(per_mode.get(m.key, 0))] for m in Mode], {2})


def _decisions(plan: Plan, names: dict[str, str], limit: int) -> str:
    """The decisions that matter most: moves (提级, 指令, 集中) and forced ones, by case."""
    key = [c for c in plan.cases if c.mode in _KEY_MODES]
    key.sort(key=lambda c: (_KEY_MODES.index(c.mode), c.note is None, c.case_id))
    rows = [[safe(c.case_id), MODE_LABELS[Mode[c.mode.upper()]],
             safe(names.get(c.from_court_id, c.from_court_id)),
             safe(names.get(c.court_id, c.court_id)),
             safe(names.get(c.decided_by or "", c.decided_by or "—")),
             "、".join(c.reasons)] for c in key[:limit]]
    head = (f"主要决定 Key decisions ({len(key)}: {'、'.join(m.label for m in KEY_DECISION_MODES)} "
            f"{', '.join(m.spec.label_en for m in KEY_DECISION_MODES)})")
    if not rows:
        return head + "\n（无 none）"
    more = f"\n… 另有 {len(key) - limit} 件 and {len(key) - limit} more (see the plan file)" \
        if len(key) > limit else ""
    return head + "\n" + table(["案号 case", "方式 mode", "原法院 from", "执行法院 to",
                                 "决定法院 decided by", "事由 reasons"], rows) + more


def _rules(plan: Plan) -> str:
    counts = plan.kpis.get("rules", {})
    rows = [[rule_text(key), str(counts[key])] for key in RULE_LABELS if key in counts]
    return "规则执行情况 Rules applied (cases)\n" + table(["规则 rule", "件 cases"], rows, {1})


def _courts(plan: Plan, max_courts: int | None) -> str:
    shown = plan.courts if not max_courts else plan.courts[:max_courts]
    rows = [[
        safe(c.name), f"{c.load_before:,.0f}", f"{c.load_after:,.0f}", f"{c.capacity:,.0f}",
        f"{c.load_after / c.capacity:.0%}" if c.capacity else "—",
        str(c.cases_in), str(c.cases_out), str(c.officers_lent), str(c.officers_borrowed),
        str(c.matters_received)] for c in shown]
    out = ("法院 Courts（负荷=工作量单位；容量含借调 load in workload units, capacity after lending）\n"
           + table(["法院 court", "前 before", "后 after", "容量 capacity", "负荷 util", "收 in",
                    "出 out", "借出 lent", "借入 borrowed", "委托事项 matters"], rows,
                   set(range(1, 10))))
    if len(shown) < len(plan.courts):
        out += (f"\n… 另有 {len(plan.courts) - len(shown)} 个法院 and {len(plan.courts) - len(shown)}"
                " more courts (--courts 0 shows all)")
    return out


def _kpis(plan: Plan) -> str:
    k = plan.kpis
    out = "指标 KPIs\n" + table(["指标 KPI", "值 value"],
                                [[KPI_LABELS[key].both(), str(k.get(key, ""))] for key in _TEXT_KPIS], {1})
    screened = k.get("bankruptcy_screening")
    if screened:
        suspended = k.get("rules", {}).get("transfer_suspended", 0)
        out += (f"\n\n执转破筛查 Screening for bankruptcy review: 移送 transfer {screened['transfer']}"
                f"（中止执行 suspended {suspended} 件 cases），征询 consult {screened['consult']}，"
                f"不适用 not applicable {screened['not_applicable']}（courtplan screen 列出 lists them）")
    return out + projection_kpis_text(k.get("projection"))


def projection_kpis_text(proj: dict | None) -> str:
    """The plan's projected figures (district), plan against none: a projection, so labelled."""
    if not proj:
        return ""
    from optimizer.outcomes.projection import kpi_label

    rows = [[kpi_label(key), f"{v['plan']:,}", f"{v['none']:,}", f"{v['difference']:+,}"]
            for key, v in proj.items() if isinstance(v, dict)]
    return ("\n\n预测（非预报，见 courtplan project）Projection, not a forecast\n"
            + table(["指标 KPI", "有方案 plan", "无方案 none", "差值 plan − none"], rows, {1, 2, 3}))


def _terms(plan: Plan) -> str:
    return "目标分项 Objective by term\n" + table(
        ["分项 term", "", "成本 cost"],
        [[term_zh(t), t, f"{v:,.2f}"] for t, v in plan.terms.items()], {2})


def safe(text: str) -> str:
    """Text from a file, made safe for a terminal: control characters shown escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
