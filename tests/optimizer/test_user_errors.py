"""One user-error type: every input the user can fix is a `UserError`, which gives the CLI its
exit code and the API its error items; `error_item` is the one error shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.cli import main
from optimizer.data.changes import ChangesError
from optimizer.data.validate import Defect, ScenarioError
from optimizer.io.warmfile import WarmFileError
from optimizer.law.errors import ExitCode, UserError, error_item
from optimizer.solver.executors import RayUnavailable
from optimizer.solver.params import ParamsError, SolveParams
from optimizer.workbench.view import PlanMismatch

TINY = Path(__file__).resolve().parent.parent / "data" / "tiny.json"


@pytest.mark.parametrize("kind", [ScenarioError, ChangesError, WarmFileError, PlanMismatch,
                                  ParamsError, RayUnavailable])
def test_every_input_error_is_a_user_error(kind):
    assert issubclass(kind, UserError)


def test_items_name_where_and_which_record():
    e = ScenarioError([Defect("cases[2].court", "（2025）浙1102执1号", "unknown court 'Q'"),
                       Defect("courts[0].officers", "A", "must not be negative")])
    assert e.items() == [error_item("cases[2].court", "（2025）浙1102执1号", "unknown court 'Q'"),
                         error_item("courts[0].officers", "A", "must not be negative")]
    assert ChangesError("changes.pins[0]: no such case").items() == [
        {"path": "changes", "record": None, "message": "changes.pins[0]: no such case"}]
    with pytest.raises(ParamsError) as caught:
        SolveParams(gap=2.0)
    assert caught.value.items()[0]["path"] == "params"


def test_cli_exits_with_the_errors_code(tmp_path, capsys):
    bad = tmp_path / "changes.json"
    bad.write_text('{"pins": [{"case": "nope", "mode": "keep", "court": "A"}]}', encoding="utf-8")
    assert main(["solve", str(TINY), "--changes", str(bad), "--quiet"]) == ExitCode.INVALID
    assert "nope" in capsys.readouterr().err


def test_cli_takes_the_exit_code_from_the_error_type(monkeypatch, capsys):
    class Refused(UserError):
        exit_code = ExitCode.INFEASIBLE

    def refuse(*_a, **_k):
        raise Refused("大小写 refused by the scenario's owner")

    monkeypatch.setattr("optimizer.data.read.read_scenario", refuse)
    assert main(["validate", str(TINY)]) == ExitCode.INFEASIBLE
    assert "refused by the scenario's owner" in capsys.readouterr().err
