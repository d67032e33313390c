"""One error shape for every error: `{"detail": [{"path", "record", "message"}]}` (each item
built by `optimizer.law.errors.error_item`); never a traceback. A `UserError` of the library
(a scenario's defects, a change that does not fit, …) answers 422 with its own items. Also the
OpenAPI description of the error responses."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api.schemas import ErrorOut
from optimizer.data.read import shown
from optimizer.law.errors import ErrorItem, UserError, error_item

log = logging.getLogger("courtplan.api")


def _problems(status: int, problems: list[ErrorItem],
              headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": problems}, headers=headers)


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{shown(str(part), 40)}" if out else str(part))
    return out or "(request)"


async def _http_error(_: Request, e: Exception) -> JSONResponse:
    assert isinstance(e, HTTPException)
    if isinstance(e.detail, list):
        return _problems(e.status_code, e.detail, e.headers)
    return _problems(e.status_code, [error_item("(request)", None, str(e.detail))], e.headers)


async def _validation_error(_: Request, e: Exception) -> JSONResponse:
    assert isinstance(e, RequestValidationError)
    return _problems(422, [error_item(_loc(tuple(x["loc"])), None, str(x["msg"]))
                           for x in list(e.errors())[:100]])


async def _user_error(_: Request, e: Exception) -> JSONResponse:
    assert isinstance(e, UserError)
    return _problems(422, e.items())


async def _internal_error(_: Request, e: Exception) -> JSONResponse:
    log.error("internal error: %s", type(e).__name__, exc_info=e)
    return _problems(500, [error_item("(server)", None, "internal error; the service log has the details")])


def install(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(UserError, _user_error)
    app.add_exception_handler(Exception, _internal_error)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error responses a route can give."""
    text = {400: "Malformed request", 401: "No valid API key", 404: "Not found (or not in the key's district)",
            408: "The client stopped sending the body", 409: "Not possible in the run's state",
            413: "Body above the size limit, or too costly to read within the service's limits",
            415: "Body is not JSON", 422: "Invalid input",
            503: "Busy with other large requests, or the file needs more than the service's limits"}
    return {c: {"model": ErrorOut, "description": text[c]} for c in codes}


AUTH = (400, 401, 413, 415, 422)
