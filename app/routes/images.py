"""Digits from latent codes: decode, generate, the manifold picture, and the held-out embedding."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

import torch
from fastapi import APIRouter, Query, Request, Response

from app import inference
from app.deps import DIGIT_KINDS, ModelDep, SettingsDep, check_label, require_kind, shipped_extras
from app.http_cache import NO_STORE
from app.imaging import grid_columns, png_bytes, tile, to_uint8, upscale
from app.params import MAX_ABS_Z, invalid, parse_index_pair, parse_vector
from app.registry import ServedModel
from app.responses import ERRORS, PNG, as_bytes, cached, pixels_json, png_or_json, png_responses
from app.schemas import Embedding, GenerateJSON, ImageJSON

router = APIRouter(prefix="/api/models/{model_id}", tags=["latent space"])

MAX_DECODE_SCALE = 16  # decode's `scale` bound (app/fast_decode.py checks the same)
MAX_MANIFOLD_SIDE = 2240  # pixels: a 40×40 grid at scale 2

Format = Annotated[Literal["png", "json"], Query(description="png (default) or json")]
Label = Annotated[int | None, Query(description="Digit label: required for a cvae, not allowed for a vae")]


def _latent(served: ServedModel, raw: str, field: str = "z") -> list[float]:
    return parse_vector(raw, field, served.meta["latent_dim"], MAX_ABS_Z)


@router.get("/decode", response_class=Response, responses={**png_responses(ImageJSON), **ERRORS})
async def decode_latent(
    request: Request,
    served: ModelDep,
    settings: SettingsDep,
    z: Annotated[str, Query(description="latent_dim comma-separated numbers, each within ±10", max_length=4096)],
    label: Label = None,
    to_label: Annotated[int | None, Query(description="cvae morph: the label reached at morph=1")] = None,
    morph: Annotated[float, Query(ge=0, le=1, description="cvae morph weight on to_label")] = 0.0,
    scale: Annotated[int, Query(ge=1, le=MAX_DECODE_SCALE, description="Upscaling factor, nearest neighbour")] = 1,
    format: Format = "png",
) -> Response:
    """Decode one latent point to a 28·scale square digit."""
    # async: a decode takes tens of microseconds, less than a hop to the threadpool would.
    # The hot path: app.fast_decode answers well-formed queries before FastAPI's parameter parsing,
    # with check_decode and render_decode below; this route answers the rest (and every error).
    z_values, y = check_decode(served, z, label, to_label, morph)
    media, build = render_decode(lambda: inference.decode_points(served, torch.tensor([z_values]), y)[0], scale, format)
    return cached(request, served, settings.cache_max_age, media, build)


def check_decode(served: ServedModel, z: str, label: int | None, to_label: int | None,
                 morph: float) -> tuple[list[float], torch.Tensor | None]:
    """The decode parameters that depend on the model → (z values, the decoder's label input); 422 if bad."""
    require_kind(served, "decode", DIGIT_KINDS)
    check_label(served, label)
    if to_label is not None:
        check_label(served, to_label, "to_label")
    elif morph:
        raise invalid("morph", "needs to_label")
    return _latent(served, z), inference.label_vector(served, label, to_label, morph)


def render_decode(pixels: Callable[[], torch.Tensor], scale: int, fmt: str) -> tuple[str, Callable[[], bytes | dict]]:
    """pixels: computes the (28, 28) digit → (media type, a builder of the body): PNG, or the pixels as JSON."""
    return png_or_json(fmt, lambda: upscale(to_uint8(pixels()), scale), lambda: pixels_json(pixels()))


@router.get("/generate", response_class=Response, responses={**png_responses(GenerateJSON), **ERRORS})
async def generate_digits(
    request: Request,
    served: ModelDep,
    settings: SettingsDep,
    n: Annotated[int, Query(ge=1, le=64, description="How many samples")] = 16,
    label: Label = None,
    seed: Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Same seed, same bytes")] = None,
    scale: Annotated[int, Query(ge=1, le=8)] = 1,
    format: Format = "png",
) -> Response:
    """Draw z ~ N(0, I) and decode: a near-square PNG grid, or the codes and pixels as JSON."""
    require_kind(served, "generate", DIGIT_KINDS)
    check_label(served, label)
    y = inference.label_vector(served, label)

    def build():
        z = inference.prior_samples(served, n, seed)
        images = inference.decode(served, z, y)
        if format == "json":
            return {"z": z.tolist(), "images": [pixels_json(im) for im in images]}
        return png_bytes(upscale(tile(to_uint8(images), grid_columns(n)), scale))

    media = "application/json" if format == "json" else PNG
    if seed is None:  # not a pure function of the query: never cache
        return Response(content=as_bytes(build()), media_type=media, headers=NO_STORE)
    return cached(request, served, settings.cache_max_age, media, build)


@router.get("/manifold", response_class=Response, responses={**png_responses(), **ERRORS})
async def manifold_image(
    request: Request,
    served: ModelDep,
    settings: SettingsDep,
    n: Annotated[int, Query(ge=2, le=40, description="Grid side")] = 20,
    grid: Annotated[Literal["gaussian", "linear"] | None, Query(
        description="gaussian: unit-square lattice through the inverse Gaussian CDF (Kingma & Welling "
        "Fig. 4), the default; linear: evenly over [−span, span], the default when span is given")] = None,
    span: Annotated[float | None, Query(gt=0, le=10, description="Half-width of the linear grid (default 3)")] = None,
    dims: Annotated[str, Query(description="The two latent dimensions on the axes (x, y)", max_length=20)] = "0,1",
    z: Annotated[str | None, Query(description="Values of the other dimensions (default 0)", max_length=4096)] = None,
    label: Label = None,
    scale: Annotated[int, Query(ge=1, le=4)] = 1,
) -> Response:
    """An n×n grid of digits decoded over two latent dimensions, in one batched forward pass.

    The X-Latent-Grid header names the lattice; X-Latent-Axis lists its coordinates."""
    require_kind(served, "manifold", DIGIT_KINDS)
    check_label(served, label)
    if served.meta["latent_dim"] < 2:
        raise invalid("model_id", "a manifold needs at least two latent dimensions")
    pair = parse_index_pair(dims, "dims", served.meta["latent_dim"])
    base = _latent(served, z) if z is not None else None
    mode = grid or ("linear" if span is not None else "gaussian")
    if n * 28 * scale > MAX_MANIFOLD_SIDE:
        raise invalid("scale", f"n·28·scale must be at most {MAX_MANIFOLD_SIDE} pixels (n={n} allows up to "
                      f"{MAX_MANIFOLD_SIDE // (28 * n)})")
    points, axis = inference.manifold_points(served, n, mode, span or 3.0, pair, base)
    y = inference.label_vector(served, label)
    headers = {"X-Latent-Grid": mode, "X-Latent-Axis": ",".join(f"{v:.6g}" for v in axis.tolist())}

    def build() -> bytes:
        images = to_uint8(inference.decode(served, points, y))
        return png_bytes(upscale(tile(images, n), scale))

    return cached(request, served, settings.cache_max_age, PNG, build, headers)


@router.get("/embedding", response_model=Embedding, responses=ERRORS)
async def held_out_embedding(
    request: Request,
    served: ModelDep,
    settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, le=100_000, description="At most this many digits, spread evenly")] = None,
) -> Response:
    """The encoder's means for held-out digits (computed at training time), with their labels."""
    require_kind(served, "embedding", DIGIT_KINDS)
    mu, labels = shipped_extras(served, ("embedding_mu", "embedding_labels"), "embedding")

    def build() -> dict:
        count = len(labels) if limit is None else min(limit, len(labels))
        idx = (torch.arange(count) * len(labels)) // count  # evenly strided: every class stays represented
        return {"mu": torch.round(mu[idx], decimals=5).tolist(), "labels": labels[idx].tolist()}

    return cached(request, served, settings.cache_max_age, "application/json", build)


# The JSON forms at their own paths: one answer type per operation, which is what generated clients
# need (openapi-python-client reads one media type per status, so `decode` gives them the PNG).
# They answer exactly what decode and generate answer with format=json.

@router.get("/decode.json", response_model=ImageJSON, responses=ERRORS)
async def decode_latent_json(
    request: Request,
    served: ModelDep,
    settings: SettingsDep,
    z: Annotated[str, Query(description="latent_dim comma-separated numbers, each within ±10", max_length=4096)],
    label: Label = None,
    to_label: Annotated[int | None, Query(description="cvae morph: the label reached at morph=1")] = None,
    morph: Annotated[float, Query(ge=0, le=1, description="cvae morph weight on to_label")] = 0.0,
) -> Response:
    """Decode one latent point to its 28×28 pixels as JSON (decode with format=json)."""
    return await decode_latent(request, served, settings, z, label, to_label, morph, scale=1, format="json")


@router.get("/generate.json", response_model=GenerateJSON, responses=ERRORS)
async def generate_digits_json(
    request: Request,
    served: ModelDep,
    settings: SettingsDep,
    n: Annotated[int, Query(ge=1, le=64, description="How many samples")] = 16,
    label: Label = None,
    seed: Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Same seed, same answer")] = None,
) -> Response:
    """Draw z ~ N(0, I) and decode: the codes and the pixels as JSON (generate with format=json)."""
    return await generate_digits(request, served, settings, n, label, seed, scale=1, format="json")
