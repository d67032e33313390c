"""Typed dependencies: the service state, database sessions, the caller (API key)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.security import Principal, authenticate
from api.settings import Settings
from optimizer.law.errors import error_item

_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Service:
    settings: Settings
    engine: Engine
    reads: sessionmaker[Session]
    writes: sessionmaker[Session]


async def get_service(request: Request) -> Service:
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(get_service)]


async def read_session(service: ServiceDep) -> AsyncIterator[Session]:
    """A read-only session. Made and closed on the event loop (no thread hop): a session opens
    no connection until the route's first query, and closing a read never waits on a lock."""
    with service.reads() as s:
        yield s


def write_session(service: ServiceDep) -> Iterator[Session]:
    """A writing session whose transaction commits when the route returns and BEFORE the
    response is sent (the dependency's scope is "function", see `WriteSession`): an answer of
    201/202 means the write is stored (确认即已保存). A failed commit raises, and the client
    gets the error instead (api/errors.py: 503 for a full disk or an unreachable database)."""
    with service.writes.begin() as s:
        yield s


ReadSession = Annotated[Session, Depends(read_session)]
#: scope="function": the exit code (the commit) runs when the route function returns, before
#: the response goes out; the default ("request") would commit after the client has the answer
WriteSession = Annotated[Session, Depends(write_session, scope="function")]
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer cp_…`")


def _lookup(service: Service, token: str) -> Principal | None:
    with service.reads() as s:
        return authenticate(s, token)


async def principal(service: ServiceDep,
                    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Principal:
    """The caller, looked up in the database on every request (one primary-key read): a key
    revoked through any HTTP process, on any host, or by `courtplan keys revoke` is refused by
    the very next request everywhere. (A per-process cache let a revoked key work on for seconds
    in the other processes; the read it saved is not what a request's time is spent on:
    docs/service.md, benchmarks/README.md.)"""
    who = None
    if credentials is not None:
        who = await run_in_threadpool(_lookup, service, credentials.credentials)
    if who is None:
        raise HTTPException(401, "a valid API key is required (Authorization: Bearer cp_…)",
                            headers={"WWW-Authenticate": "Bearer"})
    return who


async def admin(who: Annotated[Principal, Depends(principal)]) -> Principal:
    if not who.admin:
        raise HTTPException(404, "Not Found")  # as if absent: non-admins do not learn the routes
    return who


Caller = Annotated[Principal, Depends(principal)]
Admin = Annotated[Principal, Depends(admin)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=1_000_000_000, description="Items to skip.")]


def not_found(what: str) -> HTTPException:
    return HTTPException(404, f"{what} not found")


def checked_id(value: str, what: str) -> str:
    """`value` if it has the form of a stored id (32 hex digits), else 404: nothing else can
    exist, and odd bytes (NUL, control characters) never reach the database."""
    if not _ID.match(value):
        raise not_found(what)
    return value


async def no_unknown_query(request: Request) -> None:
    """Query parameters a route does not declare are refused (422), like unknown body fields: a
    misspelt `limt=5` must not silently mean the default."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known: set[str] = set()
    stack = [dependant]
    while stack:  # the route's own query parameters and those of its dependencies
        d = stack.pop()
        known.update(p.alias for p in d.query_params)
        stack.extend(d.dependencies)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise HTTPException(422, [error_item(f"query.{name[:40]}", None, "unknown query parameter")
                                  for name in unknown[:20]])
