"""The one error the user can fix (输入错误), and the one shape every error takes.

`UserError` is an input the user can correct: a scenario file, a changes document, an argument,
a plan or warm-start file. The CLI answers it with its `exit_code` and the message; the API with
HTTP 422 and its `items()`; a service worker stores its items on the failed run. Anything else
that goes wrong is a fault of the product and is reported as one (never as the user's).

`error_item` builds the error shape of the API and of a failed run — `{path, record, message}`:
where (a path in the request, the scenario or the run), which record, what is wrong — in one
place.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TypedDict


class ExitCode(IntEnum):
    """The CLI's exit codes (README "Exit codes"; the service's start: docs/operations.md)."""

    OK = 0
    INVALID = 2  # invalid input: file, arguments, changes
    INFEASIBLE = 3  # no plan meets every hard rule
    DATABASE_UNREACHABLE = 69  # the service cannot start: its database does not answer (EX_UNAVAILABLE)
    CANNOT_LISTEN = 71  # the service cannot start: its port cannot be bound (EX_OSERR)
    INTERRUPTED = 130  # Ctrl-C


class ErrorItem(TypedDict):
    path: str
    record: str | None
    message: str


def error_item(path: str, record: str | None, message: str) -> ErrorItem:
    """One error of the API's `detail` list (and of a failed run's `error`)."""
    return {"path": path, "record": record, "message": message}


class UserError(ValueError):
    """An input the user can fix; the message names the field and the record.

    `path` says where in the request the input sits for the API (`changes`, `params`, …);
    subclasses with several defects (`ScenarioError`) give one item each."""

    exit_code = ExitCode.INVALID
    #: where the input sits; None: where the caller says (`items(where=…)`)
    path: str | None = None

    def items(self, where: str = "(input)") -> list[ErrorItem]:
        """The error as API items: at the error's own `path`, else at `where` (a worker says
        `changes` for a plan's run, `task` for a workbench job's)."""
        return [error_item(self.path or where, None, str(self))]
