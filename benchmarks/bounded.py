"""What hostile and huge inputs cost the HTTP process: `python -m benchmarks.bounded [--code DIR]`.

Starts `courtplan serve --http-processes 1 --workers 0` on 127.0.0.1 (a fresh SQLite data
directory), sends each input of `benchmarks/hostile.py` and the big scenarios, and prints per
request: the status, the seconds, the HTTP process's resident memory after it (VmRSS) and its
peak (VmHWM), or that the process died. `--code DIR` runs another checkout's code (e.g. an older
release, `git archive`d into DIR) against the same inputs. `--zhejiang FILE` and `--national
FILE` add the province's drafts.zip and the national /validate (`courtplan generate`).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks import hostile


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _memory(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB, or (nan, nan) when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan"), float("nan")
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", text, re.M))
    return int(values.get("VmRSS", 0)) / 1024, int(values.get("VmHWM", 0)) / 1024


class Server:
    def __init__(self, code: Path | None, data: Path):
        self.env = {**os.environ, "COURTPLAN_DATA_DIR": str(data), "COURTPLAN_MAX_BODY_BYTES": str(512 << 20)}
        self.env.pop("COURTPLAN_DATABASE_URL", None)
        if code is not None:
            self.env["PYTHONPATH"] = str(code)
        self.cwd = str(code) if code else None
        self.port = _free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str) -> str:
        return subprocess.run([sys.executable, "-c", "import sys; from optimizer.cli import main; "
                               "sys.exit(main(sys.argv[1:]))", *args], env=self.env, cwd=self.cwd,
                              check=True, capture_output=True, text=True).stdout

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from optimizer.cli import main; sys.exit(main(sys.argv[1:]))",
             "serve", "--port", str(self.port), "--workers", "0", "--http-processes", "1"],
            env=self.env, cwd=self.cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the service did not start")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            assert self.proc is not None
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(30)


def _request(port: int, token: str, method: str, path: str, body: bytes | None) -> tuple[int, bytes]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=900) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError as e:
        return 0, str(e).encode()


def _workbook_body(data: bytes) -> bytes:
    return json.dumps({"workbook": base64.b64encode(data).decode()}).encode()


def _cases(zhejiang: Path | None, national: Path | None) -> list[tuple[str, str, str, Any]]:
    cases: list[tuple[str, str, str, Any]] = [
        ("workbook: 3,000,000 shared strings", "POST", "/convert/workbook",
         lambda: _workbook_body(hostile.many_shared_strings(3_000_000))),
        ("workbook: 1,048,576 rows", "POST", "/convert/workbook",
         lambda: _workbook_body(hostile.many_rows(1_048_576))),
        ("workbook: zip bomb (400 MB of XML)", "POST", "/convert/workbook",
         lambda: _workbook_body(hostile.zip_bomb(400))),
        ("workbook: external entity (XXE)", "POST", "/convert/workbook",
         lambda: _workbook_body(hostile.external_entity())),
        ("workbook: entity expansion", "POST", "/convert/workbook",
         lambda: _workbook_body(hostile.entity_expansion())),
        ("/validate: 1,000,000 empty places", "POST", "/validate", lambda: hostile.empty_places(1_000_000)),
    ]
    if national is not None:
        cases.append(("/validate: national (300,000 cases)", "POST", "/validate", national.read_bytes))
    if zhejiang is not None:
        cases.append(("drafts.zip: Zhejiang run", "GET", "{drafts}", None))
    return cases


def _zhejiang_run(server: Server, token: str, zhejiang: Path) -> str:
    """A finished run of the province: stored, queued, solved by one `courtplan worker --once`."""
    status, out = _request(server.port, token, "POST", "/scenarios", zhejiang.read_bytes())
    assert status == 201, out[:300]
    sid = json.loads(out)["id"]
    status, out = _request(server.port, token, "POST", f"/scenarios/{sid}/runs",
                           json.dumps({"time_limit": 30}).encode())
    rid = json.loads(out)["id"]
    server.cli("worker", "--once")
    return str(rid)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--code", type=Path, default=None, help="run this checkout's code instead")
    ap.add_argument("--zhejiang", type=Path, default=None)
    ap.add_argument("--national", type=Path, default=None)
    ap.add_argument("--only", default="", help="only the inputs whose name contains this")
    a = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="courtplan-bounded-") as tmp:
        server = Server(a.code, Path(tmp) / "data")
        dispatcher = json.loads(a.zhejiang.read_bytes())["dispatcher"] if a.zhejiang else "C330000"
        token = re.search(r"(cp_\w+_[\w-]+)", server.cli("keys", "create", "--court", dispatcher,
                                                        "--admin")).group(1)  # type: ignore[union-attr]
        server.start()
        drafts = f"/runs/{_zhejiang_run(server, token, a.zhejiang)}/drafts.zip" if a.zhejiang else ""
        print("| input | status | seconds | RSS after MB | peak MB | answer |")
        print("|---|---|---|---|---|---|")
        for name, method, path, make in _cases(a.zhejiang, a.national):
            if a.only not in name:
                continue
            if not server.alive():
                server.start()
            body = make() if make else None
            assert server.proc is not None
            pid = server.proc.pid
            before = _memory(pid)[0]
            t0 = time.perf_counter()
            status, out = _request(server.port, token, method, path.format(drafts=drafts), body)
            seconds = time.perf_counter() - t0
            rss, peak = _memory(pid)
            answer = "process died" if not server.alive() else (
                f"{len(out):,} bytes" if status == 200 and method == "GET" else out[:140].decode(errors="replace"))
            print(f"| {name} | {status} | {seconds:.1f} | {before:.0f} → {rss:.0f} | {peak:.0f} | "
                  f"{answer.replace('|', '/')} |", flush=True)
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
