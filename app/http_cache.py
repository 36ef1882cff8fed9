"""Cache headers for pure GETs: the answer is a function of the model version, path and query,
so an ETag derived from those lets a browser or CDN reuse slider positions it has seen, and a
matching If-None-Match is answered 304 before any inference runs."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode

from fastapi import Request, Response


def etag_for(request: Request, version: str) -> str:
    query = urlencode(sorted(parse_qsl(request.url.query, keep_blank_values=True)))
    digest = hashlib.blake2b(f"{version}\n{request.url.path}\n{query}".encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def cache_headers(etag: str, max_age: int) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}


def not_modified(request: Request, etag: str, max_age: int) -> Response | None:
    """A 304 when the client already holds this exact answer, else None."""
    match = request.headers.get("if-none-match")
    if match and (match.strip() == "*" or etag in (m.strip() for m in match.split(","))):
        return Response(status_code=304, headers=cache_headers(etag, max_age))
    return None


NO_STORE = {"Cache-Control": "no-store"}
