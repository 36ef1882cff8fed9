"""The API as a generated client meets it: openapi-python-client (pinned in the test extra) builds a
package from the running server's own /openapi.json with the repository's config, and every
operation is called through it: PNGs come back as bytes, JSON as typed models, and one bad input per
operation as a typed Error whose detail names the field."""

import importlib
import io
import json
import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from latent_explorer.paths import REPO_ROOT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PACKAGE = "generated_latent_explorer"
# A standing skeleton as a camera in front of it sees it: x1, y1, …, x15, y15 in metres.
POSE_2D = "0,0,0,0.2,0,0.45,-0.1,0,-0.1,-0.4,-0.1,-0.8,-0.15,0.4,-0.2,0.2,-0.2,0,0.1,0,0.1,-0.4,0.1,-0.8,0.15,0.4,0.2,0.2,0.2,0"
OPERATION_IDS = ["list_models", "get_model", "healthz", "explorer_page", "decode", "decode_json", "generate",
                 "generate_json", "manifold", "embedding", "decoder", "encode", "density", "sweep", "training_data",
                 "hypotheses", "test_poses"]


@pytest.fixture(scope="module")
def server(shipped_server):
    return shipped_server


@pytest.fixture(scope="module")
def generated(server, tmp_path_factory):
    """(the generated package, a Client of it on the server, the server's document)."""
    folder = tmp_path_factory.mktemp("generated")
    document = httpx.get(f"{server}/openapi.json").json()
    (folder / "openapi.json").write_text(json.dumps(document))
    # The shipped config, without the post-generation hooks (ruff formatting the generated code).
    config = (REPO_ROOT / "openapi-python-client.yaml").read_text() + "\npost_hooks: []\n"
    (folder / "config.yaml").write_text(config)
    run = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(folder / "openapi.json"),
         "--config", str(folder / "config.yaml"), "--meta", "none", "--output-path", str(folder / PACKAGE)],
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    # Every operation, body and response was understood: the generator warns about anything it skips.
    assert "warning" not in (run.stdout + run.stderr).lower(), run.stdout + run.stderr
    sys.path.insert(0, str(folder))
    try:
        package = importlib.import_module(PACKAGE)
        client = package.Client(base_url=server, raise_on_unexpected_status=True, timeout=httpx.Timeout(30))
        yield package, client, document
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _operation(package, operation_id: str):
    """The generated module of an operation: <package>.api.<tag>.<operation id>."""
    api = Path(package.__file__).parent / "api"
    (module,) = [p for p in api.glob(f"*/{operation_id}.py")]
    return importlib.import_module(f"{PACKAGE}.api.{module.parent.name}.{operation_id}")


def _models(package):
    return importlib.import_module(f"{PACKAGE}.models")


def _png(answer) -> bytes:
    data = answer.payload.read()
    assert data.startswith(PNG_SIGNATURE), data[:20]
    return data


ZEROS = [[0.0] * 28 for _ in range(28)]


def _calls(package):
    """operation id → (its call with good input and a check of the answer, a call with bad input, the field named)."""
    m = _models(package)
    types = importlib.import_module(f"{PACKAGE}.types")
    digit = None

    def png_digit(client):
        nonlocal digit
        digit = digit or _png(_operation(package, "decode").sync("vae-2d", client=client, z="1,0.5"))
        return digit

    return {
        "list_models": (lambda c: _is_list_of(_operation(package, "list_models").sync(client=c), m.ModelInfo), None, None),
        "get_model": (lambda c: _is(_operation(package, "get_model").sync("cvae", client=c), m.ModelInfo),
                      lambda c: _operation(package, "get_model").sync("nope", client=c), "model_id"),
        "healthz": (lambda c: _is(_operation(package, "healthz").sync(client=c), m.Health), None, None),
        "explorer_page": (lambda c: _is(_operation(package, "explorer_page").sync(client=c), str), None, None),
        "decode": (lambda c: _png(_operation(package, "decode").sync("vae-2d", client=c, z="0.5,-1.2")),
                   lambda c: _operation(package, "decode").sync("vae-2d", client=c, z="0.5"), "z"),
        "decode_json": (lambda c: _pixels(_is(_operation(package, "decode_json").sync("vae-2d", client=c, z="0.5,-1.2"),
                                              m.ImageJSON)),
                        lambda c: _operation(package, "decode_json").sync("cvae", client=c, z="0,0,0,0", label=12), "label"),
        "generate_json": (lambda c: _samples(_is(_operation(package, "generate_json").sync("cvae", client=c, n=3, label=3,
                                                                                           seed=1), m.GenerateJSON), 3),
                          lambda c: _operation(package, "generate_json").sync("vae-2d", client=c, n=65), "n"),
        "generate": (lambda c: _png(_operation(package, "generate").sync("cvae", client=c, n=4, label=3, seed=1)),
                     lambda c: _operation(package, "generate").sync("cvae", client=c, n=4), "label"),
        "manifold": (lambda c: _png(_operation(package, "manifold").sync("vae-2d", client=c, n=5)),
                     lambda c: _operation(package, "manifold").sync("vae-2d", client=c, n=5, dims="0,0"), "dims"),
        "embedding": (lambda c: _is(_operation(package, "embedding").sync("vae-2d", client=c, limit=20), m.Embedding),
                      lambda c: _operation(package, "embedding").sync("mdn-arm", client=c), "model_id"),
        "decoder": (lambda c: _is(_operation(package, "decoder").sync("vae-2d", client=c), types.File),
                    lambda c: _operation(package, "decoder").sync("vae-2d", client=c, version="old"), "version"),
        "encode": (lambda c: _encode_three_ways(package, c, png_digit(c)),
                   lambda c: _operation(package, "encode").sync("vae-2d", client=c, body=m.EncodeRequest(pixels=ZEROS[:27])),
                   "pixels"),
        "density": (lambda c: _is(_operation(package, "density").sync("mdn-toy", client=c, x="0.5"), m.Density),
                    lambda c: _operation(package, "density").sync("mdn-toy", client=c, x="0.5", points=1), "points"),
        "sweep": (lambda c: _is(_operation(package, "sweep").sync("mdn-toy", client=c, x_points=5), m.Sweep),
                  lambda c: _operation(package, "sweep").sync("mdn-arm", client=c), "model_id"),
        "training_data": (lambda c: _is(_operation(package, "training_data").sync("mdn-arm", client=c, limit=3),
                                        m.TrainingData),
                          lambda c: _operation(package, "training_data").sync("mdn-arm", client=c, limit=0), "limit"),
        "hypotheses": (lambda c: _is(_operation(package, "hypotheses").sync("pose-mdn", client=c, joints=POSE_2D),
                                     m.PoseHypotheses),
                       lambda c: _operation(package, "hypotheses").sync("pose-mdn", client=c, joints="0,0"), "joints"),
        "test_poses": (lambda c: _is(_operation(package, "test_poses").sync("pose-mdn", client=c, limit=2), m.TestPoses),
                       lambda c: _operation(package, "test_poses").sync("pose-mdn", client=c, clip="moonwalk"), "clip"),
    }


def _is(answer, kind):
    assert isinstance(answer, kind), f"{type(answer).__name__}: {answer!r}"[:300]
    return answer


def _pixels(image):
    assert image.shape == [28, 28] and len(image.pixels) == 28 and all(0 <= v <= 1 for row in image.pixels for v in row)
    return image


def _samples(samples, n):
    assert len(samples.z) == len(samples.images) == n
    for image in samples.images:
        _pixels(image)
    return samples


def _is_list_of(answer, kind):
    assert isinstance(answer, list) and answer and all(isinstance(a, kind) for a in answer), answer
    return answer


def _encode_three_ways(package, client, png: bytes):
    """The same digit as JSON pixels, a raw PNG body and a multipart upload: the same Encoding."""
    m, types = _models(package), importlib.import_module(f"{PACKAGE}.types")
    pixels = (np.asarray(Image.open(io.BytesIO(png)), dtype=np.float32) / 255).tolist()
    encode = _operation(package, "encode")
    answers = [
        encode.sync("vae-2d", client=client, body=m.EncodeRequest(pixels=pixels)),
        encode.sync("vae-2d", client=client, body=types.File(payload=io.BytesIO(png), mime_type="image/png")),
        encode.sync("vae-2d", client=client, body=m.EncodeUpload(
            image=types.File(payload=io.BytesIO(png), file_name="digit.png", mime_type="image/png"))),
    ]
    for answer in answers:
        _is(answer, m.Encoding)
    assert answers[0].mu == answers[1].mu == answers[2].mu, [a.mu for a in answers]
    return answers


def test_the_generated_client_reaches_every_operation(generated):
    package, _, document = generated
    documented = {op["operationId"] for path in document["paths"].values() for op in path.values()}
    assert documented == set(OPERATION_IDS) == set(_calls(package)), "every operation needs a call here"


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_each_operation_answers_typed(generated, operation_id):
    package, client, _ = generated
    good, bad, field = _calls(package)[operation_id]
    good(client)
    if bad is None:
        return
    error = bad(client)
    assert isinstance(error, _models(package).Error), f"{type(error).__name__}: {error!r}"[:300]
    assert error.detail.startswith(field + ":"), error.detail


def test_validation_errors_are_typed_field_lists(generated):
    package, client, _ = generated
    error = _operation(package, "generate").sync("vae-2d", client=client, n=0, scale=9)
    m = _models(package)
    assert isinstance(error, m.Error) and all(isinstance(e, m.FieldError) for e in error.errors)
    assert [e.field for e in error.errors] == ["n", "scale"]
