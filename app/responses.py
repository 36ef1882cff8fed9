"""Building answers for pure GETs: PNG or JSON bodies with cache headers, 304 when unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import numpy as np
import orjson
from fastapi import HTTPException, Query, Request, Response
from starlette.types import Scope

from app.http_cache import cache_headers, revalidate
from app.registry import ServedModel
from app.schemas import Error

PNG = "image/png"
PNG_RESPONSE = {200: {"content": {PNG: {"schema": {"type": "string", "format": "binary"}}},
                      "description": "An 8-bit greyscale PNG"}}

_ERROR_DESCRIPTIONS = {
    400: "The request cannot be read",
    404: "Unknown model, or the model ships no such data",
    413: "Body too large",
    415: "Unsupported content type",
    422: "A parameter is invalid, or the operation does not apply to this model's kind; detail names the field",
}


def error_responses(*statuses: int) -> dict:
    """OpenAPI declarations of the error statuses an operation can answer, all with the one Error body."""
    return {status: {"model": Error, "description": _ERROR_DESCRIPTIONS[status]} for status in statuses}


ERRORS = error_responses(404, 422)


def png_responses(json_model: type | None = None) -> dict:
    """The 200 of a PNG operation: image/png first, so a generator that reads one type per status
    (openapi-python-client) takes the bytes; with format=json, the model as application/json.
    Use with response_class=Response: FastAPI would otherwise list application/json first."""
    return {200: {**PNG_RESPONSE[200], **({"model": json_model} if json_model else {})}}


def pixels_json(pixels: np.ndarray) -> dict:
    """(28, 28) probabilities → {"shape", "pixels"} with 4 decimals (the PNG holds 8 bits anyway)."""
    rows = np.round(pixels.astype(np.float64), 4).tolist()
    return {"shape": list(pixels.shape), "pixels": rows}


def cached(scope: Scope, served: ServedModel, max_age: int, media_type: str, build: Callable[[], bytes | dict],
           extra_headers: dict | None = None, pairs: list[tuple[str, str]] | None = None) -> Response:
    """Answer a pure GET: 304 if the client's ETag matches, else build the body once (`extra_headers`
    go with a body only). `pairs`: the query string already parsed, if the caller has it."""
    etag, unchanged = revalidate(scope, served.version, pairs)
    headers = cache_headers(etag, max_age)
    if unchanged:
        return Response(status_code=304, headers=headers)
    return Response(content=as_bytes(build()), media_type=media_type, headers={**headers, **(extra_headers or {})})


RowLimit = Annotated[int | None, Query(ge=1, le=100_000, description="At most this many rows, spread evenly over the set")]


def shipped_rows(request: Request, served: ServedModel, max_age: int, fields: dict[str, str], what: str,
                 limit: int | None) -> Response:
    """Rows of tensors that training shipped beside the weights (extras.safetensors), as JSON
    {field: rows} (`fields` maps each JSON field to its tensor): all of them, or at most `limit`
    spread evenly over the set, so every class and region stays represented. A 404 when the
    checkpoint ships none."""
    tensors = {key: served.extras.get(name) for key, name in fields.items()}
    if any(t is None for t in tensors.values()):
        raise HTTPException(status_code=404, detail=f"model_id: {served.id!r} ships no {what}")

    def build() -> dict:
        total = len(next(iter(tensors.values())))  # the registry checked that the tensors have equal rows
        count = total if limit is None else min(limit, total)
        rows = (np.arange(count) * total) // count  # evenly strided
        return {key: (np.round(t[rows], 5) if np.issubdtype(t.dtype, np.floating) else t[rows]).tolist()
                for key, t in tensors.items()}

    return cached(request.scope, served, max_age, "application/json", build)


def as_bytes(body: bytes | dict | list) -> bytes:
    """A JSON body as compact UTF-8. orjson writes the shortest digits that round-trip, as
    json.dumps does, so every number parses to the same float64; the bytes differ only in how
    magnitudes in [1e-9, 1e-4) are spelled ("1e-7" or "0.00001" for "1e-07" and "1e-05"), at a
    small fraction of json.dumps' time (bench/density.py). What orjson refuses (ints beyond 64 bits,
    non-str keys) goes to json.dumps."""
    if isinstance(body, bytes):
        return body
    try:
        return orjson.dumps(body)
    except TypeError:  # orjson.JSONEncodeError
        return json.dumps(body, separators=(",", ":")).encode()

