"""The explorer page. It is a client of the same REST API that scripts use."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(tags=["page"])


@router.get("/", response_class=HTMLResponse)
def explorer_page(request: Request) -> HTMLResponse:
    """The explorer: sliders, latent map, CVAE, mixture density panels."""
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "index.html", {"models": request.app.state.registry.ids()})
