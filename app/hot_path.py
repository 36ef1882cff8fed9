"""The hot paths: the operations a kind declares with a FastAnswer (decode, manifold, density)
answered straight from the ASGI scope.

A slider drag asks for a new z on every move, and FastAPI's per-request machinery (dependency
resolution, validation of each parameter, building a Request) costs several times a small network's
forward pass (bench/RESULTS.md). app.main.LatentExplorer asks this first, before any of FastAPI's
layers. Each operation is read with its route's own query model and answered with the route's own
check and answer, so the bytes and headers are the route's. A query the model refuses, an unknown
model or a model of another kind goes on to the FastAPI route unchanged, which answers it: every
error message, the contract and the OpenAPI document stay the route's. So does a request that fails
here before anything was sent."""

from __future__ import annotations

import asyncio
import re
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.types import Scope, Send

from app import security
from app.deps import app_state

# /api/models/{model_id}/{operation}, as the routes' paths match it.
MODEL_OPERATION = re.compile(r"/api/models/([^/]+)/([^/]+)")


def query_pairs(query: str) -> list[tuple[str, str]]:
    """parse_qsl(query, keep_blank_values=True), without its per-field unquoting where there is
    nothing to unquote (a slider's query never has % or +): the same pairs at a fifth of the cost."""
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    return [(name, value) for field in query.split("&") if field for name, _, value in (field.partition("="),)]


class HotPath:
    """Answers GET /api/models/{id}/{operation} from the ASGI scope when the model's kind declares a
    FastAnswer for it (see the module)."""

    def __init__(self, main_app: FastAPI):
        self.main_app = main_app
        self.state = app_state(main_app)  # the same dict for the app's life

    async def __call__(self, scope: Scope, send: Send) -> bool:
        """Answer an HTTP request if this path takes it; → whether it did."""
        # Behind a prefix the routes see other paths: leave those to FastAPI, which knows the prefix.
        if scope["method"] != "GET" or scope.get("root_path") or self.main_app.root_path:
            return False
        match = MODEL_OPERATION.fullmatch(scope["path"])
        served = match and self.state["registry"].models.get(match[1])
        fast = served and served.spec.fast.get(match[2])
        if not fast:
            return False
        # As Starlette reads a query (latin-1, blanks kept; the last of a repeated key wins, as FastAPI's).
        pairs = query_pairs(scope["query_string"].decode("latin-1"))
        try:
            response = fast.answer(fast.check(served, fast.query.model_validate(dict(pairs))), scope, self.state, pairs)
            if asyncio.iscoroutine(response):
                response = await response
        except Exception:  # noqa: BLE001 - nothing sent yet: the route answers, and its error handling words it
            return False
        headers = security.with_security_headers(response.raw_headers)
        await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})
        return True
