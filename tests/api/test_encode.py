import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from training.mnist import read_idx

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _test_images(dataset: str) -> tuple[np.ndarray, np.ndarray]:
    """20 real test-set images (two per class) that ship with the tests: tests/fixtures/README.md."""
    images = read_idx(FIXTURES / f"{dataset}-t10k-20-images-idx3-ubyte.gz") / 255.0
    return images, read_idx(FIXTURES / f"{dataset}-t10k-20-labels-idx1-ubyte.gz").astype(int)


@pytest.fixture(scope="module")
def held_out_digits():
    return _test_images("mnist")


def _decode(client, model_id, mu, label=None) -> np.ndarray:
    query = f"z={','.join(repr(v) for v in mu)}&format=json" + (f"&label={label}" if label is not None else "")
    r = client.get(f"/api/models/{model_id}/decode?{query}")
    assert r.status_code == 200, r.text
    return np.array(r.json()["pixels"])


# A 2-D code keeps only the gist of an image (its reconstruction is a blurred prototype, and for
# 3 of these 20 digits the prototype of a neighbouring class on the map).
@pytest.mark.parametrize("model_id, max_ratio, min_closer", [
    ("vae-8d", 0.6, 0.9), ("cvae", 0.6, 0.9), ("vae-2d", 0.75, 0.8),
    ("fashion-cvae", 0.6, 0.9), ("fashion-vae-2d", 0.75, 0.8)])
def test_decode_of_encode_stays_close_to_real_test_images(client, model_id, max_ratio, min_closer):
    images, labels = _test_images("fashion" if model_id.startswith("fashion") else "mnist")
    own, other = [], []
    for i, (image, label) in enumerate(zip(images, labels)):
        body = {"pixels": image.tolist()}
        if model_id.endswith("cvae"):
            body["label"] = int(label)
        r = client.post(f"/api/models/{model_id}/encode", json=body)
        assert r.status_code == 200, r.text
        enc = r.json()
        assert len(enc["mu"]) == len(enc["sigma"]) and all(s > 0 for s in enc["sigma"])
        recon = _decode(client, model_id, enc["mu"], body.get("label"))
        own.append(np.abs(recon - image).mean())
        other.append(np.abs(recon - images[(i + 1) % len(images)]).mean())  # a digit of another class
    own, other = np.array(own), np.array(other)
    assert own.mean() < max_ratio * other.mean(), (own.mean(), other.mean())
    assert (own < other).mean() >= min_closer


def _png_bytes(array: np.ndarray, mode="L") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(array, mode=mode).save(buffer, format="PNG")
    return buffer.getvalue()


def test_png_upload_raw_and_multipart_agree_with_json(client, held_out_digits):
    image = held_out_digits[0][3]
    as_uint8 = (image * 255).round().astype(np.uint8)
    from_json = client.post("/api/models/vae-8d/encode", json={"pixels": (as_uint8 / 255).tolist()}).json()
    raw = client.post("/api/models/vae-8d/encode", content=_png_bytes(as_uint8),
                      headers={"content-type": "image/png"}).json()
    multipart = client.post("/api/models/vae-8d/encode", files={"image": ("d.png", _png_bytes(as_uint8), "image/png")}).json()
    assert np.allclose(raw["mu"], from_json["mu"], atol=1e-5) and np.allclose(multipart["mu"], from_json["mu"], atol=1e-5)


def test_dark_ink_on_white_paper_is_inverted_and_larger_images_resized(client, held_out_digits):
    image = (held_out_digits[0][5] * 255).round().astype(np.uint8)
    reference = client.post("/api/models/vae-8d/encode", json={"pixels": (image / 255).tolist()}).json()["mu"]
    paper = Image.fromarray(255 - image).resize((112, 112), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    paper.save(buffer, format="PNG")
    mu = client.post("/api/models/vae-8d/encode", content=buffer.getvalue(), headers={"content-type": "image/png"}).json()["mu"]
    assert np.abs(np.array(mu) - reference).max() < 0.5


def test_cvae_png_upload_takes_the_label_from_the_query_or_form(client, held_out_digits):
    png = _png_bytes((held_out_digits[0][0] * 255).round().astype(np.uint8))
    r = client.post("/api/models/cvae/encode?label=0", content=png, headers={"content-type": "image/png"})
    assert r.status_code == 200 and len(r.json()["mu"]) == 4
    r = client.post("/api/models/cvae/encode", files={"image": ("d.png", png, "image/png")}, data={"label": "0"})
    assert r.status_code == 200
    r = client.post("/api/models/cvae/encode", content=png, headers={"content-type": "image/png"})
    assert r.status_code == 422 and "label" in r.json()["detail"]


def test_an_encoder_replaced_after_start_up_is_a_503_not_another_models_answer(tiny_checkpoints):
    """The encoder is opened on its first use (app.networks, on_demand): if its file changed since
    start-up, the answer is 503 (restart the server), never μ from a graph the version does not describe."""
    from fastapi.testclient import TestClient

    from app.main import create_app
    from app.settings import Settings

    pixels = {"pixels": [[0.0] * 28] * 28}
    with TestClient(create_app(Settings(checkpoints=tiny_checkpoints))) as c:
        other = (tiny_checkpoints / "tiny-cvae" / "encoder.onnx").read_bytes()
        (tiny_checkpoints / "tiny-vae" / "encoder.onnx").write_bytes(other)
        r = c.post("/api/models/tiny-vae/encode", json=pixels)
        assert r.status_code == 503 and "restart" in r.json()["detail"], r.text
    with TestClient(create_app(Settings(checkpoints=tiny_checkpoints))) as c:
        assert c.post("/api/models/tiny-cvae/encode", json={**pixels, "label": 1}).status_code == 200
