"""The API's documentation page, /docs (Swagger UI), served entirely from this server.

FastAPI's own page loads its scripts from a CDN and starts them with an inline script: blank
without internet, and refused by our Content-Security-Policy. The assets come from the installed
`fastapi-offline` package (Swagger UI 5, which reads OpenAPI 3.1; swagger-ui-bundle's 4.x cannot);
static/js/docs.js starts them. Every URL is relative, so the page works behind a path prefix."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.http_cache import IMMUTABLE
from app.routes.pages import templates
from app.static_assets import CachedStaticFiles

ASSETS = Path(str(importlib.resources.files("fastapi_offline") / "static"))
# Versioned by the package's version: the files change only when it does.
ASSETS_URL = f"static/docs-{importlib.metadata.version('fastapi-offline')}"

router = APIRouter(include_in_schema=False)


def mount_assets(app: FastAPI) -> None:
    """Serve the Swagger UI files at ASSETS_URL (before the general /static mount takes the path)."""
    app.mount(f"/{ASSETS_URL}", CachedStaticFiles(directory=ASSETS, cache_control=IMMUTABLE), name="docs-assets")


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    context = {"assets": ASSETS_URL, "static": request.app.state.static_url, "title": request.app.title}
    return templates(request.app).TemplateResponse(request, "docs.html", context)


@router.get("/redoc")
def redoc() -> RedirectResponse:
    # ReDoc needs a blob: worker and a CDN logo, which the CSP refuses; the old URL leads to /docs.
    return RedirectResponse("docs", status_code=308)
