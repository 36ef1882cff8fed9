"""What is served: the model list, one model, and health."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.deps import ModelDep, RegistryDep
from app.responses import ERRORS
from app.schemas import Health


def model_router(model_info: type[BaseModel]) -> APIRouter:
    """GET /api/models and /api/models/{id}, answered as `model_info` (app.schemas.model_info of the served kinds)."""
    router = APIRouter(tags=["models"])

    @router.get("/api/models", response_model=list[model_info])
    def list_models(registry: RegistryDep) -> list[dict]:
        """Every served model with its metrics and shape facts."""
        return [m.info for m in registry.models.values()]

    @router.get("/api/models/{model_id}", response_model=model_info, responses=ERRORS)
    def get_model_info(served: ModelDep) -> dict:
        """One model's description, metrics and shape facts."""
        return served.info

    return router


router = APIRouter()  # /healthz is listed once, under "health" (a router tag would list it under "models" too)


@router.get("/healthz", response_model=Health, tags=["health"])
def healthz(registry: RegistryDep, request: Request) -> dict:
    """Liveness and what was loaded; checkpoints that failed are listed with their reason; the event
    loop and HTTP parser the server runs on."""
    stack = request.app.state.serving_stack
    return {"status": "ok", "models": len(registry.models), "failed": registry.failed,
            "event_loop": stack.event_loop if stack else None, "http_parser": stack.http_parser if stack else None}
