"""The explorer page. It is a client of the same REST API that scripts use."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import HTMLResponse

from app.http_cache import matches

if TYPE_CHECKING:
    from fastapi.templating import Jinja2Templates

router = APIRouter(tags=["page"])
# The page names one version of its scripts (static/<version>/…), so it must be revalidated on every
# load: a deploy then reaches the next load, and an unchanged page costs a 304.
PAGE_CACHE = "no-cache"


def templates(app: FastAPI) -> Jinja2Templates:
    """The pages' templates, made on the first page request: Jinja2 is imported then, not at
    start-up, which the API alone does not need (bench/RESULTS.md, "ONNX Runtime": start-up, memory)."""
    made = getattr(app.state, "templates", None)
    if made is None:
        from fastapi.templating import Jinja2Templates

        made = app.state.templates = Jinja2Templates(directory=str(app.state.settings.templates_dir))
    return made


@router.get("/", response_class=HTMLResponse)
def explorer_page(request: Request) -> Response:
    """The explorer: sliders, latent map, CVAE, mixture density panels."""
    page = templates(request.app).TemplateResponse(request, "index.html", {"static": request.app.state.static_url})
    etag = f'"{hashlib.blake2b(page.body, digest_size=12).hexdigest()}"'
    headers = {"ETag": etag, "Cache-Control": PAGE_CACHE}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    page.headers.update(headers)
    return page
