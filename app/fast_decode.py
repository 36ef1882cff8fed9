"""The slider's hot path: GET /api/models/{id}/decode answered straight from the ASGI scope.

A slider drag asks for a new z on every move, so this route carries most of the traffic, and
FastAPI's per-request machinery (dependency resolution, pydantic validation of each parameter,
building a Request) costs several times the decoder's forward pass. This middleware answers a
decode whose query is in plain canonical form with the route's own functions (check_decode,
render_decode, the same ETag and 304 logic), so the bytes and headers are the route's. Anything
else (an unknown or repeated parameter, a value not in canonical form, any invalid value, an
unknown model) goes on to the FastAPI route unchanged, which answers it, errors included: the
contract, the OpenAPI document and every error message stay the route's.

Decodes that arrive together share forward passes over fixed 8-row blocks (DecodeBatcher): at 32 connections this more
than doubles the requests/s, since a single z's forward pass reads all the decoder's weights for
one row. Rows are decoded in fixed blocks, so batching never changes a response's bytes."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Coroutine
from typing import Any
from urllib.parse import parse_qsl

import torch
from fastapi import FastAPI, HTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from app import inference
from app.http_cache import cache_headers, etag_for_query, matches
from app.registry import ServedModel
from app.responses import as_bytes
from app.routes.images import MAX_DECODE_SCALE, check_decode, render_decode
from app.security import RAW_HEADERS as SECURITY_HEADERS

PARAMETERS = frozenset({"z", "label", "to_label", "morph", "scale", "format"})
# Forms that pydantic reads the same way; any other spelling goes to the route, which decides.
_INT = re.compile(r"-?[0-9]{1,9}")
_UNIT_FLOAT = re.compile(r"[01](\.[0-9]{1,12})?")


class FastDecode:
    def __init__(self, app: ASGIApp, main_app: FastAPI):
        self.app, self.main_app = app, main_app
        self.batcher = DecodeBatcher()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"].endswith("/decode"):
            answer = self.answer(scope)
            if answer is not None:
                status, headers, body = await answer
                await send({"type": "http.response.start", "status": status, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def answer(self, scope: Scope) -> Coroutine[Any, Any, tuple[int, list[tuple[bytes, bytes]], bytes]] | None:
        """A coroutine giving (status, headers, body) for a canonical decode query, or None to let the
        route answer."""
        if scope.get("root_path"):
            return None
        parts = scope["path"].split("/")  # "", "api", "models", id, "decode"
        if len(parts) != 5 or parts[1] != "api" or parts[2] != "models":
            return None
        served = self.main_app.state.registry.models.get(parts[3])
        if served is None:
            return None
        query_string: bytes = scope.get("query_string", b"")
        if not query_string.isascii():
            return None
        pairs = parse_qsl(query_string.decode("ascii"), keep_blank_values=True)
        params: dict[str, str] = {}
        for key, value in pairs:
            if key not in PARAMETERS or key in params:
                return None
            params[key] = value
        z = params.get("z")
        fmt = params.get("format", "png")
        if z is None or fmt not in ("png", "json"):
            return None
        label, to_label, scale = (_int(params.get(k)) for k in ("label", "to_label", "scale"))
        if _NOT_CANONICAL in (label, to_label, scale):  # identity first: 0 == False, 0 is not this
            return None
        scale = 1 if scale is None else scale
        morph = params.get("morph", "0")
        if not _UNIT_FLOAT.fullmatch(morph) or not 0.0 <= float(morph) <= 1.0 or not 1 <= scale <= MAX_DECODE_SCALE:
            return None
        try:
            z_values, y = check_decode(served, z, label, to_label, float(morph))
        except HTTPException:
            return None

        max_age = self.main_app.state.settings.cache_max_age
        etag = etag_for_query(served.version, scope["path"], query_string, pairs)
        cache = [(name.lower().encode(), value.encode()) for name, value in cache_headers(etag, max_age).items()]
        cache += SECURITY_HEADERS  # the headers SecurityHeaders gives the route's answers
        for name, value in scope["headers"]:
            if name == b"if-none-match" and matches(value.decode("latin-1"), etag):
                return _ready(304, cache, b"")
        return self._render(served, z_values, y, scale, fmt, cache)

    async def _render(self, served: ServedModel, z_values: list[float], y: torch.Tensor | None, scale: int, fmt: str,
                      cache: list[tuple[bytes, bytes]]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        pixels = await self.batcher.decode(served, z_values, y)
        media, build = render_decode(lambda: pixels, scale, fmt)
        body = as_bytes(build())
        return 200, [*cache, (b"content-length", str(len(body)).encode()), (b"content-type", media.encode())], body


async def _ready(status: int, headers: list[tuple[bytes, bytes]], body: bytes):
    return status, headers, body


class DecodeBatcher:
    """Decodes that arrive in the same turn of the event loop share forward passes (8-row blocks).

    Under load many slider requests are parsed in one turn; each one's z waits (without blocking
    the loop) until the turn ends, then they are decoded together with inference.decode_points,
    whose fixed blocks make every row's pixels independent of its companions: batching changes the
    cost, never the bytes. A lone request waits for nothing but the end of its own turn."""

    def __init__(self) -> None:
        self.queue: list[tuple[ServedModel, list[float], torch.Tensor | None, asyncio.Future]] = []

    def decode(self, served: ServedModel, z_values: list[float], y: torch.Tensor | None) -> asyncio.Future:
        """→ a future of the (28, 28) pixel probabilities."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if not self.queue:
            loop.call_soon(self.flush)
        self.queue.append((served, z_values, y, future))
        return future

    def flush(self) -> None:
        queue, self.queue = self.queue, []
        by_model: dict[int, list] = {}
        for item in queue:
            by_model.setdefault(id(item[0]), []).append(item)
        for items in by_model.values():
            served = items[0][0]
            try:
                z = torch.tensor([z_values for _, z_values, _, _ in items])
                y = None if items[0][2] is None else torch.cat([y for _, _, y, _ in items])
                images = inference.decode_points(served, z, y)
            except Exception as e:  # noqa: BLE001 - handed to each waiting request, which raises it
                for *_, future in items:
                    if not future.done():
                        future.set_exception(e)
                continue
            for i, (*_, future) in enumerate(items):
                if not future.done():  # a client that went away cancelled its future
                    future.set_result(images[i])


_NOT_CANONICAL = object()


def _int(raw: str | None) -> int | None | object:
    """None when absent, the integer when in canonical form, _NOT_CANONICAL otherwise."""
    if raw is None:
        return None
    return int(raw) if _INT.fullmatch(raw) else _NOT_CANONICAL
