"""uvicorn's HTTP protocol with Nagle's algorithm switched off on every connection.

With --workers > 1, uvicorn 0.54 binds the listening socket itself and hands it to the workers;
asyncio then no longer sets TCP_NODELAY on accepted connections (uvicorn issue #3149), so each
small response waits ~40 ms for the client's delayed ACK and two workers serve 2.5× fewer
requests than one (measured in docs/deploy.md). Setting the option per connection fixes both cases."""

from __future__ import annotations

import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
