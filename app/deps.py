"""Request-scoped lookups shared by the routers."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request

from app import inference
from app.kind import kinds_supporting
from app.params import invalid
from app.registry import Registry, ServedModel
from app.settings import Settings


def app_state(app: FastAPI) -> dict:
    """app.state's dict, the one way the routes and app.hot_path read it: Starlette's State resolves
    each attribute through a __getattr__ that runs after a failed normal lookup."""
    return app.state._state


# async: a plain `def` dependency runs in the threadpool, a hop that costs more than the lookup.
async def get_registry(request: Request) -> Registry:
    return app_state(request.app)["registry"]


async def get_settings(request: Request) -> Settings:
    return app_state(request.app)["settings"]


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


def operation_of(request: Request) -> str:
    """The operation a route answers: its path's last segment ("/api/models/{model_id}/decode" → "decode")."""
    return request.scope["route"].path.rsplit("/", 1)[-1]


async def get_model_for_operation(served: ModelDep, registry: RegistryDep, request: Request) -> ServedModel:
    """The path's model, or a 422 when its kind's declaration does not list this operation."""
    operation = operation_of(request)
    if not served.spec.supports(operation):
        raise HTTPException(
            status_code=422,
            detail=f"model_id: {operation} is not available for {served.id!r} (kind {served.kind}); "
            f"it applies to kinds {', '.join(kinds_supporting(registry.kinds, operation))}",
        )
    return served


OperationModel = Annotated[ServedModel, Depends(get_model_for_operation)]  # a model whose kind has this operation


def label_input(served: ServedModel, label: int | None, to_label: int | None = None,
                morph: float = 0.0) -> np.ndarray | None:
    """The labels a digit model is asked for, checked (a 422 naming the field), as the decoder's
    label input (inference.label_vector): None for a vae, which takes no label."""
    _check_label(served, label, "label")
    if to_label is not None:
        _check_label(served, to_label, "to_label")
    elif morph:
        raise invalid("morph", "needs to_label")
    return inference.label_vector(served, label, to_label, morph)


async def query_label_input(
    served: OperationModel,
    label: Annotated[int | None, Query(description="Digit label: required for a cvae, not allowed for a vae")] = None,
) -> np.ndarray | None:
    return label_input(served, label)


LabelInput = Annotated[np.ndarray | None, Depends(query_label_input)]  # from ?label=, checked against the model


def _check_label(served: ServedModel, label: int | None, field: str) -> None:
    if not served.labels:
        if label is not None:
            raise invalid(field, f"model {served.id!r} is an unconditional vae and takes no label")
        return
    if label is None:
        raise invalid(field, f"required for the cvae {served.id!r}; one of {served.labels}")
    if label not in served.labels:
        raise invalid(field, f"{label} is not one of this model's labels {served.labels}")
