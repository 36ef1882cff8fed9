"""Cache headers for pure GETs: the answer is a function of the model version, path and query,
so an ETag derived from those lets a browser or CDN reuse slider positions it has seen, and a
matching If-None-Match is answered 304 before any inference runs."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl

from starlette.types import Scope

NO_STORE = {"Cache-Control": "no-store"}
# A URL naming a version can never change its bytes (a new version has another URL), so a browser may
# keep it a year without asking; one without the version must revalidate (a 304 when unchanged).
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def revalidate(scope: Scope, version: str, pairs: list[tuple[str, str]] | None = None) -> tuple[str, bool]:
    """The ETag step of every pure GET (the routes and app.hot_path alike) → (this answer's ETag,
    whether the client's If-None-Match already names it: then the answer is a 304 with the cache
    headers and no body). `pairs`: the query already parsed with parse_qsl(…, keep_blank_values=True),
    to save parsing it twice."""
    etag = etag_for_query(version, scope["path"], scope.get("query_string", b""), pairs)
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            return etag, matches(value.decode("latin-1"), etag)
    return etag, False


def cache_headers(etag: str, max_age: int) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": cache_control(max_age)}


def cache_control(max_age: int) -> str:
    return f"public, max-age={max_age}"


def etag_for_query(version: str, path: str, query_string: bytes, pairs: list[tuple[str, str]] | None = None) -> str:
    """The ETag of (model version, path, query), independent of the order of the query's parameters.
    Raw bytes are read as latin-1, as Starlette reads query parameters: no byte sequence can fail."""
    if pairs is None:
        pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    # Length-prefixed, so no two different queries serialise alike; cheaper than urlencode's quoting
    # (which was a tenth of a decode request's cost).
    query = "".join(f"{len(k)}:{k}{len(v)}:{v}" for k, v in sorted(pairs))
    digest = hashlib.blake2b(f"{version}\n{path}\n{query}".encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header value names this ETag (or is *)."""
    return bool(if_none_match) and (if_none_match.strip() == "*" or etag in (m.strip() for m in if_none_match.split(",")))
