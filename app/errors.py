"""One error shape for every failure: {"detail": "<field>: <what is wrong and what is allowed>"}."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from runtime.checkpoint import ChangedOnDisk


def _field(loc: tuple) -> str:
    # ("query", "n") → "n"; ("path", "model_id") → "model_id"; ("body", "pixels", 3) → "pixels.3"
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header")]
    return ".".join(parts) or "request"


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg", "invalid")} for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return JSONResponse(status_code=422, content={"detail": detail, "errors": errors[:20]})


async def changed_on_disk(request: Request, exc: ChangedOnDisk) -> JSONResponse:
    """A checkpoint file replaced under the running server: 503 until it is restarted, never an
    answer from files its model version does not describe."""
    return JSONResponse(status_code=503, content={"detail": f"model_id: {exc}"})


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(ChangedOnDisk, changed_on_disk)
