"""GET /api/models/{id}/manifold, written once: from a validated ManifoldQuery to the response
(the route in app.routes.images and app.hot_path both call `check` and `answer`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from starlette.responses import Response
from starlette.types import Scope

from app import inference
from app.deps import label_input
from app.imaging import png_bytes, tile, to_uint8, upscale
from app.params import MAX_ABS_Z, invalid, parse_index_pair, parse_vector
from app.registry import ServedModel
from app.responses import PNG, cached
from app.schemas import ManifoldQuery
from runtime.latent_grid import axis_values

MAX_MANIFOLD_SIDE = 2240  # pixels: a 40×40 grid at scale 2


@dataclass(slots=True)
class Manifold:
    """One checked manifold query: the lattice to decode and how the answer is written."""

    served: ServedModel
    y: np.ndarray | None  # (1, n_labels): the label input, or None for a vae
    n: int
    mode: str  # the lattice: gaussian or linear
    span: float
    dims: tuple[int, int]
    base: list[float] | None  # the other dimensions' values, or None for 0
    scale: int


def check(served: ServedModel, query: ManifoldQuery) -> Manifold:
    """The checks that depend on the model (a digit model: the caller has checked its kind), in the
    route's order: the label, two latent dimensions, dims, z, the picture's size. A 422
    (HTTPException) naming the field when one fails."""
    y = label_input(served, query.label)
    latent_dim = served.facts.latent_dim
    if latent_dim < 2:
        raise invalid("model_id", "a manifold needs at least two latent dimensions")
    pair = parse_index_pair(query.dims, "dims", latent_dim)
    base = parse_vector(query.z, "z", latent_dim, MAX_ABS_Z) if query.z is not None else None
    mode = query.grid or ("linear" if query.span is not None else "gaussian")
    n, scale = query.n, query.scale
    if n * 28 * scale > MAX_MANIFOLD_SIDE:
        raise invalid("scale", f"n·28·scale must be at most {MAX_MANIFOLD_SIDE} pixels (n={n} allows up to "
                      f"{MAX_MANIFOLD_SIDE // (28 * n)})")
    return Manifold(served, y, n, mode, query.span or 3.0, pair, base, scale)


def answer(manifold: Manifold, scope: Scope, state: dict, pairs: list[tuple[str, str]] | None = None) -> Response:
    """304 when the client holds this answer already, else the grid as a PNG, its lattice named in
    X-Latent-Grid and its coordinates in X-Latent-Axis. `state`: app.state's dict; `pairs`: the query
    string already parsed, if the caller has it. The lattice and the forward pass run only when a body is sent."""
    m = manifold

    def build() -> bytes:
        points = inference.manifold_points(m.served, m.n, m.mode, m.span, m.dims, m.base)
        return png_bytes(upscale(tile(to_uint8(inference.decode(m.served, points, m.y)), m.n), m.scale))

    axis = ",".join(f"{v:.6g}" for v in axis_values(m.n, m.mode, m.span).tolist())
    return cached(scope, m.served, state["settings"].cache_max_age, PNG, build,
                  {"X-Latent-Grid": m.mode, "X-Latent-Axis": axis}, pairs)
