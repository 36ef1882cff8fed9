"""A real uvicorn server over the shipped checkpoints, in its own process on a free loopback port."""

from __future__ import annotations

import socket

import pytest

from bench.load import running_server


@pytest.fixture(scope="module")
def live_server():
    with running_server() as base:
        yield base


def raw_request(base: str, request: bytes, timeout: float = 10) -> bytes:
    """Send bytes as they are (no client-side normalisation of the path) → the raw answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as s:
        try:
            s.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading: whatever it answered is still to be read
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (TimeoutError, ConnectionResetError):
                break
            if not chunk:
                break
            chunks.append(chunk)
            if _complete(b"".join(chunks)):
                break
    return b"".join(chunks)


def _complete(answer: bytes) -> bool:
    """Whether a whole response with a Content-Length has arrived (keep-alive leaves the socket open)."""
    head, sep, body = answer.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip())
    return False


def raw_status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
