"""The heavy jobs of the HTTP routes, run in a bounded child process (`api.sandbox`): reading a
scenario body or a workbook, and building a plan's files. What comes back to the HTTP process is
small (a check's result, the facts a stored version keeps) or bytes it stores or streams as they
are (the canonical scenario JSON, a file on disk): never the parsed model, which for a national
scenario is 2.3 GB of objects the HTTP process would keep.

Small scenario bodies (up to `INLINE_BYTES`) are read in the HTTP process itself: a child would
cost more than the parse, and so little text cannot describe enough records to matter.
"""

from __future__ import annotations

import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api.sandbox import run_in_child
from api.settings import Settings
from optimizer.data.read import parse_scenario
from optimizer.data.scenario import Scenario
from optimizer.data.validate import Defect, ScenarioError

#: bodies up to this size are parsed in the HTTP process (a 32 KiB body holds at most ~10,000
#: empty records, whose validation errors take ~100 MB at worst)
INLINE_BYTES = 32 << 10


@dataclass(frozen=True)
class CourtLink:
    id: str
    parent: str | None


@dataclass(frozen=True)
class CheckedScenario:
    """A valid scenario as storing it needs it, read in a child: its canonical JSON and the facts
    its version row and access rows keep. It answers what `crud.store_scenario` asks of a
    `Scenario` (name, dispatcher, courts with their parents, the number of cases, the canonical
    JSON) without the 300,000 case objects of a national file."""

    name: str
    dispatcher: str
    courts: tuple[CourtLink, ...]
    cases: range  # as many items as the scenario has cases
    canonical: str

    def model_dump_json(self) -> str:
        return self.canonical


def _facts(s: Scenario) -> CheckedScenario:
    return CheckedScenario(name=s.name, dispatcher=s.dispatcher,
                           courts=tuple(CourtLink(c.id, c.parent) for c in s.courts),
                           cases=range(len(s.cases)), canonical=s.model_dump_json())


def check_body(body: bytes) -> CheckedScenario:
    """(In the child.) The body read and checked; `ScenarioError` lists its defects."""
    return _facts(parse_scenario(body, "(body)"))


def validate_body(body: bytes) -> tuple[int, int]:
    """(In the child.) Courts and cases of a valid body; `ScenarioError` lists its defects."""
    s = parse_scenario(body, "(body)")
    return len(s.courts), len(s.cases)


def _limits(settings: Settings, what: str, status: int = 413) -> dict[str, Any]:
    return {"memory": settings.child_memory_bytes, "seconds": settings.child_seconds,
            "slots": settings.child_slots, "status": status, "what": what}


def read_scenario_body(settings: Settings, body: bytes) -> Scenario | CheckedScenario:
    """A request's scenario, checked: in this process when small, else in a bounded child."""
    if len(body) <= INLINE_BYTES:
        return parse_scenario(body, "(body)")
    return run_in_child(check_body, body, **_limits(settings, "the scenario"))


def count_scenario_body(settings: Settings, body: bytes) -> tuple[int, int]:
    """Courts and cases of a valid scenario body (`ScenarioError` for an invalid one)."""
    if len(body) <= INLINE_BYTES:
        s = parse_scenario(body, "(body)")
        return len(s.courts), len(s.cases)
    return run_in_child(validate_body, body, **_limits(settings, "the scenario"))


def workbook_json(data: bytes) -> bytes:
    """(In the child.) `courtplan import` on bytes: the workbook measured against its limits,
    read through a private temporary file; the scenario as canonical JSON. A defect that would
    name the temporary file names the request field instead."""
    from optimizer.io.xlsx_in import read_workbook
    from optimizer.io.xlsx_limits import check_workbook

    check_workbook(data, "workbook")
    with tempfile.TemporaryDirectory(prefix="courtplan-xlsx-") as tmp:
        path = Path(tmp) / "workbook.xlsx"
        path.write_bytes(data)
        try:
            scenario = read_workbook(path)
        except ScenarioError as e:
            raise ScenarioError([Defect("workbook" if d.path == str(path) else d.path, d.record, d.message)
                                 for d in e.defects]) from None
        except SyntaxError as e:  # malformed XML (xml.etree's ParseError)
            raise ScenarioError([Defect("workbook", None, f"工作簿的 XML 无法读取 (the workbook's XML "
                                                          f"is malformed: {e.msg})")]) from None
        except ValueError as e:  # e.g. defusedxml's refusals, should a declaration slip past the scan
            raise ScenarioError([Defect("workbook", None, f"工作簿无法读取 (the workbook cannot be read: "
                                                          f"{type(e).__name__})")]) from None
    return scenario.model_dump_json().encode("utf-8")


def convert_workbook(settings: Settings, data: bytes) -> bytes:
    return run_in_child(workbook_json, data, **_limits(settings, "the workbook"))


def _build(kind: str, plan_zlib: bytes, scenario_zlib: bytes, out: str) -> None:
    """(In the child.) One of a run's files, written to `out`."""
    from optimizer.results.plan import Plan

    plan = Plan.from_json(zlib.decompress(plan_zlib))
    scenario = parse_scenario(zlib.decompress(scenario_zlib), "(stored scenario)")
    data: bytes | str
    if kind == "map.svg":
        from optimizer.report.svg import district_map

        data = district_map(plan, scenario)
        if data.startswith("<svg "):  # inline in the report it needs no namespace; a file does
            data = '<svg xmlns="http://www.w3.org/2000/svg" ' + data[len("<svg "):]
    elif kind == "report.html":
        from optimizer.report.html import plan_report

        data = plan_report(plan, scenario)
    elif kind == "plan.xlsx":
        from optimizer.io.xlsx_out import write_plan_workbook

        write_plan_workbook(plan, Path(out), scenario)
        return
    else:
        from optimizer.report.drafts import drafts_zip

        data = drafts_zip(plan, scenario)[0]
    Path(out).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def build_plan_file(settings: Settings, kind: str, plan_zlib: bytes, scenario_zlib: bytes, out: Path) -> None:
    """A run's file (`map.svg`, `report.html`, `plan.xlsx`, `drafts.zip`) built in a bounded
    child into `out` (a private temporary file the caller streams and removes)."""
    run_in_child(_build, kind, plan_zlib, scenario_zlib, str(out),
                 **_limits(settings, f"the run's {kind}", status=503))
