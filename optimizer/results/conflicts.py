"""When a planner's changes leave no feasible plan: name the conflicting changes in planner
words, and the cheapest relaxation.

A deletion filter over the changes: starting from all of them, drop one at a time and keep it
dropped if what is left is still infeasible (a short search: the LP of each piece tells). What
remains is a minimal conflicting set. Then the relaxations are tried — lifting each of those
changes, raising the load ceiling (`max_utilisation`) as little as suffices — and the cheapest
plan among them is named. Planner scale: one short search per change.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from optimizer.data.changes import ChangesError, ChangeSet
from optimizer.data.problem import Problem
from optimizer.law.vocabulary import PlanStatus
from optimizer.results.plan import Plan
from optimizer.solver.params import SolveParams

#: builds and solves a variant: its plan (status `infeasible` when no plan meets every rule)
Trial = Callable[[ChangeSet], Plan]


class ChangesConflict(Exception):
    """The changes leave no feasible plan; the message names the conflict (the CLI exits 3)."""


#: the quick re-solves that test each subset and price each relaxation
QUICK = SolveParams(time_limit=3.0, workers=1)
_RULES_SHOWN = 3
def describe(p: Problem, ch: ChangeSet, field: str, index: int) -> str:
    """One change in planner words."""
    v = getattr(ch, field)
    if isinstance(v, dict):
        key = list(v)[index]
        return f"{field[:-1]} {key}={v[key]!r}"
    item = v[index]
    words = {
        "pins": lambda x: f"pinning case {x.case} to {x.mode}@{x.court} (changes.pins[{index}])",
        "keep": lambda x: f"keeping case {x} where it is (changes.keep[{index}])",
        "forbid": lambda x: f"forbidding case {x.case} at {x.court} (changes.forbid[{index}])",
        "bar_receiving": lambda x: f"barring {x} from receiving cases",
        "bar_executing": lambda x: f"barring {x} from executing cases",
        "concentrate": lambda x: f"concentrating debtor {x}'s cases",
        "never_concentrate": lambda x: f"never concentrating debtor {x}'s cases",
        "not_transfer": lambda x: f"planning debtor {x}'s cases despite 执转破 (changes.not_transfer)",
        "shocks": lambda x: f"multiplying {x.court}'s caseload by {x.factor:g}",
        "loans": lambda x: f"lending {x.officers} officers {x.from_court}→{x.to_court}",
        "officers": lambda x: (f"setting {x.court}'s officers to {x.set}" if x.set is not None
                               else f"changing {x.court}'s officers by {x.add:+d}"),
    }
    return words[field](item)


def minimal_conflict(ch: ChangeSet, feasible: Callable[[ChangeSet], bool]
                     ) -> list[tuple[str, int]]:
    """A minimal set of entries of `ch` (field, index in `ch`) that is infeasible together."""
    kept = ch.entries()
    k = 0
    while k < len(kept):
        trial = _subset(ch, kept[:k] + kept[k + 1:])
        if feasible(trial):
            k += 1  # needed for the conflict
        else:
            kept = kept[:k] + kept[k + 1:]
    return kept


def _subset(ch: ChangeSet, entries: list[tuple[str, int]]) -> ChangeSet:
    """`ch` with only the given entries."""
    out = ch
    for field, index in sorted(set(ch.entries()) - set(entries), key=lambda e: (e[0], -e[1])):
        out = out.without(field, index)
    return out


def ceiling_needed(p: Problem, ch: ChangeSet, feasible: Callable[[ChangeSet], bool]
                   ) -> float | None:
    """The least load ceiling at the printed precision (hundredths) at which the changes have a
    plan, or None: a search over whole hundredths, so the value printed is the least that
    suffices (1.21, not a 1.22 rounded up from 1.2134)."""
    current = ch.rules.get("max_utilisation", p.rules.max_utilisation)
    if current is None:
        return None

    def at(hundredths: int) -> ChangeSet:
        return ch.model_copy(update={"rules": {**ch.rules, "max_utilisation": hundredths / 100}})

    lo, hi = math.floor(float(current) * 100 + 1e-9), 10_000  # lo fails (the conflict), hi?
    if not feasible(at(hi)):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if feasible(at(mid)) else (mid, hi)
    return hi / 100


def overflow(p: Problem, ch: ChangeSet, field: str, index: int) -> str:
    """For a pin: by how much the pinned court's ceiling is exceeded before other moves."""
    if field != "pins" or p.rules.max_utilisation is None:
        return ""
    pin = ch.pins[index]
    cidx = {c: i for i, c in enumerate(p.court_ids)}
    j = cidx[pin.court]
    kidx = {k.id: i for i, k in enumerate(p.scenario.cases)}
    into = [kidx[q.case] for q in ch.pins
            if q.court == pin.court and p.case_court[kidx[q.case]] != j]
    load = float(p.open_caseload[j] + p.case_workload[into].sum())
    limit = max(p.rules.max_utilisation * float(p.capacity[j]), float(p.open_caseload[j]))
    if load <= limit:
        return ""
    return f" exceeds {pin.court}'s ceiling by {load - limit:,.1f} workload units"


def _conflict_words(names: list[str], rules: tuple[str, ...]) -> str:
    """The conflicting changes (one or several) and the hard rules they break."""
    head = names[0] if len(names) == 1 else "; ".join(names)
    verb = "conflicts" if len(names) == 1 else "together they conflict"
    shown = "; ".join(rules[:_RULES_SHOWN]) + ("; …" if len(rules) > _RULES_SHOWN else "")
    return (f"no feasible plan 无可行方案: {head} — {verb} with the hard rules"
            + (f" ({shown})" if shown else ""))


def explain(p: Problem, ch: ChangeSet, trial: Trial, quick: SolveParams = QUICK) -> str:
    """The conflict in planner words, with the cheapest relaxation that resolves it. `quick`
    are the parameters of the trial re-solves (the objectives quoted are theirs)."""
    cache: dict[str, Plan | None] = {}

    def solve(c: ChangeSet) -> Plan | None:
        key = c.model_dump_json(by_alias=True)
        if key not in cache:
            try:
                cache[key] = trial(c)
            except ChangesError:
                cache[key] = None
        return cache[key]

    def feasible(c: ChangeSet) -> bool:
        plan = solve(c)
        return plan is not None and plan.status != PlanStatus.INFEASIBLE

    core = minimal_conflict(ch, feasible)
    if not core:
        return ("no feasible plan even without the changes (the scenario itself, or the decisions "
                "already issued, conflict with the load ceilings)")
    changed = ch.apply(p)
    names = [describe(p, ch, f, i) + overflow(changed, ch, f, i) for f, i in core]
    alone = solve(_subset(ch, core))
    rules = alone.stats.rule_violations if alone is not None else ()
    options: list[tuple[float, str]] = []
    for (f, i), name in zip(core, names, strict=True):
        if feasible(ch.without(f, i)):
            plan = solve(ch.without(f, i))
            assert plan is not None
            options.append((plan.objective, f"dropping [{name.split(' exceeds')[0]}]"))
    u = ceiling_needed(p, ch, feasible)
    if u is not None:
        plan = solve(ch.model_copy(update={"rules": {**ch.rules, "max_utilisation": u}}))
        if plan is not None and plan.status != PlanStatus.INFEASIBLE:
            options.append((plan.objective, f"raising the ceiling (max_utilisation) to {u:g}"))
    text = _conflict_words(names, rules)
    if options:
        options.sort()
        text += ("; resolved by " + " or ".join(o for _, o in options)
                 + f"; cheapest: {options[0][1]} (objective {options[0][0]:,.1f}, from a quick "
                 f"re-solve: at most {quick.time_limit:g} s, gap within {quick.gap:.2%})")
    return text
