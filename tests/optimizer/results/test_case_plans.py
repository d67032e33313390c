"""The plan's per-case rows are built column by column, each text once per distinct key: they
must equal the per-case definitions (reasons from the trigger bits, `basis_for` of the case's
`Situation`, the wishes and entrusted assets from the case's records), read here case by case
on evaluations that reach every branch."""

from __future__ import annotations

import dataclasses
import json
import random

import numpy as np
import pytest

from optimizer.data.problem import Problem
from optimizer.data.read import parse_scenario
from optimizer.law.modes import TRIGGER_LABELS, Mode, Situation, Trigger, basis_for
from optimizer.model.costs import CASE_TERMS
from optimizer.model.options import build_options
from optimizer.results.case_plans import case_plans
from optimizer.results.evaluate import Evaluation
from optimizer.results.plan import CasePlan, case_plans_from_columns
from tests.conftest import ROOT


def _row(i: int) -> dict[str, object]:
    return dict(case_id=f"K{i}", mode="keep", court_id="A", from_court_id="B",
                entrusted_assets=(f"X{i}",), costs={"mode": float(i)}, reasons=("r",),
                note=None if i % 2 else "n", decided_by=None, basis="", coordination=None,
                wishes=(), court_name="甲", from_court_name="乙", decided_by_name=None)


def test_rows_from_columns_equal_rows_from_the_constructor() -> None:
    rows = [_row(i) for i in range(3)]
    built = case_plans_from_columns({k: [r[k] for r in rows] for k in reversed(rows[0])})
    assert built == [CasePlan(**r) for r in rows]  # type: ignore[arg-type]
    assert [list(vars(c)) for c in built] == [list(rows[0])] * 3  # field order, for the file
    with pytest.raises(dataclasses.FrozenInstanceError):
        built[0].mode = "elevate"  # type: ignore[misc]


def test_rows_from_columns_need_every_field() -> None:
    with pytest.raises(ValueError, match="not the fields"):
        case_plans_from_columns({"case_id": ["K1"]})


def _expected(p: Problem, exceptions: dict[int, str], ev: Evaluation, i: int) -> CasePlan:
    """One case's row from its own records, the way a reader of the law would write it."""
    k, cids = p.scenario.cases[i], p.court_ids
    names = [c.name for c in p.scenario.courts]
    trig = int(p.triggers[i])
    reasons = tuple(label for t, label in TRIGGER_LABELS.items() if trig & int(t))
    if p.terminable[i] and p.in_district[p.case_court[i]]:
        reasons = ("终本候选：无可供执行财产、无行为义务（民诉法解释第517条）",)
    first = int(np.searchsorted(p.asset_case, i))
    mine = [a for a in np.flatnonzero(ev.entrusted).tolist() if p.asset_case[a] == i]
    court, decider, mode = int(ev.court[i]), int(ev.decider[i]), Mode(int(ev.mode[i]))
    far = any(p.tree.place_prefix(p.asset_place[[a]], 2)[0]
              != p.tree.place_prefix(p.court_place[[court]], 2)[0] for a in mine)
    short = bool(trig & int(Trigger.UNDERSTAFFED))
    wishes = []
    if p.early_request[i]:
        wishes.append("申请执行人申请上一级法院执行（未满六个月，尚不构成民事诉讼法第237条的申请）")
    if k.wish.objects_to_transfer:
        wishes.append("申请执行人反对变更执行法院")
    if k.wish.preferred_court:
        wishes.append(f"申请执行人希望由{k.wish.preferred_court}执行")
    situation = Situation(
        overdue=bool(p.overdue[i]), watch=bool(p.watch[i]),
        applied=bool(p.case_flags[i] & int(Trigger.REQUEST)),
        deadline_missed=bool(trig & int(Trigger.DEADLINE_MISSED)),
        moved=court != p.case_court[i], to_decider=court == decider, officers=short,
        entrusted=("out" if far else "in") if mine else "")
    return CasePlan(
        case_id=k.id, mode=mode.key, court_id=cids[court], from_court_id=k.court,
        entrusted_assets=tuple(k.assets[a - first].id for a in mine),
        costs=dict(zip(CASE_TERMS, np.round(ev.case_terms[i], 4).tolist(), strict=True)),
        reasons=reasons, note=exceptions.get(i),
        decided_by=cids[decider] if decider >= 0 else None, basis=basis_for(mode, situation),
        coordination=("officers" if short else "coordination") if mode is Mode.COORDINATE
        else None,
        wishes=tuple(wishes), court_name=names[court], from_court_name=names[p.case_court[i]],
        decided_by_name=names[decider] if decider >= 0 else None)


def test_case_plans_match_the_per_case_definitions() -> None:
    rng = random.Random(7)
    data = json.loads((ROOT / "scenarios" / "lishui.json").read_text(encoding="utf-8"))
    court_ids = [c["id"] for c in data["courts"]]
    for k in data["cases"][:400]:  # every kind of wish and flag
        k["wish"] = {"objects_to_transfer": rng.random() < 0.3,
                     "requests_escalation": rng.random() < 0.3,
                     "preferred_court": rng.choice(court_ids) if rng.random() < 0.3 else None}
        k["flags"] = {f: rng.random() < 0.2 for f in ("interference", "passive_handling",
                                                       "complex")}
    p = Problem.from_scenario(parse_scenario(data))
    o = build_options(p)
    o = dataclasses.replace(o, exceptions={**o.exceptions, 3: "no lawful exit", 17: "barred"})
    gen = np.random.default_rng(3)
    n, m, zeros = p.n_cases, p.n_courts, np.zeros(p.n_courts)
    for share in (0.0, 0.3, 1.0):  # no entrusted asset, some, all
        ev = Evaluation(
            mode=gen.integers(0, len(Mode), n), court=gen.integers(0, m, n),
            decider=np.where(gen.random(n) < 0.3, -1, gen.integers(0, m, n)),
            case_terms=gen.random((n, len(CASE_TERMS))) * 1000,
            entrusted=gen.random(len(p.asset_case)) < share, load_before=zeros,
            load_after=zeros, staff_after=zeros.astype(np.int64),
            lent_out=zeros.astype(np.int64), borrowed=zeros.astype(np.int64),
            load_penalty=zeros, lending_cost=0.0)
        got = case_plans(p, o, ev)
        assert got == [_expected(p, o.exceptions, ev, i) for i in range(n)]
