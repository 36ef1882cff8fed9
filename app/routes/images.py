"""Digits from latent codes: decode, generate, the manifold picture, and the held-out embedding."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from app import inference
from app.deps import LabelInput, OperationModel, SettingsDep, app_state
from app.http_cache import NO_STORE
from app.imaging import grid_columns, png_bytes, tile, to_uint8, upscale
from app.operations import decode, manifold
from app.responses import ERRORS, PNG, RowLimit, as_bytes, cached, pixels_json, png_responses, shipped_rows
from app.schemas import DecodeJSONQuery, DecodeQuery, Embedding, GenerateJSON, ImageJSON, ManifoldQuery

router = APIRouter(prefix="/api/models/{model_id}", tags=["latent space"])

Format = Annotated[Literal["png", "json"], Query(description="png (default) or json")]


@router.get("/decode", response_class=Response, responses={**png_responses(ImageJSON), **ERRORS})
async def decode_latent(
    request: Request, served: OperationModel, query: Annotated[DecodeQuery, Query()],
) -> Response:
    """Decode one latent point to a 28·scale square digit."""
    # async: a decode takes tens of microseconds, less than a hop to the threadpool would.
    return await decode.answer(decode.check(served, query), request.scope, app_state(request.app))


@router.get("/generate", response_class=Response, responses={**png_responses(GenerateJSON), **ERRORS})
async def generate_digits(
    request: Request,
    served: OperationModel,
    settings: SettingsDep,
    y: LabelInput,
    n: Annotated[int, Query(ge=1, le=64, description="How many samples")] = 16,
    seed: Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Same seed, same bytes")] = None,
    scale: Annotated[int, Query(ge=1, le=8)] = 1,
    format: Format = "png",
) -> Response:
    """Draw z ~ N(0, I) and decode: a near-square PNG grid, or the codes and pixels as JSON."""

    def build():
        z = inference.prior_samples(served, n, seed)
        images = inference.decode(served, z, y)
        if format == "json":
            return {"z": z.tolist(), "images": [pixels_json(im) for im in images]}
        return png_bytes(upscale(tile(to_uint8(images), grid_columns(n)), scale))

    media = "application/json" if format == "json" else PNG
    if seed is None:  # not a pure function of the query: never cache
        return Response(content=as_bytes(build()), media_type=media, headers=NO_STORE)
    return cached(request.scope, served, settings.cache_max_age, media, build)


@router.get("/manifold", response_class=Response, responses={**png_responses(), **ERRORS})
async def manifold_image(
    request: Request, served: OperationModel, query: Annotated[ManifoldQuery, Query()],
) -> Response:
    """An n×n grid of digits decoded over two latent dimensions, in one batched forward pass.

    The X-Latent-Grid header names the lattice; X-Latent-Axis lists its coordinates."""
    return manifold.answer(manifold.check(served, query), request.scope, app_state(request.app))


@router.get("/embedding", response_model=Embedding, responses=ERRORS)
async def held_out_embedding(request: Request, served: OperationModel, settings: SettingsDep, limit: RowLimit = None) -> Response:
    """The encoder's means for held-out digits (computed at training time), with their labels."""
    return shipped_rows(request, served, settings.cache_max_age, {"mu": "embedding_mu", "labels": "embedding_labels"},
                        "embedding", limit)


# The JSON forms at their own paths: one answer type per operation, which is what generated clients
# need (openapi-python-client reads one media type per status, so `decode` gives them the PNG).
# They answer exactly what decode and generate answer with format=json, through the same code.

@router.get("/decode.json", response_model=ImageJSON, responses=ERRORS)
async def decode_latent_json(
    request: Request, served: OperationModel, query: Annotated[DecodeJSONQuery, Query()],
) -> Response:
    """Decode one latent point to its 28×28 pixels as JSON (decode with format=json)."""
    checked = decode.check(served, DecodeQuery(**query.model_dump(), format="json"))
    return await decode.answer(checked, request.scope, app_state(request.app))


@router.get("/generate.json", response_model=GenerateJSON, responses=ERRORS)
async def generate_digits_json(
    request: Request,
    served: OperationModel,
    settings: SettingsDep,
    y: LabelInput,
    n: Annotated[int, Query(ge=1, le=64, description="How many samples")] = 16,
    seed: Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Same seed, same answer")] = None,
) -> Response:
    """Draw z ~ N(0, I) and decode: the codes and the pixels as JSON (generate with format=json)."""
    return await generate_digits(request, served, settings, y, n, seed, scale=1, format="json")
