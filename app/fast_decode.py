"""The slider's hot path: GET /api/models/{id}/decode answered straight from the ASGI scope.

A slider drag asks for a new z on every move, so this route carries most of the traffic, and
FastAPI's per-request machinery (dependency resolution, validation of each parameter, building a
Request) costs several times the decoder's forward pass. This middleware reads the query with the
route's own DecodeQuery and answers with the route's own app.decoding.check and .answer, so the
bytes and headers are the route's. A query the model refuses, an unknown model or a model of
another kind goes on to the FastAPI route unchanged, which answers it: every error message, the
contract and the OpenAPI document stay the route's."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException
from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app import decoding
from app.deps import DIGIT_KINDS
from app.schemas import DecodeQuery


class FastDecode:
    def __init__(self, app: ASGIApp, main_app: FastAPI):
        self.app, self.main_app = app, main_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"].endswith("/decode"):
            answer = self.answer(scope)
            if answer is not None:
                response = await answer
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def answer(self, scope: Scope) -> Coroutine[Any, Any, Response] | None:
        """The route's answer to a decode it would accept, as a coroutine; None to let the route answer."""
        if scope.get("root_path"):
            return None
        parts = scope["path"].split("/")  # "", "api", "models", id, "decode"
        if len(parts) != 5 or parts[1] != "api" or parts[2] != "models":
            return None
        state = self.main_app.state
        served = state.registry.models.get(parts[3])
        if served is None or served.kind not in DIGIT_KINDS:
            return None
        # As Starlette reads a query (latin-1, blanks kept; the last of a repeated key wins, as FastAPI's).
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        try:
            decode = decoding.check(served, DecodeQuery.model_validate(dict(pairs)))
        except (ValidationError, HTTPException):
            return None
        return decoding.answer(decode, scope, state.settings.cache_max_age, state.decode_batcher, pairs)
