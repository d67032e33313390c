"""The planner's what-if changes to a scenario (变更方案), as one validated document.

A `ChangeSet` says what a planner at an intermediate or high court wants to try: more or fewer
officers (执行人员) at a court, courts barred from receiving or executing cases, other weights
and rules, pins (指定某案的方式与法院), cases that must not move, courts a case may not go to,
concentration orders (集中执行) for a debtor, caseload shocks, fixed staff loans (借调). It is
checked against the scenario by name (`ChangeSet.check`); whether a pin is *lawful* is checked
where the options are built (`optimizer/model/restrictions.py`), which cites the rule.

Staffing, caseloads, weights and rules change the `Problem` (`ChangeSet.apply`, travel times
kept); everything else restricts the options and the model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from optimizer.data.case_columns import case_columns
from optimizer.data.problem import Problem
from optimizer.data.scenario import Rules, Weights
from optimizer.law.bankruptcy import Screening
from optimizer.law.errors import UserError
from optimizer.law.modes import MODE_BY_KEY


class ChangesError(UserError):
    """A change that does not fit the scenario; the message names the change
    (`changes.pins[2]: …`). The CLI exits 2; the API reports it on `changes`."""

    path = "changes"


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class OfficerChange(_Change):
    """执行人员变动: add to (negative: take from) a court's officers, or set them. Never below 0."""

    court: str = Field(description="法院 id")
    add: int | None = Field(None, description="增加（负数为减少）的执行人员数")
    set: int | None = Field(None, ge=0, description="执行人员数改为")

    @model_validator(mode="after")
    def _one(self) -> OfficerChange:
        if (self.add is None) == (self.set is None):
            raise ValueError("give exactly one of add / set")
        return self


class Pin(_Change):
    """指定: the case takes exactly this mode at this court (its current court for keep,
    内部交叉, 督促 and 协同)."""

    case: str = Field(description="案号")
    mode: str = Field(description="交叉方式: " + ", ".join(MODE_BY_KEY))
    court: str = Field(description="执行法院 id")


class Forbid(_Change):
    """禁止移送: the case may not go to this court."""

    case: str = Field(description="案号")
    court: str = Field(description="法院 id")


class Shock(_Change):
    """案件量冲击: the court's open caseload (未结案件工作量) multiplied by `factor`."""

    court: str = Field(description="法院 id")
    factor: float = Field(ge=0, le=100, allow_inf_nan=False, description="倍数, 0–100")


class Loan(_Change):
    """固定借调: the lender lends exactly `officers` officers to the borrower for the period
    (协同执行的执行力量), whatever the solver would choose."""

    from_court: str = Field(alias="from", description="借出法院 id")
    to_court: str = Field(alias="to", description="借入法院 id")
    officers: int = Field(ge=1, le=100_000, description="借调人数")


class ChangeSet(_Change):
    """变更方案: the planner's what-if changes for one run. Every list may be empty."""

    officers: tuple[OfficerChange, ...] = Field((), description="执行人员变动")
    bar_receiving: tuple[str, ...] = Field(
        (), description="不得接收案件的法院: no option may bring a case there")
    bar_executing: tuple[str, ...] = Field(
        (), description="不得执行案件的法院 (e.g. 执行局被调查): its movable cases leave where the "
        "law allows (指令/提级/集中); it receives none")
    weights: dict[str, Any] = Field({}, description="目标权重: name → value (see Weights)")
    rules: dict[str, Any] = Field({}, description="规则开关: name → value (see Rules)")
    pins: tuple[Pin, ...] = Field((), description="指定方式与法院")
    keep: tuple[str, ...] = Field((), description="不得移送的案件 (案号): they stay at their court")
    forbid: tuple[Forbid, ...] = Field((), description="某案不得移送至某法院")
    concentrate: tuple[str, ...] = Field(
        (), description="必须集中执行的被执行人 (debtor id): the group takes one of its targets")
    never_concentrate: tuple[str, ...] = Field((), description="不得集中执行的被执行人 (debtor id)")
    shocks: tuple[Shock, ...] = Field((), description="案件量冲击")
    loans: tuple[Loan, ...] = Field((), description="固定借调")
    not_transfer: tuple[str, ...] = Field(
        (), description="不移送破产审查的被执行人 (debtor id): the planner overrides a `transfer` "
        "screening; the group's cases are planned as usual (a pin on one of its cases does the "
        "same for its group)")

    def __bool__(self) -> bool:
        return any(bool(getattr(self, f)) for f in type(self).model_fields)

    # ------------------------------------------------------------------ checks
    def check(self, p: Problem) -> None:
        """Every name refers to the scenario; raises `ChangesError` naming the change."""
        courts = set(p.court_ids)
        cases = set(p.case_ids)
        debtors = set(case_columns(p.scenario).debtor_id)
        errors: list[str] = []

        def need(ok: bool, where: str, msg: str) -> None:
            if not ok:
                errors.append(f"changes.{where}: {msg}")

        for i, oc in enumerate(self.officers):
            need(oc.court in courts, f"officers[{i}]", f"unknown court {oc.court}")
        for field in ("bar_receiving", "bar_executing"):
            for i, c in enumerate(getattr(self, field)):
                need(c in courts, f"{field}[{i}]", f"unknown court {c}")
        for i, pin in enumerate(self.pins):
            need(pin.case in cases, f"pins[{i}]", f"unknown case {pin.case}")
            need(pin.court in courts, f"pins[{i}]", f"unknown court {pin.court}")
            need(pin.mode in MODE_BY_KEY, f"pins[{i}]",
                 f"unknown mode {pin.mode!r}; known: {', '.join(MODE_BY_KEY)}")
        for i, k in enumerate(self.keep):
            need(k in cases, f"keep[{i}]", f"unknown case {k}")
        for i, f in enumerate(self.forbid):
            need(f.case in cases, f"forbid[{i}]", f"unknown case {f.case}")
            need(f.court in courts, f"forbid[{i}]", f"unknown court {f.court}")
        for field in ("concentrate", "never_concentrate"):
            for i, d in enumerate(getattr(self, field)):
                need(d in debtors, f"{field}[{i}]", f"unknown debtor {d}")
        for i, s in enumerate(self.shocks):
            need(s.court in courts, f"shocks[{i}]", f"unknown court {s.court}")
        for i, ln in enumerate(self.loans):
            need(ln.from_court in courts, f"loans[{i}]", f"unknown court {ln.from_court}")
            need(ln.to_court in courts, f"loans[{i}]", f"unknown court {ln.to_court}")
            need(ln.from_court != ln.to_court, f"loans[{i}]", "a court cannot lend to itself")
        transfer = ({p.screening.debtor_ids[i] for i in
                    np.flatnonzero(p.screening.status == Screening.TRANSFER).tolist()}
                    if p.scenario.debtors else set())
        for i, d in enumerate(self.not_transfer):
            need(d in transfer, f"not_transfer[{i}]",
                 f"debtor {d} is not screened for transfer to bankruptcy review (执转破), so "
                 "there is nothing to override")
        both = sorted(set(self.concentrate) & set(self.never_concentrate))
        need(not both, "concentrate", f"debtor(s) both concentrated and never: {', '.join(both)}")
        errors += self._check_parameters(p)
        if errors:
            raise ChangesError("; ".join(errors))

    def _check_parameters(self, p: Problem) -> list[str]:
        out = []
        for what, model, current in (("weights", Weights, p.weights), ("rules", Rules, p.rules)):
            given = getattr(self, what)
            unknown = sorted(set(given) - set(model.model_fields))
            if unknown:
                out.append(f"changes.{what}: unknown {what[:-1]}(s) {', '.join(unknown)}; known: "
                           f"{', '.join(model.model_fields)}")
                continue
            try:
                _override(model, current, given)
            except ValueError as e:
                out.append(f"changes.{what}: {e}".replace("\n", " "))
        return out

    # ------------------------------------------------------------------ applying
    def apply(self, p: Problem) -> Problem:
        """The problem under the weights, rules, staffing and caseload changes (travel times
        kept unless a rule changes the geometry). Call `check` first."""
        released = self._released(p)
        if not (self.weights or self.rules or self.officers or self.shocks):
            return p.replace(transfer_released=released) if released else p
        cidx = {c: i for i, c in enumerate(p.court_ids)}
        officers = p.officers.copy()
        for oc in self.officers:
            j = cidx[oc.court]
            officers[j] = oc.set if oc.set is not None else max(int(officers[j]) + (oc.add or 0), 0)
        load = p.open_caseload.copy()
        for s in self.shocks:
            load[cidx[s.court]] *= s.factor
        staff_changed = bool(self.officers or self.shocks)
        return p.replace(weights=_override(Weights, p.weights, self.weights),
                         rules=_override(Rules, p.rules, self.rules),
                         officers=officers if staff_changed else None,
                         open_caseload=load if staff_changed else None,
                         transfer_released=released or None)

    def _released(self, p: Problem) -> frozenset[str]:
        """Debtors whose 执转破 suspension the planner lifts: `not_transfer`, and the group of
        any pinned case that screening suspends (the pin is the planner's explicit word)."""
        out = set(self.not_transfer)
        if self.pins and p.suspended.any():
            index = {case_id: i for i, case_id in enumerate(p.case_ids)}
            debtor_ids = case_columns(p.scenario).debtor_id
            for pin in self.pins:
                i = index.get(pin.case)
                if i is not None and p.suspended[i]:
                    out.add(debtor_ids[i])
        return frozenset(out)

    def without(self, field: str, index: int) -> ChangeSet:
        """The same changes less one entry (`field[index]`, or the key `index` of a dict)."""
        value = getattr(self, field)
        if isinstance(value, dict):
            key = list(value)[index]
            return self.model_copy(update={field: {k: v for k, v in value.items() if k != key}})
        return self.model_copy(update={field: value[:index] + value[index + 1:]})

    def entries(self) -> list[tuple[str, int]]:
        """(field, index) of every single change, for deletion filters."""
        return [(f, i) for f in type(self).model_fields
                for i in range(len(getattr(self, f)))]


def _override(model: type[Weights] | type[Rules], current: Weights | Rules,
              changes: dict[str, Any]) -> Any:
    """A copy of `current` with `changes`, validated (names and values)."""
    unknown = sorted(set(changes) - set(model.model_fields))
    if unknown:
        raise ValueError(f"unknown {', '.join(unknown)}; known: {', '.join(model.model_fields)}")
    if not changes:
        return current
    data = current.model_dump()
    data.update({k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()})
    return model.model_validate(data)


def court_mask(p: Problem, ids: tuple[str, ...]) -> np.ndarray:
    """Boolean per court: listed."""
    return np.isin(np.array(p.court_ids, dtype=object), np.array(ids, dtype=object))
