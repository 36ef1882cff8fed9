"""The hot paths: GET /api/models/{id}/decode, /manifold and /density answered straight from the
ASGI scope.

A slider drag asks for a new z on every move, so decode carries most of the traffic, and FastAPI's
per-request machinery (dependency resolution, validation of each parameter, building a Request)
costs several times the decoder's forward pass; for a manifold or a density it was 1.1–1.3 ms and
~1 ms of CPU (bench/RESULTS.md). app.main.LatentExplorer asks this first, before any of FastAPI's
layers. Each path reads the query with its route's own query model (DecodeQuery, ManifoldQuery,
DensityQuery) and answers with the route's own check and answer (app.decoding, app.manifold,
app.mdn_density), so the bytes and headers are the route's. A query the model refuses, an unknown
model or a model of another kind goes on to the FastAPI route unchanged, which answers it: every
error message, the contract and the OpenAPI document stay the route's. So does a request that fails
here before anything was sent."""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, HTTPException
from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import Scope, Send

from app import decoding, manifold, mdn_density, security
from app.deps import DIGIT_KINDS, MIXTURE_KINDS
from app.registry import ServedModel
from app.schemas import DecodeQuery, DensityQuery, ManifoldQuery


def query_pairs(query: str) -> list[tuple[str, str]]:
    """parse_qsl(query, keep_blank_values=True), without its per-field unquoting where there is
    nothing to unquote (a slider's query never has % or +): the same pairs at a fifth of the cost."""
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=True)
    return [(name, value) for field in query.split("&") if field for name, _, value in (field.partition("="),)]


# The routes answered synchronously from the scope: operation → (the model kinds it serves, its query
# model, the module holding its check and answer, which the FastAPI route calls too).
_COMPUTED = {
    "manifold": (DIGIT_KINDS, ManifoldQuery, manifold),
    "density": (MIXTURE_KINDS, DensityQuery, mdn_density),
}


class HotPath:
    """Answers GET /api/models/{id}/decode, /manifold and /density from the ASGI scope when it can (see the module)."""

    def __init__(self, main_app: FastAPI):
        self.main_app = main_app

    async def __call__(self, scope: Scope, send: Send) -> bool:
        """Answer an HTTP request if it is a decode, manifold or density this path takes; → whether it did."""
        if scope["method"] != "GET":
            return False
        operation = scope["path"].rpartition("/")[2]
        if operation in _COMPUTED:
            return await self.send_computed(scope, send, operation)
        if operation != "decode":
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

    async def send_computed(self, scope: Scope, send: Send, operation: str) -> bool:
        """GET …/manifold or …/density the same way: the route's own query model, check and answer, the
        security headers as SecurityHeaders adds them; anything else to the route."""
        kinds, query_model, route = _COMPUTED[operation]
        served = self._model(scope, operation, kinds)
        if served is None:
            return False
        pairs = query_pairs(scope["query_string"].decode("latin-1"))
        try:
            response = route.answer(route.check(served, query_model.model_validate(dict(pairs))), scope,
                                    self.main_app.state._state["settings"].cache_max_age, pairs)
        except Exception:  # noqa: BLE001 - nothing sent yet: the route answers, and its error handling words it
            return False
        headers = response.raw_headers
        present = {name for name, _ in headers}
        headers.extend(h for h in security.RAW_HEADERS if h[0] not in present)
        await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})
        return True

    def _model(self, scope: Scope, operation: str, kinds: tuple[str, ...]) -> ServedModel | None:
        """The model of /api/models/{id}/{operation} if it is of one of `kinds`; None where the route must answer."""
        if scope.get("root_path"):
            return None
        parts = scope["path"].split("/")  # "", "api", "models", id, operation
        if len(parts) != 5 or parts[1] != "api" or parts[2] != "models" or parts[4] != operation:
            return None
        # Starlette's State resolves each attribute through a Python __getattr__ (1.4 µs each, three per
        # decode); its dict is read directly instead.
        served = self.main_app.state._state["registry"].models.get(parts[3])
        return served if served is not None and served.kind in kinds else None

    def answer(self, scope: Scope) -> Coroutine[Any, Any, Response] | None:
        """The route's answer to a decode it would accept, as a coroutine; None to let the route answer."""
        served = self._model(scope, "decode", DIGIT_KINDS)
        if served is None:
            return None
        # As Starlette reads a query (latin-1, blanks kept; the last of a repeated key wins, as FastAPI's).
        pairs = query_pairs(scope["query_string"].decode("latin-1"))
        try:
            decode = decoding.check(served, DecodeQuery.model_validate(dict(pairs)))
        except (ValidationError, HTTPException):
            return None
        state = self.main_app.state._state
        return decoding.answer(decode, scope, state["settings"].cache_max_age, state["decode_batcher"], pairs)
