"""Request bodies bounded by what the route takes, before the framework parses them.

Only a scenario (`POST /validate`, `POST /scenarios`, `PUT /scenarios/{id}`) or a workbook
(`POST /convert/workbook`) can be large; those are read in bounded child processes
(api/offload.py). Every other body — a run's parameters, a key — is a few hundred bytes, yet the
framework would decode any body up to `COURTPLAN_MAX_BODY_BYTES` into Python objects in the HTTP
process: 256 MB of `{"a0":0,"a1":0,…}` is thirty million dictionary entries and as many
validation errors. So those routes take at most `COURTPLAN_MAX_SMALL_BODY_BYTES` (default 1 MiB),
checked on Content-Length before reading and counted while streaming: 413, naming the limit.
"""

from __future__ import annotations

import re
from typing import Any

from api.security import BODY_METHODS, BodyError, _error

_LARGE = re.compile(r"^/(validate|scenarios|scenarios/[^/]+|convert/workbook)/?$")


def takes_large_body(method: str, path: str) -> bool:
    """Whether the route carries a scenario or a workbook."""
    return method in ("POST", "PUT") and bool(_LARGE.match(path))


class SmallBodies:
    """Pure ASGI middleware: bodies of the routes that take no scenario or workbook are bounded."""

    def __init__(self, app: Any, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (scope["type"] != "http" or scope["method"] not in BODY_METHODS
                or takes_large_body(scope["method"], scope["path"])):
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            for message in _error(413, self._message(int(length))):
                await send(message)
            return
        seen = 0

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message = dict(await receive())
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyError(413, self._message(seen))
            return message

        await self.app(scope, counted, send)

    def _message(self, size: int) -> str:
        return (f"request body of {size:,} bytes is above the limit of {self.limit:,} for this route "
                "(COURTPLAN_MAX_SMALL_BODY_BYTES; only scenarios and workbooks may be larger)")
