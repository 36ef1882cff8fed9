"""What /openapi.json promises to programs that generate clients from it: short stable operation ids,
the one Error body on every error status an operation answers, and PNG bytes declared first."""

import pytest

from app.schemas import Error

OPERATION_IDS = {
    ("get", "/api/models"): "list_models",
    ("get", "/api/models/{model_id}"): "get_model",
    ("get", "/api/models/{model_id}/decode"): "decode",
    ("get", "/api/models/{model_id}/decode.json"): "decode_json",
    ("get", "/api/models/{model_id}/generate"): "generate",
    ("get", "/api/models/{model_id}/generate.json"): "generate_json",
    ("get", "/api/models/{model_id}/manifold"): "manifold",
    ("get", "/api/models/{model_id}/decoder"): "decoder",
    ("get", "/api/models/{model_id}/embedding"): "embedding",
    ("post", "/api/models/{model_id}/encode"): "encode",
    ("get", "/api/models/{model_id}/density"): "density",
    ("get", "/api/models/{model_id}/sweep"): "sweep",
    ("get", "/api/models/{model_id}/training-data"): "training_data",
    ("get", "/api/models/{model_id}/hypotheses"): "hypotheses",
    ("get", "/api/models/{model_id}/test-poses"): "test_poses",
    ("get", "/healthz"): "healthz",
    ("get", "/"): "explorer_page",
}

# Bad requests for each (operation, error status) it can answer: (operation id, method, url, request kwargs,
# status, the field its detail names).
LONG_ID = "m" * 201
BAD_REQUESTS = [
    ("get_model", "GET", "/api/models/nope", {}, 404, "model_id"),
    ("get_model", "GET", f"/api/models/{LONG_ID}", {}, 422, "model_id"),
    ("decode", "GET", "/api/models/nope/decode?z=0,0", {}, 404, "model_id"),
    ("decode", "GET", "/api/models/vae-2d/decode?z=0", {}, 422, "z"),
    ("decode", "GET", "/api/models/vae-2d/decode?z=0,0&scale=0", {}, 422, "scale"),
    ("decode_json", "GET", "/api/models/nope/decode.json?z=0,0", {}, 404, "model_id"),
    ("decode_json", "GET", "/api/models/vae-2d/decode.json?z=0,0&label=1", {}, 422, "label"),
    ("generate_json", "GET", "/api/models/nope/generate.json", {}, 404, "model_id"),
    ("generate_json", "GET", "/api/models/vae-2d/generate.json?n=0", {}, 422, "n"),
    ("generate", "GET", "/api/models/nope/generate", {}, 404, "model_id"),
    ("generate", "GET", "/api/models/vae-2d/generate?n=0", {}, 422, "n"),
    ("manifold", "GET", "/api/models/nope/manifold", {}, 404, "model_id"),
    ("manifold", "GET", "/api/models/vae-2d/manifold?n=1", {}, 422, "n"),
    ("decoder", "GET", "/api/models/nope/decoder", {}, 404, "model_id"),
    ("decoder", "GET", "/api/models/vae-2d/decoder?version=old", {}, 404, "version"),
    ("decoder", "GET", f"/api/models/vae-2d/decoder?version={LONG_ID}", {}, 422, "version"),
    ("embedding", "GET", "/api/models/nope/embedding", {}, 404, "model_id"),
    ("embedding", "GET", "/api/models/mdn-toy/embedding", {}, 422, "model_id"),
    ("encode", "POST", "/api/models/nope/encode", {"json": {"pixels": [[0.0] * 28] * 28}}, 404, "model_id"),
    ("encode", "POST", "/api/models/vae-2d/encode", {"content": b"0" * (3 * 1024 * 1024),
                                                     "headers": {"content-type": "application/json"}}, 413, "body"),
    ("encode", "POST", "/api/models/vae-2d/encode", {"content": b"x", "headers": {"content-type": "text/plain"}},
     415, "content-type"),
    ("encode", "POST", "/api/models/vae-2d/encode", {"json": {"pixels": [[0.0] * 28] * 27}}, 422, "pixels"),
    ("density", "GET", "/api/models/nope/density?x=0", {}, 404, "model_id"),
    ("density", "GET", "/api/models/mdn-toy/density?x=nan", {}, 422, "x"),
    ("sweep", "GET", "/api/models/nope/sweep", {}, 404, "model_id"),
    ("sweep", "GET", "/api/models/mdn-toy/sweep?t_points=1", {}, 422, "t_points"),
    ("training_data", "GET", "/api/models/nope/training-data", {}, 404, "model_id"),
    ("training_data", "GET", "/api/models/mdn-toy/training-data?limit=0", {}, 422, "limit"),
]


@pytest.fixture(scope="module")
def document(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def _operations(document):
    return {op["operationId"]: op for path in document["paths"].values() for op in path.values()}


def test_operation_ids_are_short_and_stable(document):
    found = {(method, path): op["operationId"] for path, ops in document["paths"].items() for method, op in ops.items()}
    assert found == OPERATION_IDS


@pytest.mark.parametrize("operation, method, url, kwargs, status, field", BAD_REQUESTS,
                         ids=[f"{r[0]}-{r[4]}-{r[5]}" for r in BAD_REQUESTS])
def test_each_error_sent_is_declared_with_the_error_body(client, document, operation, method, url, kwargs, status, field):
    r = client.request(method, url, **kwargs)
    assert r.status_code == status, r.text
    body = Error.model_validate(r.json())  # exactly the declared shape: extra fields are refused
    assert body.detail.startswith(field + ":"), body.detail
    declared = _operations(document)[operation]["responses"]
    assert str(status) in declared, f"{operation} answers {status} but does not declare it"


def test_every_error_status_declared_has_the_error_schema(document):
    for operation_id, op in _operations(document).items():
        errors = {code: r for code, r in op["responses"].items() if code.startswith("4")}
        for code, response in errors.items():
            assert response["content"] == {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}, \
                (operation_id, code)
        has_model_id = any(p["name"] == "model_id" for p in op.get("parameters", []))
        assert ({"404", "422"} <= errors.keys()) == has_model_id, operation_id
    assert "HTTPValidationError" not in document["components"]["schemas"]  # FastAPI's 422 shape is not what we send


def test_validation_errors_list_each_field(client):
    r = client.get("/api/models/vae-2d/generate?n=0&scale=99")
    assert r.status_code == 422
    body = Error.model_validate(r.json())
    assert [e.field for e in body.errors] == ["n", "scale"]


@pytest.mark.parametrize("operation, json_model", [("decode", "ImageJSON"), ("generate", "GenerateJSON"), ("manifold", None)])
def test_png_operations_declare_png_first(document, operation, json_model):
    content = _operations(document)[operation]["responses"]["200"]["content"]
    # A generator that reads one media type per status takes the first it knows: the PNG bytes.
    assert list(content)[0] == "image/png"
    assert content["image/png"]["schema"] == {"type": "string", "format": "binary"}
    if json_model:
        assert content["application/json"]["schema"] == {"$ref": f"#/components/schemas/{json_model}"}
    else:
        assert list(content) == ["image/png"]


def test_encode_bodies_are_named_schemas(document):
    content = _operations(document)["encode"]["requestBody"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/EncodeRequest"}
    assert content["multipart/form-data"]["schema"] == {"$ref": "#/components/schemas/EncodeUpload"}
    assert content["image/png"]["schema"] == {"type": "string", "format": "binary"}
    schemas = document["components"]["schemas"]
    assert schemas["EncodeRequest"]["required"] == ["pixels"]
    assert schemas["EncodeUpload"]["properties"]["image"]["format"] == "binary"


@pytest.mark.parametrize("path, query", [("decode", "z=0.5,-1.2"), ("generate", "n=3&seed=4"),
                                         ("decode", "z=0,0,0,0&label=3&to_label=5&morph=0.25")])
def test_json_paths_answer_what_format_json_answers(client, path, query):
    model = "cvae" if "label" in query else "vae-2d"
    plain = client.get(f"/api/models/{model}/{path}?{query}&format=json")
    aliased = client.get(f"/api/models/{model}/{path}.json?{query}")
    assert plain.status_code == aliased.status_code == 200
    assert aliased.headers["content-type"] == "application/json"
    assert aliased.content == plain.content


@pytest.mark.parametrize("operation, json_model", [("decode_json", "ImageJSON"), ("generate_json", "GenerateJSON")])
def test_json_operations_declare_only_their_model(document, operation, json_model):
    op = _operations(document)[operation]
    assert op["responses"]["200"]["content"] == {"application/json": {"schema": {"$ref": f"#/components/schemas/{json_model}"}}}
    assert {"format", "scale"}.isdisjoint(p["name"] for p in op["parameters"])  # nothing that only a PNG needs
