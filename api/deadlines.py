"""Deadlines for the whole request (请求时限), not only for the pauses between its bytes.

A client that sends half a request head and then one byte every few seconds, or a body one byte
at a time, never pauses long enough for a per-read timeout, and would hold its connection (and
its share of the process) for as long as it likes; a thousand such clients hold a thousand. So:

- **the head** (request line and headers) must be complete within `COURTPLAN_HEADER_TIMEOUT`
  seconds of the connection's first byte, or of the first byte of the next request on a kept-alive
  connection: otherwise 408 and the connection closes (a connection that sends nothing at all is
  closed after that time too, without an answer: there is no request to answer);
- **the body** must be complete within `COURTPLAN_BODY_DEADLINE` seconds of the end of the head:
  the edge (api/security.py) answers 408 when the route is reading it; if the route answered
  without reading it all, or the answer is already on its way, the connection is closed when the
  deadline has passed by a few seconds more.

The pauses between bytes keep their own, shorter bound (`COURTPLAN_BODY_TIMEOUT`, api/security.py).
This is uvicorn's h11 protocol with two timers added; it is what `serve`'s HTTP processes run.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from api.security import SECURITY_HEADERS
from optimizer.law.errors import error_item

#: after the body deadline, how long the route has to answer 408 itself before the close
CLOSE_GRACE = 5.0


def _timeout_response(message: str) -> bytes:
    body = json.dumps({"detail": [error_item("(request)", None, message)]}, ensure_ascii=False).encode("utf-8")
    head = [b"HTTP/1.1 408 Request Timeout", b"content-type: application/json",
            b"content-length: " + str(len(body)).encode(), b"connection: close", b"cache-control: no-store",
            *(name + b": " + value for name, value in SECURITY_HEADERS)]
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class DeadlineProtocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for the request head and one for the body."""

    header_timeout = 10.0
    body_deadline = 120.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None

    @classmethod
    def with_limits(cls, header_timeout: float, body_deadline: float) -> type[DeadlineProtocol]:
        return type("DeadlineProtocol", (cls,), {"header_timeout": header_timeout, "body_deadline": body_deadline})

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head()  # a connection that never sends anything is closed too

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()  # (may parse a pipelined request already received)
        self._cancel_body()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head()
        self._cancel_body()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """Arm or cancel the timers for where the client's side of the exchange now stands."""
        if self.transport.is_closing():
            return
        state = self.conn.their_state
        if state is h11.IDLE:  # waiting for a head: only once some of it came (else keep-alive's)
            if self.conn.trailing_data[0] and self._head_timer is None:
                self._arm_head()
            return
        self._cancel_head()
        if state is h11.SEND_BODY and self._body_timer is None:
            self._body_timer = self.loop.call_later(self.body_deadline + CLOSE_GRACE, self._body_late)

    def _arm_head(self) -> None:
        self._cancel_head()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_late)

    def _cancel_head(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _cancel_body(self) -> None:
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _head_late(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.conn.trailing_data[0]:  # part of a head came: say why the connection ends
            self.transport.write(_timeout_response(
                f"请求头超时 the request head was not complete within {self.header_timeout:g} s "
                "(COURTPLAN_HEADER_TIMEOUT)"))
        self._unset_keepalive_if_required()
        self.transport.close()

    def _body_late(self) -> None:
        """The edge had its chance to answer 408: whatever state the exchange is in, it ends."""
        self._body_timer = None
        if not self.transport.is_closing() and self.conn.their_state is h11.SEND_BODY:
            if self.cycle is not None and not self.cycle.response_started:
                self.transport.write(_timeout_response(
                    f"请求体超时 the request body was not complete within {self.body_deadline:g} s "
                    "(COURTPLAN_BODY_DEADLINE)"))
            self.transport.close()
