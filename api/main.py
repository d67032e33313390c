"""The FastAPI app factory. `create_app(settings)` builds an app on its own database (tests make
one per database); `app` is the one `courtplan serve` runs, configured from the environment.
The schema is migrated when the app starts."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi

from api import errors, metrics
from api.db.engine import make_engine, migrate, session_factory
from api.deps import Service, no_unknown_query
from api.limits import SmallBodies
from api.routes import admin, files, meta, outcomes, runs, scenarios, workbench
from api.security import EdgeMiddleware
from api.settings import Settings
from api.ui import install_ui
from optimizer.data.scenario import Scenario

log = logging.getLogger("courtplan.api")
DESCRIPTION = """Cross-execution (交叉执行) planning for civil-judgment enforcement, for the
执行指挥中心 dashboards. Every route but /health (/health/live, /health/ready), /schema, /vocabulary and /docs
needs an API key (`Authorization: Bearer cp_…`), which sees only the scenarios of its court's district.
Errors are `{"detail": [{"path", "record", "message"}]}`."""


def open_service(settings: Settings, run_migrations: bool = True) -> Service:
    engine = make_engine(settings)
    if run_migrations:
        migrate(engine, settings)
    return Service(settings, engine, session_factory(engine), session_factory(engine, writes=True))


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The generated document, plus the scenario schema that raw scenario bodies refer to."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    scenario = Scenario.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(scenario.pop("$defs", {}))
    schemas["Scenario"] = scenario
    app.openapi_schema = doc
    return doc


def create_app(settings: Settings | None = None, service: Service | None = None) -> FastAPI:
    settings = settings or (service.settings if service else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not hasattr(app.state, "service"):
            app.state.service = open_service(settings)
            log.info("data: %s", settings.where())
        yield

    app = FastAPI(title="courtplan", version="0.2.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None, dependencies=[Depends(no_unknown_query)])
    if service is not None:
        app.state.service = service
    errors.install(app)
    for module in (meta, scenarios, runs, files, workbench, outcomes, admin):
        app.include_router(module.router)
    meta.install_docs(app)
    install_ui(app)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_credentials=False,
                           allow_methods=["GET", "POST", "PUT"], allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(SmallBodies, limit=settings.max_small_body_bytes)  # inside the edge: after its checks
    app.add_middleware(EdgeMiddleware, max_body=settings.max_body_bytes, body_timeout=settings.body_timeout,
                       body_deadline=settings.body_deadline)
    metrics.install(app, settings)  # outermost: measures and logs the edge's refusals too
    return app


def __getattr__(name: str) -> Any:
    """`api.main:app` for uvicorn, built on first use (importing the module opens nothing)."""
    if name == "app":
        globals()["app"] = built = create_app()
        return built
    raise AttributeError(name)
