"""Mixture density networks: p(t|x) at one x, the parameters swept across x, and the training data."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app import inference
from app.deps import MixtureModel, SettingsDep
from app.params import MAX_ABS_X, check_finite, invalid, parse_vector
from app.responses import ERRORS, RowLimit, cached, shipped_rows
from app.schemas import Density, Sweep, TrainingData

router = APIRouter(prefix="/api/models/{model_id}", tags=["mixture density"])


@router.get("/density", response_model=Density, responses=ERRORS)
async def mixture_density(
    request: Request,
    served: MixtureModel,
    settings: SettingsDep,
    x: Annotated[str, Query(description="input_dim comma-separated numbers", max_length=4096)],
    points: Annotated[int, Query(ge=2, le=2000, description="Grid points for t (1-D outputs)")] = 200,
    t_min: Annotated[float | None, Query(description="Lower end of the t grid (1-D outputs)")] = None,
    t_max: Annotated[float | None, Query(description="Upper end of the t grid (1-D outputs)")] = None,
) -> Response:
    """The mixture p(t|x): π, μ, σ per kernel, its mean, variance, most probable kernel's mean and
    true modes; for a 1-D output the density on a grid; for the arm each kernel's reach."""
    x_values = parse_vector(x, "x", served.meta["input_dim"], MAX_ABS_X)
    lo, hi = inference.default_t_range(served)
    lo = lo if t_min is None else check_finite(t_min, "t_min", MAX_ABS_X)
    hi = hi if t_max is None else check_finite(t_max, "t_max", MAX_ABS_X)
    if served.meta["output_dim"] == 1 and not lo < hi:  # the grid exists only for 1-D outputs
        raise invalid("t_max", f"must be greater than t_min ({lo:g})")
    return cached(request, served, settings.cache_max_age, "application/json",
                  lambda: inference.density(served, x_values, points, lo, hi))


@router.get("/sweep", response_model=Sweep, responses=ERRORS)
async def mixture_sweep(
    request: Request,
    served: MixtureModel,
    settings: SettingsDep,
    x_points: Annotated[int, Query(ge=2, le=400, description="Points across the input's training domain")] = 100,
    t_points: Annotated[int, Query(ge=2, le=400, description="Points across t, for the density heatmap")] = 100,
) -> Response:
    """π_k(x), μ_k(x), σ_k(x) and the mean across the training domain (1-D inputs), and p(t|x) on an
    x × t grid for 1-D outputs: what the page draws as curves and a heatmap."""
    if served.meta["input_dim"] != 1:
        raise invalid("model_id", f"a sweep needs a 1-D input; {served.id!r} has {served.meta['input_dim']}")
    return cached(request, served, settings.cache_max_age, "application/json",
                  lambda: inference.sweep(served, x_points, t_points))


@router.get("/training-data", response_model=TrainingData, responses=ERRORS)
async def training_data(request: Request, served: MixtureModel, settings: SettingsDep, limit: RowLimit = None) -> Response:
    """A sample of the data the model was trained on (shipped with the checkpoint)."""
    return shipped_rows(request, served, settings.cache_max_age, {"x": "data_x", "t": "data_t"}, "training data", limit)
