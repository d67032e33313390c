"""Request bodies read as strictly as scenarios (严格读取请求体).

Every route that takes a JSON body model uses `StrictJSONRoute` (tests/api/test_strict.py
checks that none forgets): the body is decoded by the library's `decode_json`, the scenario
reader's own decoder, so a key given twice in one object (`{"seed": 1, "seed": 2}` — which is
meant?), JSON nested deeper than the reader's limit or a number of too many digits is refused
with 422 before any field is looked at, exactly as in a scenario. The fields themselves are then
validated strictly (api/schemas.py: `_In` is strict; the changes document in JSON mode): a
string is never taken for a number or a boolean, nor a number for a boolean.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from api.security import is_json
from optimizer.data.read import decode_json


class StrictJSONRoute(APIRoute):
    """An APIRoute whose JSON body is decoded by `decode_json` (duplicate keys refused)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:  # (scenario routes read their body themselves, in a child)
            return handler

        async def strict(request: Request) -> Response:
            body = await request.body()
            if body and is_json(request.headers.get("content-type")):
                # a ScenarioError (422, path "body") for a repeated key; the value decoded is the
                # one FastAPI then validates (Starlette's Request keeps it), not decoded twice
                request._json = decode_json(body, "body")
            return await handler(request)

        return strict
