""""Why not court W?" for one case: either the rule that forbids W (with its article, from
docs/law.md) or, where W is lawful, the extra cost of going there and what binds.

The rules are tried in the order the option builder applies them (`optimizer/model/options.py`),
so the answer names the first rule that shuts W out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optimizer.data.problem import PRIOR_DESIGNATED
from optimizer.law.errors import UserError
from optimizer.law.modes import Mode, Trigger
from optimizer.model.context import in_home_locality
from optimizer.model.costs import option_costs
from optimizer.workbench.explain import Alternative, explain
from optimizer.workbench.view import PlanView

#: why a court is not lawful for a case: (Chinese and English text, the article)
RULES: dict[str, tuple[str, str]] = {
    "outside_district_case": ("案件不在本院辖区，不在规划之内 the case is outside the district",
                              "执行工作规定第74条第2款（本辖区）"),
    "suspended": ("执转破：移送破产审查，各院中止执行 the debtor group is sent to bankruptcy review "
                  "and suspended", "民诉法解释第511条；法发〔2017〕2号（司法政策性文件）"),
    "terminable": ("终本候选，不移送 a 终本 candidate is not moved",
                   "民诉法解释第517条；必要性原则（答记者问一）"),
    "no_trigger": ("无交叉执行事由（必要性原则）no reason to move the case (necessity)",
                   "民诉法第235条；必要性原则（答记者问一）"),
    "outside_district_court": ("该院不在本院辖区 the court is outside the dispatcher's district",
                               "执行工作规定第74条第2款（指定本辖区其他法院执行）"),
    "no_officers": ("该院无执行人员 the court has no officers", "民诉法第239条（执行工作由执行员进行）"),
    "home_locality": ("不当干预案件不得留在或移入被执行人属地 an interference case may not sit in "
                      "the debtor's home locality",
                      "执行工作规定第74条第2款（指定本辖区其他法院执行）；答记者问一（不当干预）"),
    "level": ("指令执行须同级、提级仅上一级 designation keeps the level, elevation goes one level up",
              "民诉法第235条（同级）；执行程序解释第11条第2款（上一级人民法院决定由本院执行）"),
    "ping_pong": ("已指令执行一次，不再指令（不来回指令）designated once, not again (no ping-pong)",
                  "rules.allow_redesignation（见 docs/law.md 第8节）"),
    "decider_outside": ("共同上级法院不在本院辖区 no deciding court inside the district",
                        "执行工作规定第74条第2款（本辖区）"),
    "deadline_missed": ("督促期满未执结，须提级或指令执行 the 督促 deadline passed: the case must move",
                        "执行程序解释第12条"),
    "not_remedied": ("该院可用的方式都不解决本案事由 no mode reaching this court remedies the case's "
                     "reasons (necessity)", "必要性原则（答记者问一）"),
    "pruned": ("不在最便宜的候选法院之内（max_candidates）not among the cheapest candidate courts",
               "rules.max_candidates"),
}


@dataclass(frozen=True)
class WhyNot:
    case_id: str
    court_id: str
    lawful: bool
    chosen: bool  # W is where the plan already puts the case
    rule: str | None  # key of RULES when not lawful
    reason: str
    article: str
    alternatives: tuple[Alternative, ...]  # the lawful options at W, cheapest first
    estimate: float | None  # extra cost of the cheapest one (or of the pruned candidate)


def _rule(v: PlanView, i: int, w: int) -> str:
    """The first rule that shuts court `w` out for case `i`."""
    p = v.p
    c0 = int(p.case_court[i])
    trig = int(p.triggers[i])
    checks = [
        ("outside_district_case", not p.in_district[c0]),
        ("suspended", bool(p.suspended[i])),
        ("terminable", bool(p.terminable[i])),
        ("no_trigger", trig == 0),
        ("outside_district_court", not p.in_district[w]),
        ("deadline_missed", w == c0 and bool(trig & int(Trigger.DEADLINE_MISSED))),
        ("no_officers", p.officers[w] <= 0),
        ("home_locality", bool(p.case_flags[i] & int(Trigger.INTERFERENCE))
         and bool(in_home_locality(p, np.array([i]), np.array([w]))[0])),
        ("level", p.court_level[w] != p.court_level[c0] and w != p.court_parent[c0]),
        ("ping_pong", w != p.court_parent[c0] and p.case_prior[i] == PRIOR_DESIGNATED
         and not p.rules.allow_redesignation),
        ("decider_outside", _decider_outside(v, c0, w)),
    ]
    return next((key for key, hit in checks if hit), "")


def _decider_outside(v: PlanView, c0: int, w: int) -> bool:
    p = v.p
    if w == c0:
        return False
    d = p.court_parent[c0] if w == p.court_parent[c0] else p.tree.lowest_common_superior(
        np.array([c0]), np.array([w]))[0]
    return bool(d < 0 or not p.in_district[d])


def _pruned_estimate(v: PlanView, i: int, w: int) -> float | None:
    """Extra cost of a 指令 to `w` the candidate pruning dropped: its own cost difference plus
    the marginal load penalty (as for any alternative)."""
    p = v.p
    if not (v.p.court_level[w] == v.p.court_level[p.case_court[i]]
            and p.triggers[i] & int(Mode.DESIGNATE.spec.opened_by | Trigger.INTERFERENCE
                                    | Trigger.DEADLINE_MISSED)):
        return None
    terms, _ = option_costs(p, np.array([i]), np.array([int(Mode.DESIGNATE)]), np.array([w]))
    own = float(terms.sum() - v.case_cost[i])
    return round(own + float(v.load_delta_cost(np.array([i]), np.array([w]))[0]), 4)


def why_not(v: PlanView, case_id: str, court_id: str) -> WhyNot:
    """Why the plan does not send `case_id` to `court_id` (or what it would cost)."""
    i = v.case_index.get(case_id)
    if i is None:
        raise UserError(f"case '{case_id}' is not in the scenario")
    if court_id not in v.p.court_ids:
        raise UserError(f"--why-not: court '{court_id}' is not in the scenario")
    w = v.p.court_ids.index(court_id)
    ex = explain(v, [case_id])[0]
    at_w = tuple(a for a in ex.alternatives if a.court_id == court_id)
    if int(v.ev.court[i]) == w:
        return WhyNot(case_id, court_id, True, True, None,
                      f"计划已由该院执行（{ex.mode}）the plan already puts the case there", ex.basis,
                      at_w, 0.0)
    if at_w:
        return WhyNot(case_id, court_id, True, False, None,
                      "合法但更贵 lawful, but dearer than the plan's decision", at_w[0].basis,
                      at_w, at_w[0].estimate)
    key = _rule(v, i, w)
    if not key:  # every rule allows the court: a mode would not remedy, or pruning dropped it
        est = _pruned_estimate(v, i, w)
        key = "pruned" if est is not None else "not_remedied"
        return WhyNot(case_id, court_id, False, False, key, *RULES[key], (), est)
    return WhyNot(case_id, court_id, False, False, key, *RULES[key], (), None)
