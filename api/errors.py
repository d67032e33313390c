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
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
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


#: what a failed database operation means for the client: nothing of the request was stored
_DISK_FULL = ("the database could not store the change: the disk is full; nothing was stored "
              "(磁盘已满，数据库未保存本次修改)")
_BUSY = ("the database is busy; nothing was stored, try again (数据库繁忙，本次修改未保存，请重试)")
_UNREACHABLE = ("the database cannot be reached; nothing was stored, try again "
                "(无法连接数据库，本次修改未保存，请稍后重试)")
#: the same for a read (GET): it stored nothing and changed nothing, so it says only what failed
_READ_BUSY = "the database is busy; try again (数据库繁忙，请重试)"
_READ_UNREACHABLE = "the database cannot be reached; try again (无法连接数据库，请稍后重试)"


def database_problem(e: DBAPIError, reading: bool = False) -> str | None:
    """The bilingual message of a database failure the client should retry later (a full disk,
    a lock held too long, a lost or refused connection), or None for any other failure. A
    read (`reading`) is not told that nothing was stored: it asked to store nothing."""
    text = str(e.orig if e.orig is not None else e).lower()
    if "disk is full" in text or "no space left" in text or "disk full" in text:
        return _READ_BUSY if reading else _DISK_FULL
    if "database is locked" in text or "database is busy" in text:
        return _READ_BUSY if reading else _BUSY
    if isinstance(e, OperationalError | InterfaceError) or e.connection_invalidated:
        return _READ_UNREACHABLE if reading else _UNREACHABLE
    return None


async def _database_error(request: Request, e: Exception) -> JSONResponse:
    """503 (and Retry-After) when the database could not do the request's work, e.g. the commit
    of a write failed: the answer says nothing was stored, so a client never holds an
    acknowledgement of a lost write."""
    assert isinstance(e, DBAPIError)
    message = database_problem(e, reading=request.method in ("GET", "HEAD"))
    if message is None:
        return await _internal_error(request, e)
    log.error("database error on %s %s: %s", request.method, request.url.path,
              str(e.orig if e.orig is not None else e).splitlines()[0][:300])
    return _problems(503, [error_item("(database)", None, message)], {"Retry-After": "5"})


async def _internal_error(_: Request, e: Exception) -> JSONResponse:
    log.error("internal error: %s", type(e).__name__, exc_info=e)
    return _problems(500, [error_item("(server)", None, "internal error; the service log has the details")])


def install(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(UserError, _user_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _internal_error)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error responses a route can give."""
    text = {400: "Malformed request", 401: "No valid API key", 404: "Not found (or not in the key's district)",
            408: "The client stopped sending the body", 409: "Not possible in the run's state",
            413: "Body above the size limit, or too costly to read within the service's limits",
            415: "Body is not JSON", 422: "Invalid input",
            503: "Busy with other large requests, the file needs more than the service's limits, or the "
                 "database could not store the request (a full disk, unreachable): nothing was stored"}
    return {c: {"model": ErrorOut, "description": text[c]} for c in codes}


AUTH = (400, 401, 413, 415, 422)
