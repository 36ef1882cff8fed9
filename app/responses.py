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

PNG = "image/png"
PNG_RESPONSE = {200: {"content": {PNG: {}}, "description": "An 8-bit greyscale PNG"}}
ERRORS = {404: {"description": "Unknown model"}, 422: {"description": "A parameter is invalid; detail names it"}}


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
