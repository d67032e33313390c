"""Text reports of the workbench's answers (Chinese first). Returns strings only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from optimizer.law.modes import MODE_BY_KEY, MODE_LABELS
from optimizer.law.vocabulary import term_zh
from optimizer.report.text import safe, table
from optimizer.workbench.compare import Diff
from optimizer.workbench.explain import BINDS, Explanation, Regret
from optimizer.workbench.officers import CourtGain, PairGain
from optimizer.workbench.recommend import Recommendation
from optimizer.workbench.whynot import WhyNot


def _mode(key: str) -> str:
    return f"{MODE_LABELS[MODE_BY_KEY[key]]} {key}" if key in MODE_BY_KEY else key


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:,.2f}"


def diff_text(d: Diff, max_cases: int = 30) -> str:
    head = [f"比较 Compare: A {safe(d.scenario_a)} ({d.status_a}) → B {safe(d.scenario_b)} "
            f"({d.status_b})", *(f"警告 Warning: {safe(w)}" for w in d.warnings)]
    if d.is_empty:
        return "\n".join(head) + "\n两方案相同 the plans are the same"
    nums = [["目标值 objective", *map(_num, (d.objective.a, d.objective.b, d.objective.change))],
            ["下界 bound", *map(_num, (d.bound.a, d.bound.b, d.bound.change))]]
    nums += [[f"{term_zh(k)} {k}", *map(_num, (t.a, t.b, t.change))]
             for k, t in d.terms.items()]
    parts = ["\n".join(head), table(["项 item", "A", "B", "B−A"], nums, {1, 2, 3})]
    kpis = [[k, str(a), str(b)] for k, (a, b) in d.kpis.items() if a != b]
    if kpis:
        parts.append("指标变化 KPIs that differ\n" + table(["指标 KPI", "A", "B"], kpis, {1, 2}))
    if d.courts:
        parts.append("法院负荷 Court loads (A → B)\n" + table(
            ["法院 court", "前 before A", "后 after A", "容量 cap A", "前 before B", "后 after B",
             "容量 cap B"],
            [[safe(c.name), *(f"{x:,.0f}" for x in (c.load_before_a, c.load_after_a, c.capacity_a,
                                                    c.load_before_b, c.load_after_b, c.capacity_b))]
             for c in d.courts], set(range(1, 7))))
    name = lambda cid: safe(d.court_names.get(cid) or cid)  # noqa: E731
    rows = [[safe(c.case_id), f"{_mode(c.mode_a)} @{name(c.court_a)}",
             f"{_mode(c.mode_b)} @{name(c.court_b)}", "、".join(c.reasons_b)]
            for c in d.cases[:max_cases]]
    more = f"\n… 另有 {len(d.cases) - max_cases} 件 and more" if len(d.cases) > max_cases else ""
    parts.append(f"决定变化的案件 Cases whose decision changed: {len(d.cases)}\n"
                 + (table(["案号 case", "A", "B", "事由 reasons"], rows) + more if rows else "（无 none）"))
    for title, moves in (("新增借调 Staff moves added", d.staff_added),
                         ("取消借调 Staff moves removed", d.staff_removed)):
        if moves:
            parts.append(title + "\n" + table(["借出 from", "借入 to", "人数 officers"],
                                              [[name(f), name(t), str(n)] for f, t, n in moves],
                                              {2}))
    return "\n\n".join(parts)


def _named(names: dict[str, str] | None) -> Callable[[str | None], str]:
    """A court as a planner reads it: its name, then its id (the id alone without names)."""
    def court(cid: str | None) -> str:
        if not cid:
            return "—"
        name = (names or {}).get(cid)
        return f"{safe(name)} {cid}" if name else cid
    return court


def explanation_text(e: Explanation, regrets: list[Regret] | None = None,
                     max_alternatives: int = 8, names: dict[str, str] | None = None) -> str:
    court = _named(names)
    lines = [f"案件 Case {safe(e.case_id)}（原法院 from {court(e.from_court_id)}）",
             f"  事由 Reasons: {'、'.join(e.reasons) or '无 none'}",
             f"  决定 Decision: {_mode(e.mode)} @{court(e.court_id)}；决定法院 decided by: "
             f"{court(e.decided_by)}；文书 document: {e.document or '—'}",
             f"  依据 Basis: {e.basis or '—'}",
             "  成本 Cost: " + "，".join(f"{term_zh(k)} {v:g}" for k, v in e.costs.items()
                                        if v) + f"（合计 total {e.cost:,.2f}）"]
    if e.note:
        lines.append(f"  说明 Note: {e.note}")
    exact = {(r.mode, r.court_id): r for r in regrets or []}
    ranged = any(not r.exact for r in exact.values())
    rows = []
    for a in e.alternatives[:max_alternatives]:
        r = exact.get((a.mode, a.court_id))
        row = [_mode(a.mode), court(a.court_id), court(a.decided_by), f"{a.own_change:+,.2f}",
               f"{a.load_change:+,.2f}", f"{a.estimate:+,.2f}", f"{r.regret:+,.2f}" if r else ""]
        if ranged:
            row.append(f"[{r.regret_low:+,.2f}, {r.regret_high:+,.2f}]" if r else "")
        rows.append([*row, "；".join(BINDS[b].split(" ")[0] for b in a.binds)])
    if rows:
        head = ["其他合法方式 alternative", "法院 court", "决定 decider", "自身 own", "负荷 load",
                "估算 estimate", "精确 exact", *(["证明范围 proven range"] if ranged else []),
                "约束 binds"]
        lines.append(table(head, rows, {3, 4, 5, 6}))
        if ranged:
            lines.append("  精确值为两次求解目标值之差；计划或重解未证明最优时，真实差额在证明范围内 "
                         "exact = the two solves' objectives apart; where a solve is not proven "
                         "optimal the true regret lies in the proven range (bounds of both)")
    else:
        lines.append("  无其他合法方式 no other lawful option")
    return "\n".join(lines)


def why_not_text(w: WhyNot, names: dict[str, str] | None = None) -> str:
    head = f"为何不是 Why not {_named(names)(w.court_id)} for {safe(w.case_id)}: "
    if w.chosen or w.lawful:
        est = "" if w.estimate is None else f"；多出成本 extra cost {w.estimate:+,.2f}"
        binds = sorted({b for a in w.alternatives for b in a.binds})
        return (head + w.reason + est + ("；约束 binds: " + "；".join(BINDS[b] for b in binds)
                                         if binds else ""))
    est = "" if w.estimate is None else f"（若作为候选，估算多出 estimate if offered {w.estimate:+,.2f}）"
    return head + f"{w.reason}；依据 article: {w.article}{est}"


def officers_text(courts: list[CourtGain], pairs: list[PairGain], limit: int = 15,
                  names: dict[str, str] | None = None) -> str:
    court = _named(names)
    rows = [[safe(g.name), g.court_id, str(g.officers), f"{g.load_after:,.0f}", _num(g.estimate),
             _num(g.exact), "" if g.exact_low is None else f"[{g.exact_low:,.0f}, {g.exact_high:,.0f}]",
             g.status or ""] for g in courts[:limit]]
    out = ("增加一名执行人员 One more officer: objective fall（估算保持案件不动 estimate holds the cases; "
           "精确=重新求解 exact = re-solve）\n"
           + table(["法院 court", "id", "人员 officers", "负荷 load", "估算 estimate", "精确 exact",
                    "证明范围 proven range", "状态 status"], rows, {2, 3, 4, 5}))
    prow = [[court(p.from_court), court(p.to_court), str(p.lent_now), _num(p.estimate), _num(p.exact),
             "可 yes" if p.room else (p.why_not or "否 no")] for p in pairs[:limit]]
    if prow:
        out += ("\n\n多借调一名 One more lent officer（精确=计划不变重新计算 exact = the plan "
                "re-evaluated）\n" + table(["借出 from", "借入 to", "现借 now", "估算 estimate",
                                            "精确 exact", "可借 room"], prow, {2, 3, 4}))
    return out


def recommendation_text(r: Recommendation) -> str:
    lines = [f"新案 New case {safe(r.case_id)}；事由 reasons: {'、'.join(r.reasons) or '无 none'}"]
    rows = [[_mode(o.mode), o.court_id, o.decided_by or "—", f"{o.own_cost:,.2f}",
             f"{o.load_cost:,.2f}", f"{o.lending_cost:,.2f}" + (f" ({o.lend_from})" if o.lend_from else ""),
             f"{o.group_cost:,.2f}", f"{o.incremental:,.2f}"] for o in r.options]
    lines.append(table(["方式 mode", "法院 court", "决定 decider", "自身 own", "负荷 load",
                        "借调 lending", "解散关联组 group apart", "增量 incremental"], rows,
                       {3, 4, 5, 6, 7}))
    for o in r.options:
        if o.dissolves:
            moves = "、".join(f"{safe(c)} {_mode(m)} @{court}" for c, m, court in o.dissolves)
            lines.append(f"  {_mode(o.mode)} @{o.court_id}: 集中执行解散，其他关联案件 the group "
                         f"dissolves, the others go: {moves}")
    lines += [f"未列入 Left out: {x}" for x in r.excluded]
    lines += [f"注 Note: {x}" for x in r.notes]
    return "\n".join(lines)


def sweep_text(rows: list[dict[str, Any]], columns: list[str]) -> str:
    shown = ["variant", *columns, "status", "objective", "bound", "gap", "seconds"]
    kpis = [k for k in ("kpi.max_utilisation_after", "kpi.cases_moved", "kpi.officers_lent",
                        "kpi.projection.pending_12m.difference",
                        "kpi.projection.pool6_12m.difference")
            if rows and k in rows[0]]
    cells = [[f"{r['gap']:.3%}" if c == "gap" and isinstance(r.get(c), float) else _cell(r.get(c))
              for c in shown + kpis] for r in rows]
    return "扫描 Sweep（每行一个变体 one row per variant）\n" + table(shown + kpis, cells)


def _cell(x: Any) -> str:
    """Numbers as a planner reads them: large ones with thousands separators, gaps in %."""
    if not isinstance(x, float):
        return str(x)
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"
