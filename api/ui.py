"""The dashboard: plain HTML, CSS and JavaScript files shipped in `api/static/`, served at `/ui/`
from the same origin as the API (no build step, no CDN). The page keeps the API key in
sessionStorage and sends it only in the Authorization header, never in a URL."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"


def install_ui(app: FastAPI) -> None:
    @app.get("/ui", include_in_schema=False)
    def ui_root() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=308)

    app.mount("/ui/", StaticFiles(directory=str(STATIC), html=True), name="ui")
