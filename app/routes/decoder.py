"""The decoder's weights for clients that decode in place (the page's sliders): safetensors bytes,
cached by the browser for as long as the weights stay the same."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response

from app.deps import ModelDep, RegistryDep, operation_of
from app.http_cache import IMMUTABLE, REVALIDATE, matches
from app.kind import kinds_supporting
from app.page_decoder import MEDIA_TYPE
from app.responses import ERRORS

router = APIRouter(prefix="/api/models/{model_id}", tags=["latent space"])


@router.get("/decoder", response_class=Response, responses={
    200: {"content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
          "description": "The decoder's tensors in safetensors format (float32, "
          "little-endian); how to run them is the model's `decoder` field in GET /api/models"},
    304: {"description": "If-None-Match names the current version"},
    **ERRORS,
    404: {**ERRORS[404], "description": "Unknown model, a model without a decoder (mdn), or a version no longer served"},
})
async def get_decoder(
    request: Request,
    served: ModelDep,
    registry: RegistryDep,
    version: Annotated[str | None, Query(max_length=64, description="The `decoder.version` from the model's info: "
                                         "with it the answer is cached as immutable")] = None,
) -> Response:
    """The VAE/CVAE decoder's weights, for decoding latent points in the client."""
    exported = getattr(served, "page_decoder", None)
    if exported is None:
        # A 404, not the 422 of other operations: clients probe for a decoder and fall back to the server.
        operation = operation_of(request)
        reason = (f"{served.id!r} is of kind {served.kind}; decoders ship for kinds "
                  f"{', '.join(kinds_supporting(registry.kinds, operation))}"
                  if not served.spec.supports(operation) else f"{served.id!r} has a decoder layer the page cannot run")
        raise HTTPException(status_code=404, detail=f"model_id: no decoder for clients: {reason}")
    if version is not None and version != exported.version:
        raise HTTPException(status_code=404, detail=f"version: {version!r} is not served; the decoder of "
                            f"{served.id!r} is now at version {exported.version!r}")
    etag = f'"{exported.version}"'  # strong: the same bytes, byte for byte
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE if version else REVALIDATE}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    # exported.body raises DecoderChanged if the weights changed since start-up: a 503 (app.errors),
    # never other bytes under this version.
    return Response(content=exported.body, media_type=MEDIA_TYPE, headers=headers)
