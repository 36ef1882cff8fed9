"""One error shape for every failure: {"detail": "<field>: <what is wrong and what is allowed>"}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def _field(loc: tuple) -> str:
    # ("query", "n") → "n"; ("path", "model_id") → "model_id"; ("body", "pixels", 3) → "pixels.3"
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or "request"


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")} for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return JSONResponse(status_code=422, content={"detail": detail, "errors": errors[:20]})


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
