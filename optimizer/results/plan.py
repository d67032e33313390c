"""The result of a solve: a plan that reads and writes its own JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from optimizer.solver.stats import SolveStats


@dataclass(frozen=True)
class CasePlan:
    case_id: str
    mode: str  # keep / internal / supervise / designate / elevate / concentrate / coordinate
    court_id: str  # executing court after the plan
    from_court_id: str
    entrusted_assets: tuple[str, ...]
    costs: dict[str, float]
    reasons: tuple[str, ...]  # triggers (必要性) in Chinese
    note: str | None = None  # why a rule could not be met, if so
    decided_by: str | None = None  # court that decides the mode (None for keep)
    basis: str = ""  # document issued and legal basis (规范性)
    #: 协同执行 only: "officers" (lent officers come, for a staff shortage) or "coordination"
    #: (the upper court coordinates a complex case, no officers)
    coordination: str | None = None
    wishes: tuple[str, ...] = ()  # the applicant's wishes, shown but not acted upon as such
    court_name: str = ""  # names next to the ids, for people reading the file
    from_court_name: str = ""
    decided_by_name: str | None = None


_CASE_FIELDS = tuple(f.name for f in fields(CasePlan))
#: one encoder for every row (`json.dumps` builds a new one per call: a tenth of the time of a
#: 300,000-case plan)
_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False)
#: rows per piece of `Plan.json_chunks`: a few MB of text at a time
_ROWS_PER_CHUNK = 4096


def case_plans_from_columns(columns: dict[str, Sequence[Any]]) -> list[CasePlan]:
    """Many `CasePlan`s at once, from one sequence per field (every field, each as long as
    the others). The frozen dataclass's `__init__` sets the 15 fields one call at a time, as
    long as all the rest of building a 20,000-case plan; here each row fills its instance's
    attribute dict in one update, in field order (the order `to_dict` writes them)."""
    names = _CASE_FIELDS
    if set(columns) != set(names):
        raise ValueError(f"case columns {sorted(columns)} are not the fields {sorted(names)}")
    new = object.__new__
    out = []
    for row in zip(*(columns[n] for n in names), strict=True):
        case = new(CasePlan)
        case.__dict__.update(zip(names, row, strict=True))
        out.append(case)
    return out


@dataclass(frozen=True)
class CourtPlan:
    court_id: str
    name: str
    load_before: float
    load_after: float
    capacity: float  # workload units after lending
    officers: int
    officers_lent: int
    officers_borrowed: int
    cases_in: int
    cases_out: int
    matters_received: int  # 事项委托 received (not docketed there)


@dataclass(frozen=True)
class StaffMove:
    from_court: str
    to_court: str
    officers: int


@dataclass(frozen=True)
class Plan:
    scenario: str
    plan_date: str  # the plan acts on this day (period.start): the Art. 237 clock's date
    status: str
    objective: float
    bound: float
    gap: float
    method: str
    terms: dict[str, float]
    cases: tuple[CasePlan, ...]
    courts: tuple[CourtPlan, ...]
    staff_moves: tuple[StaffMove, ...]
    kpis: dict[str, Any] = field(default_factory=dict)
    stats: SolveStats = field(default_factory=SolveStats)
    #: in memory only (not in the file): where a what-if variant starts (`solver/warm.py`)
    warm_starts: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "warm_starts"}
        out["stats"] = self.stats.to_dict()
        out["cases"] = [vars(c) for c in self.cases]  # shallow: much faster than asdict
        out["courts"] = [vars(c) for c in self.courts]
        out["staff_moves"] = [vars(m) for m in self.staff_moves]
        return out

    def to_json(self) -> str:
        """Compact UTF-8 JSON, one case per line for readable diffs."""
        return "".join(self.json_chunks())

    def json_chunks(self) -> Iterator[str]:
        """`to_json` in pieces of a few thousand rows, for writing as they are made: the
        national plan's text is ≈ 220 MB (≈ 0.6 GB as one Python string, and as much again for
        each copy a join makes), its pieces a few MB each."""
        d = self.to_dict()
        head = {k: v for k, v in d.items() if k not in ("cases", "courts", "staff_moves")}
        yield json.dumps(head, ensure_ascii=False)[:-1]
        encode = _ROW_ENCODER.encode
        for key in ("courts", "staff_moves", "cases"):
            rows = d[key]
            if not rows:
                yield f', "{key}": []'
                continue
            yield f', "{key}": [\n  '
            for at in range(0, len(rows), _ROWS_PER_CHUNK):
                text = ",\n  ".join(map(encode, rows[at:at + _ROWS_PER_CHUNK]))
                yield text if at == 0 else ",\n  " + text
            yield "\n]"
        yield "}\n"

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Plan:
        return cls(
            scenario=d["scenario"], plan_date=d["plan_date"], status=d["status"],
            objective=float(d["objective"]),
            bound=float(d["bound"]), gap=float(d["gap"]), method=d["method"],
            terms={k: float(v) for k, v in d["terms"].items()},
            cases=tuple(CasePlan(**{**c, "entrusted_assets": tuple(c["entrusted_assets"]),
                                    "reasons": tuple(c["reasons"]),
                                    "wishes": tuple(c.get("wishes", ()))}) for c in d["cases"]),
            courts=tuple(CourtPlan(**c) for c in d["courts"]),
            staff_moves=tuple(StaffMove(**m) for m in d["staff_moves"]),
            kpis=d.get("kpis", {}), stats=SolveStats.from_dict(d.get("stats", {})),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Plan:
        return cls.from_dict(json.loads(text))
