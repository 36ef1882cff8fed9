"""Mixture density networks: p(t|x) at one x, the parameters swept across x, and the training data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import inference
from app.deps import OperationModel, SettingsDep, app_state
from app.operations import density
from app.params import invalid
from app.responses import ERRORS, RowLimit, cached, shipped_rows
from app.schemas import Density, DensityQuery, Sweep, TrainingData

router = APIRouter(prefix="/api/models/{model_id}", tags=["mixture density"])


@router.get("/density", response_model=Density, responses=ERRORS)
async def mixture_density(
    request: Request, served: OperationModel, query: Annotated[DensityQuery, Query()],
) -> Response:
    """The mixture p(t|x): π, μ, σ per kernel, its mean, variance, most probable kernel's mean and
    true modes; for a 1-D output the density on a grid; for the arm each kernel's reach."""
    return density.answer(density.check(served, query), request.scope, app_state(request.app))


@router.get("/sweep", response_model=Sweep, responses=ERRORS)
async def mixture_sweep(
    request: Request,
    served: OperationModel,
    settings: SettingsDep,
    x_points: Annotated[int, Query(ge=2, le=400, description="Points across the input's training domain")] = 100,
    t_points: Annotated[int, Query(ge=2, le=400, description="Points across t, for the density heatmap")] = 100,
) -> Response:
    """π_k(x), μ_k(x), σ_k(x) and the mean across the training domain (1-D inputs), and p(t|x) on an
    x × t grid for 1-D outputs: what the page draws as curves and a heatmap."""
    if served.facts.input_dim != 1:
        raise invalid("model_id", f"a sweep needs a 1-D input; {served.id!r} has {served.facts.input_dim}")
    return cached(request.scope, served, settings.cache_max_age, "application/json",
                  lambda: inference.sweep(served, x_points, t_points))


@router.get("/training-data", response_model=TrainingData, responses=ERRORS)
async def training_data(request: Request, served: OperationModel, settings: SettingsDep, limit: RowLimit = None) -> Response:
    """A sample of the data the model was trained on (shipped with the checkpoint)."""
    return shipped_rows(request, served, settings.cache_max_age, {"x": "data_x", "t": "data_t"}, "training data", limit)
