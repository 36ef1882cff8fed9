"""uvicorn's HTTP protocols with Nagle's algorithm switched off on every connection.

With --workers > 1, uvicorn 0.54 binds the listening socket itself and hands it to the workers;
asyncio then no longer sets TCP_NODELAY on accepted connections (uvicorn issue #3149), so each
small response waits ~40 ms for the client's delayed ACK and two workers serve 2.5× fewer
requests than one (measured in docs/deploy.md). Setting the option per connection fixes both cases.

`http_protocol()` picks the parser the way uvicorn's `--http auto` does: httptools (C, several
times faster per request) where it imports, h11 (pure Python) where it does not."""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def _no_delay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)


# Module-level classes, not made in a function: with --workers > 1 uvicorn pickles its Config
# (protocol class included) into each spawned worker, and only importable classes pickle.
try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # httptools is missing (an odd platform): h11 serves
    NoDelayHttpToolsProtocol = None
else:

    class NoDelayHttpToolsProtocol(HttpToolsProtocol):  # type: ignore[no-redef]
        def connection_made(self, transport) -> None:  # type: ignore[override]
            _no_delay(transport)
            super().connection_made(transport)


def http_protocol() -> type[asyncio.Protocol]:
    return NoDelayHttpToolsProtocol or NoDelayH11Protocol
