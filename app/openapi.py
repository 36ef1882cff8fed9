"""What /openapi.json promises beyond the routes themselves: short operation ids, the request bodies
that a route reads itself, and the ids of the loaded models as examples of every model_id."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.schemas import EncodeRequest, EncodeUpload

_MODEL = "/api/models/{model_id}"
# Request bodies that a route reads itself (POST …/encode) and declares by $ref in openapi_extra.
BODY_SCHEMAS = (EncodeRequest, EncodeUpload)


def operation_id(route: APIRoute) -> str:
    """Short, stable operation ids (FastAPI docs, "Generating SDKs"), so generated clients call
    `decode(...)`, not `decode_latent_api_models__model_id__decode_get(...)`: the action an
    operation on one model ends with (decode, encode, training_data), list_models and get_model
    for the collection and the item, and the handler's name for anything else."""
    if route.path_format == "/api/models":
        return "list_models"
    if route.path_format == _MODEL:
        return "get_model"
    action = route.path_format.removeprefix(_MODEL + "/")
    if action != route.path_format and "/" not in action:
        return re.sub(r"\W", "_", action)  # training-data → training_data
    return route.name


def document_with_model_ids(app: FastAPI) -> dict:
    """The OpenAPI document, with the loaded model ids as examples of every model_id, so that
    clients (and property-based fuzzers) know which ids exist."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for body in BODY_SCHEMAS:
        components[body.__name__] = body.model_json_schema(ref_template="#/components/schemas/{model}")
    ids = app.state.registry.ids()
    if ids:
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for param in operation.get("parameters", []):
                    if param.get("name") == "model_id":
                        param["schema"]["examples"] = ids
                        param["examples"] = {i: {"value": i} for i in ids}
    app.openapi_schema = schema
    return schema
