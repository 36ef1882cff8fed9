"""Security headers on every response, cache headers on the page and its static files, offline /docs."""

from __future__ import annotations

import re

import pytest

from app.security import HEADERS

RESPONSES = [
    ("GET", "/", 200),
    ("GET", "/api/models", 200),
    ("GET", "/api/models/vae-2d/decode?z=0,0", 200),  # the fast path
    ("GET", "/api/models/vae-2d/decode?z=0.50,0", 200),  # the route (not canonical)
    ("GET", "/api/models/vae-2d/decode?z=nan,0", 422),
    ("GET", "/api/models/nope", 404),
    ("GET", "/no-such-page", 404),
    ("POST", "/api/models", 405),
    ("GET", "/healthz", 200),
    ("GET", "/openapi.json", 200),
    ("GET", "/docs", 200),
    ("GET", "/redoc", 308),
    ("GET", "/static/js/main.js", 200),
    ("GET", "/static/nope.js", 404),
]


@pytest.mark.parametrize(("method", "url", "status"), RESPONSES)
def test_every_response_carries_the_security_headers(client, method, url, status):
    r = client.request(method, url, follow_redirects=False)
    assert r.status_code == status
    for name, value in HEADERS.items():
        assert r.headers.get(name) == value, name
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert re.search(r"script-src 'self'(;|$)", csp), csp  # no 'unsafe-inline', no CDN


def test_the_fast_path_304_carries_them_too(client):
    first = client.get("/api/models/vae-2d/decode?z=0,0")
    again = client.get("/api/models/vae-2d/decode?z=0,0", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["x-content-type-options"] == "nosniff"


def test_page_has_no_inline_script_and_names_versioned_static_urls(client):
    r = client.get("/")
    assert r.status_code == 200
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.S)
    assert scripts and all(body.strip() == "" and "src=" in attrs for attrs, body in scripts)
    assert " style=" not in r.text  # the CSP refuses inline style attributes
    urls = re.findall(r'(?:src|href)="(static/[^"]+)"', r.text)
    assert {u.split("/")[-1] for u in urls} == {"style.css", "main.js"}
    version = urls[0].split("/")[1]
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert all(u.startswith(f"static/{version}/") for u in urls)


def test_page_is_revalidated_with_an_etag(client):
    r = client.get("/")
    assert r.headers["cache-control"] == "no-cache" and r.headers["etag"]
    again = client.get("/", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == r.headers["etag"]


def test_versioned_static_files_are_immutable_and_unversioned_ones_revalidated(client):
    version = re.search(r'src="static/([0-9a-f]{12})/js/main.js"', client.get("/").text).group(1)
    versioned = client.get(f"/static/{version}/js/api.js")
    assert versioned.status_code == 200 and "javascript" in versioned.headers["content-type"]
    assert versioned.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = client.get("/static/js/api.js")
    assert plain.content == versioned.content and plain.headers["cache-control"] == "no-cache"
    # Another deploy's version is not served as this one's (it would be cached for a year).
    assert client.get("/static/000000000000/js/api.js").status_code == 404


def test_docs_load_nothing_from_another_origin(client):
    r = client.get("/docs")
    assert r.status_code == 200
    urls = re.findall(r'(?:src|href|data-openapi)="([^"]+)"', r.text)
    assert urls and not [u for u in urls if "//" in u or u.startswith("/")], urls  # relative: works behind a prefix
    assert {u.rsplit("/", 1)[-1] for u in urls} >= {"swagger-ui-bundle.js", "swagger-ui.css", "docs.js", "openapi.json"}
    for url in urls:
        asset = client.get("/" + url)
        assert asset.status_code == 200, url
        if url.startswith("static/docs-"):
            assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "<script>" not in r.text


def test_redoc_leads_to_docs(client):
    r = client.get("/redoc", follow_redirects=False)
    assert r.status_code == 308 and r.headers["location"] == "docs"
