"""Request-scoped lookups shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from app.params import invalid
from app.registry import Registry, ServedModel
from app.settings import Settings


# async: a plain `def` dependency runs in the threadpool, a hop that costs more than the lookup.
async def get_registry(request: Request) -> Registry:
    return request.app.state.registry


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


RegistryDep = Annotated[Registry, Depends(get_registry)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_model(
    registry: RegistryDep,
    model_id: Annotated[str, Path(description="A model id from GET /api/models.", max_length=200)],
) -> ServedModel:
    served = registry.models.get(model_id)
    if served is None:
        available = ", ".join(registry.ids()) or "none"
        raise HTTPException(status_code=404, detail=f"model_id: unknown model {model_id[:80]!r}; available: {available}")
    return served


ModelDep = Annotated[ServedModel, Depends(get_model)]

DIGIT_KINDS = ("vae", "cvae")


def require_kind(served: ServedModel, operation: str, kinds: tuple[str, ...]) -> None:
    if served.kind not in kinds:
        raise HTTPException(
            status_code=422,
            detail=f"model_id: {operation} is not available for {served.id!r} (kind {served.kind}); "
            f"it applies to kinds {', '.join(kinds)}",
        )


def shipped_extras(served: ServedModel, names: tuple[str, str], what: str) -> tuple:
    """Two tensors that training shipped beside the weights (extras.safetensors), or a 404."""
    first, second = (served.extras.get(name) for name in names)
    if first is None or second is None:
        raise HTTPException(status_code=404, detail=f"model_id: {served.id!r} ships no {what}")
    return first, second


def check_label(served: ServedModel, label: int | None, field: str = "label") -> None:
    if served.kind == "vae":
        if label is not None:
            raise invalid(field, f"model {served.id!r} is an unconditional vae and takes no label")
        return
    if label is None:
        raise invalid(field, f"required for the cvae {served.id!r}; one of {served.labels}")
    if label not in served.labels:
        raise invalid(field, f"{label} is not one of this model's labels {served.labels}")
