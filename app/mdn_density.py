"""GET /api/models/{id}/density, written once: from a validated DensityQuery to the response.

The FastAPI route (app.routes.mixtures) and the hot path in front of it (app.hot_path) differ
only in how they read the query: both call `check` and `answer` here, so the bytes, headers and
errors are the same whichever path a request takes. FastAPI's per-request machinery (middleware,
dependency and parameter resolution) cost about 1 ms of a 400-point density's 4.7 ms over HTTP
on the loaded 2-core VM, as much as the ETag round trip of a 304 (in process, 3.9 against 3.2 ms of
CPU per request, 0.79 against 0.11 ms per 304: `python bench/density.py`)."""

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
    x = parse_vector(query.x, "x", served.meta["input_dim"], MAX_ABS_X)
    lo, hi = inference.default_t_range(served)
    lo = lo if query.t_min is None else check_finite(query.t_min, "t_min", MAX_ABS_X)
    hi = hi if query.t_max is None else check_finite(query.t_max, "t_max", MAX_ABS_X)
    if served.meta["output_dim"] == 1 and not lo < hi:  # the grid exists only for 1-D outputs
        raise invalid("t_max", f"must be greater than t_min ({lo:g})")
    return Density(served, x, query.points, lo, hi)


def answer(density: Density, scope: Scope, max_age: int, pairs: list[tuple[str, str]] | None = None) -> Response:
    """304 when the client holds this answer already, else the mixture as JSON. `pairs`: the query
    string already parsed, if the caller has it."""
    d = density
    return cached(scope, d.served, max_age, "application/json",
                  lambda: inference.density(d.served, d.x, d.points, d.t_min, d.t_max), pairs=pairs)
