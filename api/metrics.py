"""What an operator watches: `/metrics` for Prometheus, and one JSON line per request.

`/metrics` (Prometheus text format) answers only with the operator's token,
`Authorization: Bearer $COURTPLAN_METRICS_TOKEN`; without a token set it is 404 like any unknown
path. Why not an API key: the numbers are the whole service's (runs of every district, every
court's traffic), and API keys are bound to one court's district; an operator's scraper is not
a court. The numbers are counts and durations only: no id, no name.

- `courtplan_runs{status}`: runs by status; `courtplan_queue_length` and
  `courtplan_queue_oldest_seconds`: what waits for a worker, and for how long;
- `courtplan_run_solve_seconds`: a histogram of finished runs' solve times;
- `courtplan_scenarios`: stored scenarios;
- `courtplan_workers_alive`: workers whose heartbeat is recent, on any host (api/health.py);
- `courtplan_http_request_duration_seconds{method,route,status}`: request latency, by route
  template (`/runs/{run_id}`, never the raw path: ids would make a series per run).

The run numbers are read from the database at each scrape, so every HTTP process answers the same.
Request latencies are counted in each HTTP process; with several (`serve --http-processes N`),
`serve` points PROMETHEUS_MULTIPROC_DIR at a private folder before they start, and any of them
answers the sum over all (prometheus_client's multiprocess mode).

`COURTPLAN_ACCESS_LOG=json` writes one line per request to standard error (journald), instead of
uvicorn's text line: `{"time", "method", "path", "route", "status", "ms", "bytes", "key", "client"}`;
`key` is the id part of the presented token (`cp_<id>_…`), as claimed: a 401 says it was not valid.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily
from sqlalchemy import case, func, select
from starlette.exceptions import HTTPException

from api.db.models import Run, Scenario, utcnow
from api.health import workers_alive
from api.settings import Settings
from optimizer.law.vocabulary import RunStatus

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
_REGISTRY = CollectorRegistry()  # this process's own metrics (single-process mode)
REQUEST_SECONDS = Histogram(
    "courtplan_http_request_duration_seconds", "HTTP request latency, by route template.",
    ["method", "route", "status"], registry=_REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10, 30, 120))
SOLVE_BUCKETS = (1, 5, 10, 30, 60, 120, 300, 600, 1200)
STATUSES = tuple(RunStatus)
access = logging.getLogger("courtplan.access")


class _RunsCollector:
    """The database's numbers, read when scraped."""

    def __init__(self, service: Any):
        self.service = service

    def collect(self) -> Iterator[Any]:
        with self.service.reads() as s:
            by_status = dict(s.execute(select(Run.status, func.count()).group_by(Run.status)).all())
            oldest = s.scalar(select(func.min(Run.created_at)).where(Run.status == RunStatus.QUEUED))
            solved = s.execute(select(func.count(Run.solve_seconds), func.sum(Run.solve_seconds), *[
                func.sum(case((Run.solve_seconds <= b, 1), else_=0)) for b in SOLVE_BUCKETS])).one()
            scenarios = s.scalar(select(func.count()).select_from(Scenario)) or 0
            workers = workers_alive(s, self.service.settings)
        runs = GaugeMetricFamily("courtplan_runs", "Runs by status.", labels=["status"])
        for status in sorted(set(STATUSES) | set(by_status)):
            runs.add_metric([status], float(by_status.get(status, 0)))
        yield runs
        yield GaugeMetricFamily("courtplan_queue_length", "Runs waiting for a worker.",
                                value=float(by_status.get(RunStatus.QUEUED, 0)))
        age = 0.0
        if oldest is not None:  # (SQLite hands back naive datetimes; all are UTC)
            oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=dt.UTC)
            age = max(0.0, (utcnow() - oldest).total_seconds())
        yield GaugeMetricFamily("courtplan_queue_oldest_seconds", "Age of the oldest queued run (0: none).",
                                value=age)
        count, total = int(solved[0] or 0), float(solved[1] or 0.0)
        buckets = [(str(b), float(solved[2 + i] or 0)) for i, b in enumerate(SOLVE_BUCKETS)]
        yield HistogramMetricFamily("courtplan_run_solve_seconds", "Solve time of finished runs.",
                                    buckets=[*buckets, ("+Inf", float(count))], sum_value=total)
        yield GaugeMetricFamily("courtplan_scenarios", "Stored scenarios.", value=float(scenarios))
        yield GaugeMetricFamily("courtplan_workers_alive", "Workers whose heartbeat is recent (any host).",
                                value=float(workers))


def _exposition(service: Any) -> bytes:
    registry = CollectorRegistry()
    if MULTIPROCESS:
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_REGISTRY)
    registry.register(_RunsCollector(service))
    return bytes(generate_latest(registry))


def _allowed(settings: Settings, request: Request) -> bool:
    token = settings.metrics_token
    given = request.headers.get("authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def _route(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    return str(getattr(route, "path", None) or "(unmatched)")


def _key_id(scope: dict[str, Any]) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization" and value.startswith(b"Bearer cp_") and len(value) > 23:
            return value[10:22].decode("latin-1") if value[22:23] == b"_" else None
    return None


class RequestMetrics:
    """Pure ASGI middleware: each request's latency into the histogram, and (when asked) one
    JSON line about it."""

    def __init__(self, app: Any, json_log: bool):
        self.app = app
        self.json_log = json_log

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        seen = {"status": 500, "bytes": 0}

        async def counting_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = int(message["status"])
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            self._record(scope, seen, time.perf_counter() - t0)

    def _record(self, scope: dict[str, Any], seen: dict[str, int], seconds: float) -> None:
        route = _route(scope)
        REQUEST_SECONDS.labels(scope["method"], route, str(seen["status"])).observe(seconds)
        if self.json_log:
            client = scope.get("client")
            access.info(json.dumps({
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "method": scope["method"],
                "path": scope["path"][:300], "route": route, "status": seen["status"],
                "ms": round(seconds * 1000, 1), "bytes": seen["bytes"], "key": _key_id(scope),
                "client": client[0] if client else None}, ensure_ascii=False))


def _json_lines() -> None:
    """The access lines as they are (no timestamp prefix: each line is one JSON object)."""
    if not any(getattr(h, "_courtplan", False) for h in access.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._courtplan = True  # type: ignore[attr-defined]
        access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False


def install(app: FastAPI, settings: Settings) -> None:
    """`/metrics`, and the middleware that measures (and logs) each request."""
    json_log = settings.access_log == "json"
    if json_log:
        _json_lines()

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        if not _allowed(settings, request):
            raise HTTPException(404, "Not Found")
        return Response(_exposition(request.app.state.service), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(RequestMetrics, json_log=json_log)
