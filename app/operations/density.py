"""GET /api/models/{id}/density, written once: from a validated DensityQuery to the response
(the route in app.routes.mixtures and app.hot_path both call `check` and `answer`)."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import Scope

from app import inference
from app.params import MAX_ABS_X, check_finite, invalid, parse_vector
from app.registry import ServedModel
from app.responses import cached
from app.schemas import DensityQuery


@dataclass(slots=True)
class Density:
    """One checked density query."""

    served: ServedModel
    x: list[float]
    points: int
    t_min: float
    t_max: float


def check(served: ServedModel, query: DensityQuery) -> Density:
    """The checks that depend on the model (an mdn: the caller has checked its kind), in the route's
    order: x, t_min, t_max, and for a 1-D output t_min < t_max. A 422 (HTTPException) naming the field."""
    x = parse_vector(query.x, "x", served.facts.input_dim, MAX_ABS_X)
    lo, hi = inference.default_t_range(served)
    lo = lo if query.t_min is None else check_finite(query.t_min, "t_min", MAX_ABS_X)
    hi = hi if query.t_max is None else check_finite(query.t_max, "t_max", MAX_ABS_X)
    if served.facts.output_dim == 1 and not lo < hi:  # the grid exists only for 1-D outputs
        raise invalid("t_max", f"must be greater than t_min ({lo:g})")
    return Density(served, x, query.points, lo, hi)


def answer(density: Density, scope: Scope, state: dict, pairs: list[tuple[str, str]] | None = None) -> Response:
    """304 when the client holds this answer already, else the mixture as JSON. `state`: app.state's
    dict; `pairs`: the query string already parsed, if the caller has it."""
    d = density
    return cached(scope, d.served, state["settings"].cache_max_age, "application/json",
                  lambda: inference.density(d.served, d.x, d.points, d.t_min, d.t_max), pairs=pairs)
