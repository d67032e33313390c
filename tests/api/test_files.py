"""The file routes the dashboard uses: a workbook converted to a scenario, and a run's map,
report, plan workbook and drafts zip, each keeping the service's rules (district → 404, audited,
no-store); and the dashboard's static files under their own CSP."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from api.jobs import Worker
from optimizer.data.read import parse_scenario
from optimizer.io.xlsx_scenario import write_scenario_workbook
from tests.api.conftest import TINY, auth, store

FILES = {"map.svg": ("image/svg+xml", "plan.map"), "report.html": ("text/html", "plan.report"),
         "plan.xlsx": ("application/vnd.openxmlformats", "plan.xlsx"),
         "drafts.zip": ("application/zip", "plan.drafts")}


@pytest.fixture()
def done_run(client, keys, service) -> str:
    sid = store(client, keys.m)["id"]
    run = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 10}, headers=auth(keys.m)).json()["id"]
    assert Worker(service.settings, service.engine).run(once=True) == 1
    assert client.get(f"/runs/{run}", headers=auth(keys.m)).json()["status"] == "done"
    return str(run)


def test_plan_files_are_the_library_outputs_audited_and_not_cached(client, keys, done_run):
    scenario = parse_scenario(TINY)
    for name, (media, _action) in FILES.items():
        r = client.get(f"/runs/{done_run}/{name}", headers=auth(keys.m))
        assert r.status_code == 200, (name, r.text)
        assert r.headers["content-type"].startswith(media) and r.headers["cache-control"] == "no-store"
        if name != "map.svg":
            assert r.headers["content-disposition"].startswith("attachment; filename=")
    svg = client.get(f"/runs/{done_run}/map.svg", headers=auth(keys.m)).text
    root = ElementTree.fromstring(svg)  # a standalone SVG document: the SVG namespace
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}circle")) == len(scenario.courts)
    report = client.get(f"/runs/{done_run}/report.html", headers=auth(keys.m)).text
    assert all(c.name in report for c in scenario.courts) and "<svg" in report
    book = load_workbook(io.BytesIO(client.get(f"/runs/{done_run}/plan.xlsx", headers=auth(keys.m)).content))
    assert book.sheetnames[:3] == ["汇总", "案件", "法院"]
    cases = [row[0] for row in book["案件"].iter_rows(min_row=2, values_only=True)]
    assert sorted(cases) == sorted(c.id for c in scenario.cases)
    drafts = client.get(f"/runs/{done_run}/drafts.zip", headers=auth(keys.m)).content
    names = zipfile.ZipFile(io.BytesIO(drafts)).namelist()
    assert all(n.endswith(".docx") for n in names)
    actions = [a["action"] for a in client.get("/audit", headers=auth(keys.admin)).json()["items"]]
    for _, action in FILES.values():
        assert action in actions


def test_plan_files_outside_the_district_are_404_and_need_a_key(client, keys, done_run):
    for name in FILES:
        assert client.get(f"/runs/{done_run}/{name}", headers=auth(keys.a)).status_code == 404
        assert client.get(f"/runs/{done_run}/{name}", headers=auth(keys.z)).status_code == 404
        assert client.get(f"/runs/{done_run}/{name}").status_code == 401
        assert client.get(f"/runs/{'0' * 32}/{name}", headers=auth(keys.m)).status_code == 404


def test_a_queued_run_has_no_files_yet(client, keys):
    sid = store(client, keys.m)["id"]
    run = client.post(f"/scenarios/{sid}/runs", json={}, headers=auth(keys.m)).json()["id"]
    r = client.get(f"/runs/{run}/report.html", headers=auth(keys.m))
    assert r.status_code == 409 and "queued" in r.json()["detail"][0]["message"]


def test_workbook_converts_to_the_same_scenario(client, keys, tmp_path):
    scenario = parse_scenario(TINY)
    write_scenario_workbook(scenario, tmp_path / "s.xlsx")
    body = {"workbook": base64.b64encode((tmp_path / "s.xlsx").read_bytes()).decode()}
    r = client.post("/convert/workbook", json=body, headers=auth(keys.m))
    assert r.status_code == 200, r.text
    back = parse_scenario(json.dumps(r.json()).encode())
    assert [c.id for c in back.cases] == [c.id for c in scenario.cases]
    assert [c.id for c in back.courts] == [c.id for c in scenario.courts]
    assert client.post("/convert/workbook", json=body).status_code == 401


@pytest.mark.parametrize(("workbook", "message"), [
    ("not base64!", "base64"), (base64.b64encode(b"PK not a zip").decode(), ".xlsx")])
def test_broken_workbooks_are_named_not_tracebacks(client, keys, workbook, message):
    r = client.post("/convert/workbook", json={"workbook": workbook}, headers=auth(keys.m))
    assert r.status_code == 422
    problem = r.json()["detail"][0]
    assert problem["path"] == "workbook" and message in problem["message"] and "/tmp" not in r.text


def test_the_dashboard_is_served_with_its_own_csp(client):
    r = client.get("/ui/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert 'src="app.js"' in r.text and "onclick" not in r.text.lower()
    script = client.get("/ui/app.js").headers["content-type"]
    assert script.startswith(("text/javascript", "application/javascript"))
    assert client.get("/ui", follow_redirects=False).headers["location"] == "/ui/"
    api = client.get("/health").headers["content-security-policy"]
    assert api.startswith("default-src 'none'")  # the API's own policy is unchanged
    plain = client.post("/convert/workbook", content=b"x", headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415
