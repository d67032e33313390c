"""Bounded uploads and downloads over HTTP: hostile workbooks answer 422 naming the limit (never
500), large scenarios are read in a bounded child process (a memory or time limit hit is 413
naming the setting, and the HTTP process stays as it was), and a run's files are built outside
the HTTP process and streamed."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from api.jobs import Worker
from api.security import new_key
from benchmarks import hostile
from optimizer.data.read import parse_scenario
from tests.api.conftest import JSON, auth, store

LISHUI = (Path(__file__).resolve().parent.parent.parent / "scenarios" / "lishui.json").read_bytes()


def convert(client, token, data: bytes):
    return client.post("/convert/workbook", json={"workbook": base64.b64encode(data).decode()},
                       headers=auth(token))


@pytest.mark.parametrize(("make", "words"), [
    (hostile.external_entity, "DOCTYPE"), (hostile.entity_expansion, "DOCTYPE"),
    (lambda: hostile.many_shared_strings(1_000_001), "max_shared_strings"),
    (lambda: hostile.many_rows(20, dimension="A1:XFD20"), "max_columns"),
    (lambda: hostile.zip_bomb(300), "max_uncompressed_bytes"),
    (lambda: hostile.workbook(iter([b'<worksheet><sheetData><row r="1"><c r="A1"'])), "malformed")])
def test_hostile_workbooks_answer_422_naming_the_limit(client, keys, make, words):
    r = convert(client, keys.m, make())
    assert r.status_code == 422, r.text[:300]
    [problem] = r.json()["detail"]
    assert problem["path"] == "workbook" and words in problem["message"], problem
    assert "/tmp" not in r.text and "passwd" not in r.text


def test_a_body_needing_more_memory_than_allowed_is_413_not_a_dead_process(client, keys, service):
    service.settings.child_memory_bytes = 256 << 20
    # 100,000 empty cases: within the record limit, but a dozen validation errors each (~1 GB)
    body = b'{"format_version": 1, "cases": [' + b",".join([b"{}"] * 100_000) + b"]}"
    r = client.post("/validate", content=body, headers=auth(keys.m, **JSON))
    assert r.status_code == 413, r.text[:300]
    assert "COURTPLAN_CHILD_MEMORY_BYTES" in r.json()["detail"][0]["message"]
    assert client.get("/health").status_code == 200


def test_a_body_taking_longer_than_allowed_is_413(client, keys, service):
    service.settings.child_seconds = 0.05
    r = client.post("/validate", content=LISHUI, headers=auth(keys.m, **JSON))
    assert r.status_code == 413 and "COURTPLAN_CHILD_SECONDS" in r.text, r.text[:300]


def test_a_large_scenario_read_in_a_child_is_stored_exactly(client, keys, service):
    with service.writes.begin() as s:
        token = new_key(s, "C331100", False)[1]
    canonical = parse_scenario(LISHUI).model_dump_json().encode()
    check = client.post("/validate", content=LISHUI, headers=auth(token, **JSON)).json()
    assert check == {"valid": True, "problems": [], "courts": 10, "cases": 1500}
    stored = store(client, token, LISHUI)
    assert stored["content_hash"] == hashlib.sha256(canonical).hexdigest()
    assert (stored["courts"], stored["cases"], stored["size_bytes"]) == (10, 1500, len(canonical))
    body = client.get(f"/scenarios/{stored['id']}/body", headers=auth(token))
    assert body.content == canonical
    broken = json.loads(LISHUI)
    broken["cases"][7]["court"] = "C999"
    r = client.post("/scenarios", content=json.dumps(broken).encode(), headers=auth(token, **JSON))
    assert r.status_code == 422 and r.json()["detail"][0]["path"].startswith("cases[7]")
    outside = client.post("/scenarios", content=LISHUI, headers=auth(keys.m, **JSON))
    assert outside.status_code == 422 and outside.json()["detail"][0]["path"] == "dispatcher"


def test_run_files_are_built_outside_the_http_process(client, keys, service, monkeypatch):
    import optimizer.report.drafts

    sid = store(client, keys.m)["id"]
    run = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 10}, headers=auth(keys.m)).json()["id"]
    assert Worker(service.settings, service.engine).run(once=True) == 1

    def not_here(*_args, **_kwargs):
        raise AssertionError("drafts built in the HTTP process")

    monkeypatch.setattr(optimizer.report.drafts, "drafts_zip", not_here)
    r = client.get(f"/runs/{run}/drafts.zip", headers=auth(keys.m))
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    assert int(r.headers["content-length"]) == len(r.content)
    assert all(n.endswith(".docx") for n in zipfile.ZipFile(io.BytesIO(r.content)).namelist())


def test_bodies_of_routes_without_a_scenario_are_small(client, keys):
    sid = store(client, keys.m)["id"]
    many_keys = ("{" + ",".join(f'"a{i}":0' for i in range(150_000)) + "}").encode()  # 1.4 MB
    assert len(many_keys) > 1 << 20

    def chunks():  # no Content-Length: counted while streaming
        for i in range(0, len(many_keys), 1 << 16):
            yield many_keys[i:i + (1 << 16)]

    for path in (f"/scenarios/{sid}/runs", "/keys"):
        for body in (many_keys, chunks()):
            r = client.post(path, content=body, headers=auth(keys.admin, **JSON))
            assert r.status_code == 413, (path, r.status_code, r.text[:200])
            assert "COURTPLAN_MAX_SMALL_BODY_BYTES" in r.json()["detail"][0]["message"]
    ok = client.post(f"/scenarios/{sid}/runs", json={"time_limit": 5}, headers=auth(keys.m))
    assert ok.status_code == 202
