"""Building answers for pure GETs: PNG or JSON bodies with cache headers, 304 when unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np
import torch
from fastapi import Request, Response

from app.http_cache import cache_headers, etag_for, not_modified
from app.imaging import png_bytes
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


def pixels_json(pixels: torch.Tensor) -> dict:
    """(28, 28) probabilities → {"shape", "pixels"} with 4 decimals (the PNG holds 8 bits anyway)."""
    rows = np.round(pixels.numpy().astype(np.float64), 4).tolist()
    return {"shape": list(pixels.shape), "pixels": rows}


def cached(request: Request, served: ServedModel, max_age: int, media_type: str,
           build: Callable[[], bytes | dict], extra_headers: dict | None = None) -> Response:
    """Answer a pure GET: 304 if the client's ETag matches, else build the body once."""
    etag = etag_for(request, served.version)
    unchanged = not_modified(request, etag, max_age)
    if unchanged is not None:
        return unchanged
    body = as_bytes(build())
    headers = {**cache_headers(etag, max_age), **(extra_headers or {})}
    return Response(content=body, media_type=media_type, headers=headers)


def as_bytes(body: bytes | dict | list) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()


def png_or_json(fmt: str, image: Callable[[], np.ndarray], as_json: Callable[[], dict]) -> tuple[str, Callable]:
    if fmt == "json":
        return "application/json", as_json
    return PNG, lambda: png_bytes(image())
