"""Which event loop and HTTP parser this process really serves on (for the start-up log and /healthz).

uvicorn chooses both itself (`--loop auto --http auto`: uvloop and httptools when they import,
asyncio and h11 otherwise), and `latent-explorer serve` passes protocol classes of its own, so
the answer is read from what runs, not from what was asked for: the running loop's type, and the
protocol class of the uvicorn Config that started the lifespan."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

# uvicorn's protocol implementations, by the module that defines them (subclasses count too).
_PARSERS = {
    "uvicorn.protocols.http.httptools_impl": "httptools",
    "uvicorn.protocols.http.h11_impl": "h11",
    "uvicorn.protocols.http.zttp_impl": "zttp",
}


@dataclass(frozen=True)
class ServingStack:
    event_loop: str  # "uvloop" or "asyncio"
    http_parser: str | None  # "httptools", "h11"; None when not under uvicorn (e.g. a TestClient)
    server: str | None  # "uvicorn", or None

    def describe(self) -> str:
        return f"event loop {self.event_loop}, HTTP parser {self.http_parser or 'none (not under uvicorn)'}"


def current() -> ServingStack:
    """Call from inside the lifespan (the ASGI lifespan task uvicorn started)."""
    loop = asyncio.get_running_loop()
    event_loop = "uvloop" if type(loop).__module__.split(".")[0] == "uvloop" else "asyncio"
    protocol = _uvicorn_protocol_class()
    if protocol is None:
        return ServingStack(event_loop, None, None)
    return ServingStack(event_loop, parser_name(protocol), "uvicorn")


def parser_name(protocol: type) -> str:
    for cls in protocol.__mro__:
        if cls.__module__ in _PARSERS:
            return _PARSERS[cls.__module__]
    return f"{protocol.__module__}.{protocol.__qualname__}"


def _uvicorn_protocol_class() -> type | None:
    """uvicorn runs the lifespan in a task whose coroutine is LifespanOn.main(); its `self.config`
    holds the HTTP protocol class every connection is served with (after "auto" was resolved).
    None under anything else."""
    task = asyncio.current_task()
    coro = task.get_coro() if task is not None else None
    frame = getattr(coro, "cr_frame", None)
    owner = frame.f_locals.get("self") if frame is not None else None
    if owner is None or not type(owner).__module__.startswith("uvicorn."):
        return None
    config = getattr(owner, "config", None)
    return getattr(config, "http_protocol_class", None)
