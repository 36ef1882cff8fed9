"""The slider's hot path: GET /api/models/{id}/decode answered straight from the ASGI scope.

A slider drag asks for a new z on every move, so this route carries most of the traffic, and
FastAPI's per-request machinery (dependency resolution, validation of each parameter, building a
Request) costs several times the decoder's forward pass. app.main.LatentExplorer asks this first,
before any of FastAPI's layers; it reads the query with the route's own DecodeQuery and answers
with the route's own app.decoding.check and .answer, so the bytes and headers are the route's. A
query the model refuses, an unknown model or a model of another kind goes on to the FastAPI route
unchanged, which answers it: every error message, the contract and the OpenAPI document stay the
route's. So does a decode that fails here before anything was sent."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException
from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import Scope, Send

from app import decoding
from app.deps import DIGIT_KINDS
from app.schemas import DecodeQuery


def query_pairs(query: str) -> list[tuple[str, str]]:
    """parse_qsl(query, keep_blank_values=True), without its per-field unquoting where there is
    nothing to unquote (a slider's query never has % or +): the same pairs at a fifth of the cost."""
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    return [(name, value) for field in query.split("&") if field for name, _, value in (field.partition("="),)]


class FastDecode:
    """Answers GET /api/models/{id}/decode from the ASGI scope when it can (see the module)."""

    def __init__(self, main_app: FastAPI):
        self.main_app = main_app

    async def __call__(self, scope: Scope, send: Send) -> bool:
        """Answer an HTTP request if it is a decode this path takes; → whether it did."""
        if scope["method"] != "GET" or not scope["path"].endswith("/decode"):
            return False
        answer = self.answer(scope)
        if answer is None:
            return False
        try:
            response = await answer
        except Exception:  # noqa: BLE001 - nothing sent yet: the route answers, and its error handling words it
            return False
        await send({"type": "http.response.start", "status": response.status_code, "headers": response.raw_headers})
        await send({"type": "http.response.body", "body": response.body})
        return True

    def answer(self, scope: Scope) -> Coroutine[Any, Any, Response] | None:
        """The route's answer to a decode it would accept, as a coroutine; None to let the route answer."""
        if scope.get("root_path"):
            return None
        parts = scope["path"].split("/")  # "", "api", "models", id, "decode"
        if len(parts) != 5 or parts[1] != "api" or parts[2] != "models":
            return None
        # Starlette's State resolves each attribute through a Python __getattr__ (1.4 µs each, three per
        # request); its dict is read directly instead.
        state = self.main_app.state._state
        served = state["registry"].models.get(parts[3])
        if served is None or served.kind not in DIGIT_KINDS:
            return None
        # As Starlette reads a query (latin-1, blanks kept; the last of a repeated key wins, as FastAPI's).
        pairs = query_pairs(scope["query_string"].decode("latin-1"))
        try:
            decode = decoding.check(served, DecodeQuery.model_validate(dict(pairs)))
        except (ValidationError, HTTPException):
            return None
        return decoding.answer(decode, scope, state["settings"].cache_max_age, state["decode_batcher"], pairs)
