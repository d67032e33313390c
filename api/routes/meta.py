"""Health, the scenario format, the product's vocabulary (labels for the dashboard), and /docs
served offline (no CDN): Swagger UI from the
`swagger-ui-bundle` package when it is installed, else a small self-contained page listing the
operations of /openapi.json."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.deps import ServiceDep
from api.health import HealthOut, LiveOut, readiness
from api.strict import StrictJSONRoute
from optimizer.data.scenario import Scenario
from optimizer.law.vocabulary import served_vocabulary

router = APIRouter(tags=["meta"], route_class=StrictJSONRoute)

_FALLBACK = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>courtplan API</title>
<style>body{font-family:sans-serif;margin:2em}code{background:#eee;padding:0 .3em}</style></head>
<body><h1>courtplan API</h1><p>The full description: <a href="/openapi.json">/openapi.json</a>.
(Swagger UI is not installed: <code>pip install swagger-ui-bundle</code>.)</p><ul id="ops"></ul>
<script>fetch('/openapi.json').then(r=>r.json()).then(d=>{const ul=document.getElementById('ops');
for(const [p,ops] of Object.entries(d.paths))for(const [m,o] of Object.entries(ops)){
const li=document.createElement('li');li.textContent=m.toUpperCase()+' '+p+' — '+(o.summary||'');
ul.appendChild(li)}});</script></body></html>"""


@router.get("/health", response_model=HealthOut)
def health(service: ServiceDep) -> HealthOut:
    """The service's health: `ok`, or `degraded` with the problems (no worker alive, a run waiting
    too long, the database not answering). Always 200: `/health/ready` answers 503 instead."""
    return readiness(service)


@router.get("/health/live", response_model=LiveOut)
async def live() -> LiveOut:
    """This HTTP process answers (nothing else is looked at)."""
    return LiveOut(status="ok")


@router.get("/health/ready", response_model=HealthOut, responses={503: {
    "model": HealthOut, "description": "Degraded: the database does not answer, no worker is alive, "
    "or a run has waited longer than COURTPLAN_QUEUE_WAIT_SECONDS."}})
def ready(service: ServiceDep, response: Response) -> HealthOut:
    """200 when the service can do its work, else 503 with the problems (for a load balancer or
    a monitor)."""
    out = readiness(service)
    if out.status != "ok":
        response.status_code = 503
    return out


@router.get("/schema")
def schema() -> dict[str, Any]:
    """JSON Schema of the scenario format."""
    return Scenario.model_json_schema()


@router.get("/vocabulary")
def vocabulary() -> dict[str, Any]:
    """The product's words, Chinese and English (`optimizer/law/vocabulary.py`): each mode with
    its facts, the triggers, the plan and run statuses, the phases of a solve, the KPIs, the
    per-rule counts (with the ones that detail the rule above them), the objective's terms and
    the 协同执行 kinds. The dashboard draws its labels from here; no key is needed."""
    return served_vocabulary()


def install_docs(app: FastAPI) -> None:
    try:
        from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        swagger_ui_path = None
    if swagger_ui_path is not None:
        app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if swagger_ui_path is None:
            return HTMLResponse(_FALLBACK)
        return get_swagger_ui_html(openapi_url="/openapi.json", title="courtplan API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")
