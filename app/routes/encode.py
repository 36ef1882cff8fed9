"""q(z|x) of a digit the client sends: JSON pixels, a raw PNG body, or a multipart PNG upload."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import TypeAdapter, ValidationError
from starlette.datastructures import UploadFile

from app import inference
from app.body_limit import BodyTooLarge
from app.deps import OperationModel, label_input
from app.params import invalid
from app.responses import error_responses
from app.schemas import EncodeRequest, Encoding
from app.uploads import pixels_from_png, pixels_from_rows

# A form's label reads as the query's ?label= does (pydantic's int); int() would also take "²".
_INTEGER = TypeAdapter(int)

router = APIRouter(prefix="/api/models/{model_id}", tags=["latent space"])

# The route reads the body itself (three content types); this tells /docs and generated clients
# what each looks like. The schemas are added to the document's components by app.openapi.
_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/EncodeRequest"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {"schema": {"$ref": "#/components/schemas/EncodeUpload"}},
        },
    }
}


@router.post("/encode", response_model=Encoding, responses=error_responses(404, 413, 415, 422), openapi_extra=_BODY)
async def encode_digit(
    request: Request,
    served: OperationModel,
    label: Annotated[int | None, Query(description="cvae label, for PNG uploads (JSON bodies carry it inline)")] = None,
) -> dict:
    """Mean and standard deviation of q(z|x) for a 28×28 digit (white ink on black)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        pixels, label = await _from_json(request, label)
    elif content_type == "image/png":
        pixels = pixels_from_png(await request.body())
    elif content_type == "multipart/form-data":
        pixels, label = await _from_form(request, label)
    else:
        raise _unsupported(content_type)
    mu, sigma = inference.encode(served, pixels, label_input(served, label))
    return {"mu": mu, "sigma": sigma}


async def _from_json(request: Request, label: int | None):
    try:
        body = EncodeRequest.model_validate_json(await request.body())
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise invalid(where, first["msg"]) from None
    return pixels_from_rows(body.pixels), body.label if body.label is not None else label


async def _from_form(request: Request, label: int | None):
    try:
        form = await request.form(max_files=1, max_fields=4)
    except BodyTooLarge:
        raise  # the size limit answers 413, not "unreadable"
    except Exception as e:  # malformed multipart: python-multipart raises several types
        raise invalid("body", f"unreadable multipart form ({type(e).__name__})") from None
    upload = form.get("image")
    if not isinstance(upload, UploadFile):
        raise invalid("image", "a multipart upload needs a file field named 'image'")
    raw_label = form.get("label")
    if isinstance(raw_label, str) and raw_label.strip():
        try:
            label = _INTEGER.validate_python(raw_label)
        except ValidationError:
            raise invalid("label", "must be an integer") from None
    return pixels_from_png(await upload.read()), label


def _unsupported(content_type: str) -> HTTPException:
    return HTTPException(status_code=415, detail=f"content-type: {content_type or 'none'} is not accepted; "
                         "send application/json, image/png or multipart/form-data")


