"""Who is asking (API keys bound to a court), and the HTTP edge's defences: security headers,
JSON-only bodies, a body size limit checked before and while reading, a timeout for clients
that stop sending mid-body.

A key is `cp_<id>_<secret>`: the id finds the row, the sha256 of the whole token is stored and
compared in constant time; the token itself is shown once, at creation, and never stored.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException

from api.db.models import ApiKey
from optimizer.law.errors import error_item

_TOKEN = re.compile(r"^cp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$")
_JSON_TYPE = re.compile(r"^application/([a-z0-9.+-]+\+)?json\s*(;.*)?$", re.IGNORECASE)
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


@dataclass(frozen=True)
class Principal:
    """The caller: a key bound to a court; an admin key also manages keys and reads the audit."""

    key_id: str
    court: str
    admin: bool


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_key(session: Session, court: str, admin: bool, label: str = "") -> tuple[ApiKey, str]:
    """A new key row (added to the session) and its token, which is not kept anywhere."""
    key_id = secrets.token_hex(6)
    token = f"cp_{key_id}_{secrets.token_urlsafe(32)}"
    row = ApiKey(id=key_id, secret_hash=token_hash(token), court=court, admin=admin, label=label)
    session.add(row)
    return row, token


def authenticate(session: Session, token: str) -> Principal | None:
    """The key's principal, or None for a malformed, unknown, wrong or revoked token."""
    m = _TOKEN.match(token)
    if not m:
        return None
    row = session.get(ApiKey, m.group(1))
    expected = row.secret_hash if row is not None else "0" * 64
    if not hmac.compare_digest(expected, token_hash(token)) or row is None or row.revoked_at:
        return None
    return Principal(key_id=row.id, court=row.court, admin=row.admin)


def is_json(content_type: str | None) -> bool:
    return bool(content_type and _JSON_TYPE.match(content_type.strip()))


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
_CSP_API = b"default-src 'none'; frame-ancestors 'none'"
#: the dashboard (/ui/): its own files only; no inline script or style, no event-handler attributes
_CSP_UI = (b"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
           b"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
_CSP_DOCS = (b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
             b"script-src 'self' 'unsafe-inline'; frame-ancestors 'none'")


def _error(status: int, message: str) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.dumps({"detail": [error_item("(body)", None, message)]}).encode()
    start = {"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *SECURITY_HEADERS, (b"cache-control", b"no-store")]}
    return start, {"type": "http.response.body", "body": body}


class EdgeMiddleware:
    """Pure ASGI middleware (no buffering): security headers on every response; bodies only as
    JSON; at most `max_body` bytes (Content-Length checked before reading, bytes counted while
    streaming); `body_timeout` seconds of silence mid-body drops the client with 408."""

    def __init__(self, app: Any, max_body: int, body_timeout: float, body_deadline: float | None = None):
        self.app = app
        self.max_body = max_body
        self.body_timeout = body_timeout
        #: the whole body within this many seconds of the head, however steadily it trickles
        self.body_deadline = body_deadline

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope["method"], headers)
        if refusal is not None:
            for message in _error(*refusal):
                await send(message)
            return
        path = scope["path"]
        docs = path.startswith(("/docs", "/static-docs"))
        csp = _CSP_DOCS if docs else _CSP_UI if path == "/ui" or path.startswith("/ui/") else _CSP_API

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                extra = [*SECURITY_HEADERS, (b"content-security-policy", csp)]
                if not docs:
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, self._bounded(receive), send_with_headers)

    def _refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        length = headers.get("content-length")
        if length is not None and not length.isdigit():
            return 400, "Content-Length is not a number"
        if length is not None and int(length) > self.max_body:
            return 413, f"request body of {int(length):,} bytes is above the limit of {self.max_body:,}"
        has_body = (length is not None and int(length) > 0) or "transfer-encoding" in headers
        if method in BODY_METHODS and has_body and not is_json(headers.get("content-type")):
            return 415, "request bodies must be JSON (Content-Type: application/json)"
        return None

    def _bounded(self, receive: Any) -> Any:
        seen = 0
        done = False
        loop = asyncio.get_running_loop()
        end = loop.time() + self.body_deadline if self.body_deadline is not None else None

        async def bounded_receive() -> dict[str, Any]:
            nonlocal seen, done
            if done:  # after the body: disconnect watching (SSE) waits as long as it likes
                return dict(await receive())
            wait = self.body_timeout if end is None else min(self.body_timeout, end - loop.time())
            try:
                if wait <= 0:
                    raise TimeoutError
                message = dict(await asyncio.wait_for(receive(), wait))
            except TimeoutError:
                if end is not None and loop.time() >= end - 0.01:
                    raise BodyError(408, f"请求体超时 the request body was not complete within "
                                         f"{self.body_deadline:g} s (COURTPLAN_BODY_DEADLINE)") from None
                raise BodyError(408, f"no request data for {self.body_timeout:g} s") from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyError(413, f"request body above the limit of {self.max_body:,} bytes")
                done = not message.get("more_body", False)
            return message

        return bounded_receive


class BodyError(HTTPException):
    """Raised while reading a request body (too large, or the client went quiet). An
    HTTPException, so FastAPI's body parsing passes it on and it becomes the error response."""

    def __init__(self, status: int, message: str):
        super().__init__(status, message, headers={"connection": "close"})
