"""The planner's changes on the command line: `--changes FILE.json` and one flag per kind of
change, merged into one `ChangeSet` (flags after the file's entries)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from optimizer.data.changes import ChangesError, ChangeSet


def _split(flag: str, item: str, sep: str) -> tuple[str, str]:
    left, found, right = item.partition(sep)
    if not found or not left or not right:
        raise ChangesError(f"{flag}: expected LEFT{sep}RIGHT, got {item!r}")
    return left, right


def _number(flag: str, text: str, kind: type = float) -> Any:
    try:
        return kind(text)
    except ValueError:
        raise ChangesError(f"{flag}: {text!r} is not a {'whole ' if kind is int else ''}number"
                           ) from None


def _officers(item: str) -> dict[str, Any]:
    """C=+5 / C=-2 add; C==12 sets."""
    court, value = _split("--officers", item, "=")
    if value.startswith("="):
        return {"court": court, "set": _number("--officers", value[1:], int)}
    return {"court": court, "add": _number("--officers", value, int)}


def _value(flag: str, text: str) -> Any:
    """A weight or rule value: a number, a comma list of numbers, true/false/null, or text."""
    if "," in text:
        return [_number(flag, v) for v in text.split(",")]
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _named(flag: str, items: Sequence[str]) -> dict[str, Any]:
    return {k: _value(flag, v) for k, v in (_split(flag, i, "=") for i in items)}


def _pin(item: str) -> dict[str, str]:
    case, target = _split("--pin", item, "=")
    mode, court = _split("--pin", target, "@")
    return {"case": case, "mode": mode, "court": court}


def _loan(item: str) -> dict[str, Any]:
    pair, n = _split("--loan", item, "=")
    lender, borrower = _split("--loan", pair, ":")
    return {"from": lender, "to": borrower, "officers": _number("--loan", n, int)}


def _from_flags(a: argparse.Namespace) -> dict[str, list[Any] | dict[str, Any]]:
    return {
        "officers": [_officers(i) for i in a.officers],
        "bar_receiving": list(a.bar_receiving), "bar_executing": list(a.bar_executing),
        "weights": _named("--weight", a.weight), "rules": _named("--rule", a.rule),
        "pins": [_pin(i) for i in a.pin], "keep": list(a.keep),
        "forbid": [dict(zip(("case", "court"), _split("--forbid", i, "@"), strict=True))
                   for i in a.forbid],
        "concentrate": list(a.concentrate), "never_concentrate": list(a.never_concentrate),
        "shocks": [{"court": c, "factor": _number("--shock", f)}
                   for c, f in (_split("--shock", i, "=") for i in a.shock)],
        "loans": [_loan(i) for i in a.loan],
        "not_transfer": list(a.not_transfer),
    }


def changes_from_args(a: argparse.Namespace) -> ChangeSet:
    """The `ChangeSet` of `--changes FILE` and the flags (a bad file or flag: `ChangesError`
    or pydantic's `ValidationError`, both exit 2)."""
    data: dict[str, Any] = {}
    if a.changes:
        try:
            data = json.loads(Path(a.changes).read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise ChangesError(f"{a.changes}: not JSON ({e.msg}, line {e.lineno})") from None
        if not isinstance(data, dict):
            raise ChangesError(f"{a.changes}: a changes document is a JSON object")
    for key, value in _from_flags(a).items():
        if isinstance(value, dict):
            data[key] = {**data.get(key, {}), **value}
        elif value:
            data[key] = [*data.get(key, []), *value]
    return ChangeSet.model_validate(data)


def add_change_flags(so: argparse.ArgumentParser) -> None:
    """The flags of the planner's changes (each repeatable)."""
    g = so.add_argument_group("what-if changes 变更 (each flag repeatable)")
    g.add_argument("--changes", default=None, metavar="FILE.json",
                   help="a changes document (courtplan changes-schema)")
    flags = (
        ("--officers", "C=+5 | C=-2 | C==12", "add to / set a court's officers 执行人员"),
        ("--bar-receiving", "C", "court may not receive cases 不得接收"),
        ("--bar-executing", "C", "court may not execute; its cases leave where lawful 不得执行"),
        ("--pin", "CASE=MODE@C", "fix a case's mode and court 指定"),
        ("--keep", "CASE", "the case must not move 不得移送"),
        ("--forbid", "CASE@C", "the case may not go to C 禁止移送至"),
        ("--concentrate", "DEBTOR", "the debtor's cases must be concentrated 必须集中执行"),
        ("--never-concentrate", "DEBTOR", "never concentrate the debtor's cases 不得集中执行"),
        ("--shock", "C=1.2", "multiply a court's open caseload 案件量冲击"),
        ("--loan", "FROM:TO=2", "lend exactly that many officers 固定借调"),
        ("--not-transfer", "DEBTOR", "plan a debtor screened for 执转破 as usual 不移送破产审查"),
        ("--weight", "NAME=VALUE", "override an objective weight 权重"),
        ("--rule", "NAME=VALUE", "override a rule 规则"),
    )
    for flag, metavar, text in flags:
        g.add_argument(flag, action="append", default=[], metavar=metavar, help=text)
