"""Clients that hold a request open, and probes that record what a service answers."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
import uuid

import httpx

REGISTRATION = json.dumps(
    {"email": f"in-flight-{uuid.uuid4().hex[:8]}@example.com", "password": "x" * 16}
).encode()


class SlowRequest:
    """A POST whose body is sent in two parts, so it is in flight in between."""

    def __init__(self, base_url: str, path: str, body: bytes) -> None:
        url = urllib.parse.urlsplit(base_url)
        self.body = body
        self.socket = socket.create_connection((url.hostname or "127.0.0.1", url.port or 80))
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        self.socket.sendall(head.encode() + body[:5])
        time.sleep(0.3)  # the server has read the headers and waits for the rest

    def finish(self) -> bytes:
        """Send the rest of the body; the answer's first bytes."""
        self.socket.sendall(self.body[5:])
        self.socket.settimeout(30)
        try:
            return self.socket.recv(200)
        finally:
            self.socket.close()


def poll_statuses(base_url: str, path: str, *, seconds: float) -> list[int | str]:
    """What ``path`` answers, asked every 0.1 s on new connections ("refused" when refused)."""
    statuses: list[int | str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            statuses.append(httpx.get(f"{base_url}{path}", timeout=2).status_code)
        except httpx.ConnectError:
            statuses.append("refused")
        except httpx.HTTPError as error:
            statuses.append(type(error).__name__)
        time.sleep(0.1)
    return statuses


def _raw_exchange(base_url: str, request: bytes, wait: float = 10) -> bytes:
    """Send ``request`` as is; what comes back until the server closes (64 KiB at most)."""
    url = urllib.parse.urlsplit(base_url)
    answer = b""
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80)) as conn:
        conn.settimeout(wait)
        conn.sendall(request)
        while len(answer) < 65536 and (chunk := conn.recv(4096)):
            answer += chunk
    return answer


def slow_headers_answer(base_url: str) -> bytes:
    """A request whose headers never end: the server must give up on it."""
    return _raw_exchange(base_url, b"GET /health/live HTTP/1.1\r\nHost: x\r\n")


def slow_body_answer(base_url: str, path: str) -> bytes:
    """A JSON body that stops after its first bytes: the server must give up on it."""
    head = f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    return _raw_exchange(base_url, head.encode() + b'Content-Length: 100\r\n\r\n{"na')


def oversized_body_answer(base_url: str) -> bytes:
    """A request declaring a 100 MB body: refused before any of it is sent."""
    head = b"POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    return _raw_exchange(base_url, head + b"Content-Length: 100000000\r\n\r\n")
