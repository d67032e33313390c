"""The scenario format as a page for people (docs/scenario-format.md), generated from the
pydantic models so it cannot drift from them (`courtplan schema --markdown`; a test compares)."""

from __future__ import annotations

import types
import typing
from importlib import resources
from typing import Any

from pydantic import BaseModel

from optimizer.data.scenario import (
    ApplicantWish,
    Asset,
    CalendarDays,
    Case,
    CaseFlags,
    Court,
    Party,
    Period,
    Place,
    Rules,
    Scenario,
    Weights,
)
from optimizer.data.scenario_outcomes import (
    Consent,
    CourtHistory,
    Debtor,
    HistoryMonth,
    TerminatedCase,
    TerminatedStock,
)

SECTIONS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("Scenario (root)", Scenario), ("Period", Period), ("Place", Place), ("Court", Court),
    ("Case", Case), ("Party", Party), ("Asset", Asset), ("CaseFlags", CaseFlags),
    ("ApplicantWish", ApplicantWish),
    ("Weights (objective, cost points ≈ minutes of a party's travel)", Weights),
    ("Rules (hard constraints and switches)", Rules),
    ("CalendarDays (`calendar`: 法定休假日, 民事诉讼法第85条第3款)", CalendarDays),
    ("Debtor (`debtors`: 执转破 screening, docs/outcomes.md)", Debtor), ("Consent", Consent),
    ("TerminatedStock (`terminated`: each court's 终本库)", TerminatedStock),
    ("TerminatedCase", TerminatedCase),
    ("CourtHistory (`history`: each court's last months, for the projection)", CourtHistory),
    ("HistoryMonth", HistoryMonth),
)

def _notes(name: str) -> str:
    return resources.files("optimizer.report").joinpath(name).read_text(encoding="utf-8")


def type_name(annotation: Any) -> str:
    """A field's type as a reader would write it."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0])
    if origin is typing.Literal:
        return " \\| ".join(repr(a) for a in args)
    if origin in (types.UnionType, typing.Union):
        return " or ".join("null" if a is type(None) else type_name(a) for a in args)
    if origin is tuple:
        return f"list of {type_name(args[0])}" if args else "list"
    if origin is dict:
        return "object"
    return getattr(annotation, "__name__", str(annotation))


def _default(field: Any) -> str:
    if field.is_required():
        return "required"
    value = field.default
    if isinstance(value, BaseModel):
        return "see below"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(v) for v in value) + "]"
    return repr(value)


def model_table(model: type[BaseModel]) -> str:
    rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        text = (field.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{name}` | {type_name(field.annotation)} | {_default(field)} | {text} |")
    return "\n".join(rows)


def scenario_format_markdown() -> str:
    parts = [_notes("scenario_format_intro.md").rstrip() + "\n"]
    for title, model in SECTIONS:
        parts.append(f"## {title}\n\n{model_table(model)}\n")
    parts.append(_notes("scenario_format_generated.md").rstrip() + "\n")
    return "\n".join(parts)
