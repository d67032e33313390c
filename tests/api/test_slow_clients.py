"""Slow clients (慢速客户端) against a real `courtplan serve`, over raw sockets: a request head or body
trickled one byte at a time — never pausing long enough for the gap timeout — is cut off by the
deadline of the whole head or body (408, then closed); a connection that sends nothing is closed;
a hundred of them at once are all let go; an ordinary client on a kept-alive connection is not
affected by the head deadline while it thinks between requests."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.deadlines import CLOSE_GRACE
from api.settings import Settings
from tests.api.served import HOST, Served, make_keys, service_env, serving

HEAD_SECONDS = 2.0
BODY_SECONDS = 3.0
EVERY = 0.4  # a byte this often: far below the 30 s allowed between bytes
SLACK = 3.0  # a shared, busy machine: how late the service may be


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Served, str]]:
    tmp = tmp_path_factory.mktemp("slow")
    settings = Settings(data_dir=tmp / "data")
    (token,) = make_keys(settings, ("M", False))
    env = service_env(settings, COURTPLAN_HEADER_TIMEOUT=str(HEAD_SECONDS),
                      COURTPLAN_BODY_DEADLINE=str(BODY_SECONDS), COURTPLAN_BODY_TIMEOUT="30")
    with serving(env, Path(tmp) / "serve.log", workers=0) as s:
        yield s, token


def _connect(served: Served) -> socket.socket:
    return socket.create_connection((HOST, served.port), timeout=5)


def trickle(sock: socket.socket, first: bytes, then: bytes, limit: float) -> tuple[bytes, float | None]:
    """Send `first`, then `then` one byte every EVERY seconds, reading all the while: what came
    back, and the seconds until the server closed the connection (None: still open at `limit`)."""
    t0 = time.monotonic()
    sock.sendall(first)
    sock.settimeout(EVERY)
    got, rest = b"", then
    while time.monotonic() - t0 < limit:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            try:
                if rest:
                    sock.sendall(rest[:1])
                    rest = rest[1:]
            except OSError:  # reset by the server: closed
                return got, time.monotonic() - t0
            continue
        except OSError:
            return got, time.monotonic() - t0
        if not chunk:
            return got, time.monotonic() - t0
        got += chunk
    return got, None


def read_response(sock: socket.socket) -> bytes:
    """One whole response (head and Content-Length body) from a kept-alive connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def test_a_head_trickled_byte_by_byte_gets_408_and_is_closed(served):
    s, _ = served
    with _connect(s) as sock:
        got, closed = trickle(sock, b"GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ", b"a" * 1000, 15)
    assert closed is not None and closed <= HEAD_SECONDS + SLACK, (closed, got)
    assert got.startswith(b"HTTP/1.1 408 "), got
    detail = json.loads(got.split(b"\r\n\r\n", 1)[1])["detail"][0]
    assert detail["message"].startswith("请求头超时 the request head was not complete within 2 s")


def test_a_body_trickled_byte_by_byte_gets_408_and_is_closed(served):
    s, token = served
    head = (f"POST /validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n").encode()
    with _connect(s) as sock:
        got, closed = trickle(sock, head, b" " * 1000, 15)
    assert closed is not None and closed <= BODY_SECONDS + SLACK, (closed, got)
    assert got.startswith(b"HTTP/1.1 408 "), got
    assert "请求体超时 the request body was not complete within 3 s" in got.decode()


def test_a_body_trickled_to_a_route_that_answered_without_it_is_closed(served):
    """The answer (405) goes out at once, the trickle goes on: the connection still ends."""
    s, _ = served
    head = (b"POST /health/live HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5000\r\n\r\n")
    with _connect(s) as sock:
        got, closed = trickle(sock, head, b" " * 5000, 25)
    assert got.startswith(b"HTTP/1.1 405 "), got
    assert closed is not None and closed <= BODY_SECONDS + CLOSE_GRACE + SLACK, closed


def test_a_connection_that_sends_nothing_is_closed(served):
    s, _ = served
    with _connect(s) as sock:
        got, closed = trickle(sock, b"", b"", 10)
    assert got == b"" and closed is not None and closed <= HEAD_SECONDS + SLACK


def test_a_hundred_slow_heads_are_all_let_go_and_the_service_answers(served):
    s, _ = served
    socks = [_connect(s) for _ in range(100)]
    try:
        for sock in socks:
            sock.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
        time.sleep(HEAD_SECONDS + SLACK)
        closed = 0
        for sock in socks:
            sock.settimeout(2)
            try:
                data = sock.recv(65536)
                closed += data.startswith(b"HTTP/1.1 408 ") or data == b""
            except (TimeoutError, OSError):
                pass
        assert closed == 100
        assert s.get("/health/live").status_code == 200
    finally:
        for sock in socks:
            sock.close()


def test_an_ordinary_keep_alive_client_may_think_longer_than_the_head_deadline(served):
    s, token = served
    with _connect(s) as sock:
        sock.settimeout(10)
        request = b"GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n"
        sock.sendall(request)
        assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        time.sleep(HEAD_SECONDS + 1)  # idle between requests: keep-alive's 30 s apply, not the head's 2 s
        sock.sendall(request)
        assert read_response(sock).startswith(b"HTTP/1.1 200 ")
        # a body sent in pieces, all within the body deadline, is read as usual
        body = b'{"name": 1}'
        sock.sendall((f"POST /validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode())
        for i in range(0, len(body), 4):
            time.sleep(0.2)
            sock.sendall(body[i:i + 4])
        answer = read_response(sock)
        assert answer.startswith(b"HTTP/1.1 200 ") or answer.startswith(b"HTTP/1.1 422 "), answer[:200]
