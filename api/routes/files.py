"""The planners' files over HTTP, each a thin call of the library the CLI also uses: a scenario
workbook (.xlsx) converted to scenario JSON (`courtplan import`), and a run's plan as the district
map (SVG), the offline HTML report, the plan workbook and the zip of document drafts
(`courtplan report`, `export`, `drafts`).

The run routes keep the service's rules: a run outside the key's district is 404, every file is
an audited plan read (`plan.map`, `plan.report`, `plan.xlsx`, `plan.drafts`, with the scenario
version's content hash), and the edge marks every response `Cache-Control: no-store`.
"""

from __future__ import annotations

import base64
import binascii
import tempfile
import zlib
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import Field

from api import crud
from api.db.models import Run, RunPlan
from api.deps import Caller, ServiceDep, checked_id, not_found
from api.errors import AUTH, responses
from api.schemas import _In
from optimizer.data.read import parse_scenario
from optimizer.data.scenario import Scenario
from optimizer.data.validate import Defect, ScenarioError
from optimizer.results.plan import Plan

router = APIRouter(tags=["files"])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookIn(_In):
    """A scenario workbook, base64-encoded (request bodies are JSON only: see docs/service.md)."""

    workbook: str = Field(min_length=1, description="The .xlsx file, base64 (standard alphabet).")


def _workbook_scenario(data: bytes) -> dict[str, Any]:
    """`courtplan import` on bytes: the workbook through a private temporary file; a defect that
    would name that file names the request field instead."""
    from optimizer.io.xlsx_in import read_workbook

    with tempfile.TemporaryDirectory(prefix="courtplan-xlsx-") as tmp:
        path = Path(tmp) / "workbook.xlsx"
        path.write_bytes(data)
        try:
            scenario = read_workbook(path)
        except ScenarioError as e:
            raise ScenarioError([Defect("workbook" if d.path == str(path) else d.path, d.record, d.message)
                                 for d in e.defects]) from None
    return scenario.model_dump(mode="json")


@router.post("/convert/workbook", responses={
    200: {"description": "The scenario read from the workbook (the format of `GET /schema`); "
          "nothing is stored: `POST /scenarios` stores it.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}},
    **responses(*AUTH)})
async def convert_workbook(body: WorkbookIn, _: Caller) -> dict[str, Any]:
    """Read a scenario workbook (.xlsx, the case system's export) as `courtplan import` does;
    every defect is named by sheet, row and column (422)."""
    try:
        data = base64.b64decode(body.workbook, validate=True)
    except (binascii.Error, ValueError):
        raise HTTPException(422, [{"path": "workbook", "record": None,
                                   "message": "不是 base64 编码 (not base64)"}]) from None
    return await run_in_threadpool(_workbook_scenario, data)


def _plan_and_scenario(service: ServiceDep, who: Caller, run_id: str, action: str) -> tuple[Run, Plan, Scenario]:
    """The run's plan and the scenario version it planned, the read audited as `action`. Read in
    a read session and audited in a short write transaction: building a file (the drafts of
    1,500 cases take seconds) must not hold SQLite's write lock, which the workers need."""
    with service.reads() as s:
        run = crud.visible_run(s, who, checked_id(run_id, "run"))
        if run is None:
            raise not_found("run")
        stored = s.get(RunPlan, run.id)
        if stored is None:
            raise HTTPException(409, f"the run has no plan (it is {run.status})")
        v = crud.scenario_version(s, who, run.scenario_id, crud.run_version(s, run))
        if v is None:
            raise not_found("scenario version")
        plan_bytes, body, content_hash = stored.body, crud.scenario_body(s, v.id), v.content_hash
        s.expunge(run)
    with service.writes.begin() as s:
        crud.audit(s, who, action, run.scenario_id, run.id, content_hash)
    scenario = parse_scenario(body, "(stored scenario)")
    return run, Plan.from_json(zlib.decompress(plan_bytes)), scenario


def _attachment(data: bytes | str, media_type: str, name: str) -> Response:
    return Response(data, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


FILE = responses(401, 404, 409, 422)


@router.get("/runs/{run_id}/map.svg", responses={
    200: {"description": "The district map (SVG).", "content": {"image/svg+xml": {}}}, **FILE})
def plan_map(run_id: str, who: Caller, service: ServiceDep) -> Response:
    """The report's district map: courts at their coordinates sized by load, case moves, loans."""
    from optimizer.report.svg import district_map

    _, plan, scenario = _plan_and_scenario(service, who, run_id, "plan.map")
    svg = district_map(plan, scenario)
    if svg.startswith("<svg "):  # inline in the report it needs no namespace; a file of its own does
        svg = '<svg xmlns="http://www.w3.org/2000/svg" ' + svg[len("<svg "):]
    return Response(svg, media_type="image/svg+xml")


@router.get("/runs/{run_id}/report.html", responses={
    200: {"description": "The self-contained report, as a download.", "content": {"text/html": {}}}, **FILE})
def plan_report_file(run_id: str, who: Caller, service: ServiceDep) -> Response:
    """The plan as one offline HTML page (`courtplan report`), as an attachment."""
    from optimizer.report.html import plan_report

    run, plan, scenario = _plan_and_scenario(service, who, run_id, "plan.report")
    return _attachment(plan_report(plan, scenario), "text/html; charset=utf-8", f"report-{run.id[:8]}.html")


@router.get("/runs/{run_id}/plan.xlsx", responses={
    200: {"description": "The plan workbook.", "content": {XLSX_TYPE: {}}}, **FILE})
def plan_workbook(run_id: str, who: Caller, service: ServiceDep) -> Response:
    """The plan as a workbook (`courtplan export --scenario`): 汇总, 案件, 法院, 人员调配."""
    from optimizer.io.xlsx_out import write_plan_workbook

    run, plan, scenario = _plan_and_scenario(service, who, run_id, "plan.xlsx")
    with tempfile.TemporaryDirectory(prefix="courtplan-plan-") as tmp:
        path = Path(tmp) / "plan.xlsx"
        write_plan_workbook(plan, path, scenario)
        data = path.read_bytes()
    return _attachment(data, XLSX_TYPE, f"plan-{run.id[:8]}.xlsx")


@router.get("/runs/{run_id}/drafts.zip", responses={
    200: {"description": "One .docx per case that needs a document.", "content": {"application/zip": {}}},
    **FILE})
def plan_drafts(run_id: str, who: Caller, service: ServiceDep) -> Response:
    """DOCX drafts of the documents the decisions need (`courtplan drafts`), zipped."""
    from optimizer.report.drafts import drafts_zip

    run, plan, scenario = _plan_and_scenario(service, who, run_id, "plan.drafts")
    data, _count = drafts_zip(plan, scenario)
    return _attachment(data, "application/zip", f"drafts-{run.id[:8]}.zip")
