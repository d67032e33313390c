"""The planners' files over HTTP, each a thin call of the library the CLI also uses: a scenario
workbook (.xlsx) converted to scenario JSON (`courtplan import`), and a run's plan as the district
map (SVG), the offline HTML report, the plan workbook and the zip of document drafts
(`courtplan report`, `export`, `drafts`).

The run routes keep the service's rules: a run outside the key's district is 404, every file is
an audited plan read (`plan.map`, `plan.report`, `plan.xlsx`, `plan.drafts`, with the scenario
version's content hash), and the edge marks every response `Cache-Control: no-store`.

Workbooks are read, and files built, in bounded child processes (`api/offload.py`): a hostile
workbook or a province's drafts (hundreds of MB) cost a child, and a file is streamed from a
private temporary folder, so the HTTP process never holds it whole.
"""

from __future__ import annotations

import base64
import binascii
import shutil
import tempfile
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from pydantic import Field
from starlette.background import BackgroundTask

from api import crud
from api.db.models import Run, RunPlan, ScenarioBody
from api.deps import Caller, ServiceDep, checked_id, not_found
from api.errors import AUTH, responses
from api.offload import build_plan_file, convert_workbook
from api.schemas import _In
from api.strict import StrictJSONRoute
from optimizer.law.errors import error_item

router = APIRouter(tags=["files"], route_class=StrictJSONRoute)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookIn(_In):
    """A scenario workbook, base64-encoded (request bodies are JSON only: see docs/service.md)."""

    workbook: str = Field(min_length=1, description="The .xlsx file, base64 (standard alphabet).")


@router.post("/convert/workbook", responses={
    200: {"description": "The scenario read from the workbook (the format of `GET /schema`); "
          "nothing is stored: `POST /scenarios` stores it.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Scenario"}}}},
    **responses(*AUTH, 503)})
async def convert_workbook_route(body: WorkbookIn, _: Caller, request: Request) -> Response:
    """Read a scenario workbook (.xlsx, the case system's export) as `courtplan import` does;
    every defect is named by sheet, row and column (422)."""
    try:
        data = base64.b64decode(body.workbook, validate=True)
    except (binascii.Error, ValueError):
        raise HTTPException(422, [error_item("workbook", None, "不是 base64 编码 (not base64)")]) from None
    scenario = await run_in_threadpool(convert_workbook, request.app.state.service.settings, data)
    return Response(scenario, media_type="application/json")


def stored_plan(service: ServiceDep, who: Caller, run_id: str, action: str) -> tuple[Run, bytes, bytes]:
    """The run's stored plan and the scenario version it planned (both as stored, compressed),
    the read audited as `action`. Read in a read session and audited in a short write
    transaction: building a file must not hold SQLite's write lock, which the workers need."""
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
        body = s.get(ScenarioBody, v.id)
        if body is None:
            raise HTTPException(409, "the run's scenario version has no stored body")
        plan_zlib, scenario_zlib, content_hash = bytes(stored.body), bytes(body.body), v.content_hash
        s.expunge(run)
    with service.writes.begin() as s:
        crud.audit(s, who, action, run.scenario_id, run.id, content_hash)
    return run, plan_zlib, scenario_zlib


def _plan_file(service: ServiceDep, who: Caller, run_id: str, kind: str, action: str) -> tuple[Run, Path]:
    """The file built in a bounded child process into a private temporary folder; the caller
    streams it and removes the folder afterwards (`_streamed`)."""
    run, plan_zlib, scenario_zlib = stored_plan(service, who, run_id, action)
    folder = Path(tempfile.mkdtemp(prefix="courtplan-file-"))  # 0700
    try:
        build_plan_file(service.settings, kind, plan_zlib, scenario_zlib, folder / kind)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return run, folder / kind


def _streamed(path: Path, media_type: str, name: str | None = None) -> FileResponse:
    """The file streamed from disk (the HTTP process never holds it whole), then removed."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"'} if name else None
    return FileResponse(path, media_type=media_type, headers=headers,
                        background=BackgroundTask(shutil.rmtree, path.parent, ignore_errors=True))


FILE = responses(401, 404, 409, 422, 503)


@router.get("/runs/{run_id}/map.svg", responses={
    200: {"description": "The district map (SVG).", "content": {"image/svg+xml": {}}}, **FILE})
def plan_map(run_id: str, who: Caller, service: ServiceDep) -> Response:
    """The report's district map: courts at their coordinates sized by load, case moves, loans."""
    _, path = _plan_file(service, who, run_id, "map.svg", "plan.map")
    return _streamed(path, "image/svg+xml")


@router.get("/runs/{run_id}/report.html", responses={
    200: {"description": "The self-contained report, as a download.", "content": {"text/html": {}}}, **FILE})
def plan_report_file(run_id: str, who: Caller, service: ServiceDep) -> Response:
    """The plan as one offline HTML page (`courtplan report`), as an attachment."""
    run, path = _plan_file(service, who, run_id, "report.html", "plan.report")
    return _streamed(path, "text/html; charset=utf-8", f"report-{run.id[:8]}.html")


@router.get("/runs/{run_id}/plan.xlsx", responses={
    200: {"description": "The plan workbook.", "content": {XLSX_TYPE: {}}}, **FILE})
def plan_workbook(run_id: str, who: Caller, service: ServiceDep) -> Response:
    """The plan as a workbook (`courtplan export --scenario`): 汇总, 案件, 法院, 人员调配."""
    run, path = _plan_file(service, who, run_id, "plan.xlsx", "plan.xlsx")
    return _streamed(path, XLSX_TYPE, f"plan-{run.id[:8]}.xlsx")


@router.get("/runs/{run_id}/drafts.zip", responses={
    200: {"description": "One .docx per case that needs a document.", "content": {"application/zip": {}}},
    **FILE})
def plan_drafts(run_id: str, who: Caller, service: ServiceDep) -> Response:
    """DOCX drafts of the documents the decisions need (`courtplan drafts`), zipped."""
    run, path = _plan_file(service, who, run_id, "drafts.zip", "plan.drafts")
    return _streamed(path, "application/zip", f"drafts-{run.id[:8]}.zip")
