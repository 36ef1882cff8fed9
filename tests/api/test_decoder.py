"""GET /api/models/{id}/decoder: the decoder's tensors for clients, and the architecture that says how to run them."""

import io
import json

import numpy as np
import pytest
import torch
from fastapi.testclient import TestClient
from PIL import Image
from safetensors.torch import load
from torch import nn

from app.main import create_app
from app.networks import open_network
from app.page_decoder import NotDescribable, export
from app.settings import Settings
from models.checkpoint import load_checkpoint, save_checkpoint
from models.onnx_export import decoder_graph
from models.vae import VAE, VAEConfig


def digit_models(client) -> list[dict]:
    return [m for m in client.get("/api/models").json() if m["kind"] in ("vae", "cvae")]


def run_description(info: dict, tensors: dict[str, torch.Tensor], z: list[float], label_weights: list[float]) -> np.ndarray:
    """The forward pass exactly as the description states it, knowing nothing of the model classes."""
    h = torch.tensor([z + label_weights], dtype=torch.float32)
    for layer in info["layers"]:
        if layer["op"] == "linear":
            h = h @ tensors[layer["weight"]].T + tensors[layer["bias"]]
        elif layer["op"] == "relu":
            h = h.clamp_min(0)
        elif layer["op"] == "sigmoid":
            h = h.sigmoid()
        else:
            raise AssertionError(f"undocumented op {layer['op']}")
    grey = np.clip(h.numpy(), 0, 1) * np.float32(255) + np.float32(0.5)
    return grey.astype(np.uint8).reshape(info["output_shape"])


def png_pixels(response) -> np.ndarray:
    assert response.status_code == 200, response.text
    return np.asarray(Image.open(io.BytesIO(response.content)))


def test_every_digit_model_describes_its_decoder_and_mdns_do_not(client):
    models = client.get("/api/models").json()
    assert {m["id"] for m in models if "decoder" in m and m["decoder"]} == {m["id"] for m in digit_models(client)}
    for m in digit_models(client):
        d = m["decoder"]
        assert d["format"] == "safetensors" and d["output_shape"] == [28, 28]
        assert d["input"] == {"latent_dim": m["latent_dim"], "labels": len(m.get("labels") or [])}
        linears = [layer for layer in d["layers"] if layer["op"] == "linear"]
        assert linears[0]["in"] == m["latent_dim"] + d["input"]["labels"] and linears[-1]["out"] == 28 * 28
        assert all(a["out"] == b["in"] for a, b in zip(linears, linears[1:]))
        assert d["layers"][-1] == {"op": "sigmoid"}


@pytest.mark.parametrize("model_id", ["vae-2d", "vae-8d", "cvae"])
def test_the_described_forward_pass_gives_the_servers_pixels(client, model_id):
    info = client.get(f"/api/models/{model_id}").json()
    d = info["decoder"]
    r = client.get(f"/api/models/{model_id}/decoder?version={d['version']}")
    assert r.status_code == 200 and r.headers["content-type"] == "application/octet-stream"
    assert len(r.content) == d["bytes"]
    tensors = load(r.content)
    assert {t.dtype for t in tensors.values()} == {torch.float32}
    rng = np.random.default_rng(0)
    labels = info.get("labels") or []
    for _ in range(20):
        z = [round(float(v), 3) for v in rng.normal(size=info["latent_dim"]) * 1.5]
        query, weights = f"z={','.join(map(str, z))}", []
        if labels:
            a, b = rng.choice(len(labels), 2)
            t = round(float(rng.uniform()), 2)
            weights = [0.0] * len(labels)
            weights[a] = 1 - t
            weights[b] += t
            query += f"&label={labels[a]}&to_label={labels[b]}&morph={t}"
        server = png_pixels(client.get(f"/api/models/{model_id}/decode?{query}")).astype(int)
        assert np.abs(run_description(d, tensors, z, weights).astype(int) - server).max() <= 1, query


def test_strong_etag_304_and_cache_headers(client):
    version = client.get("/api/models/vae-2d").json()["decoder"]["version"]
    pinned = client.get(f"/api/models/vae-2d/decoder?version={version}")
    assert pinned.status_code == 200
    assert pinned.headers["etag"] == f'"{version}"'  # strong: no W/ prefix
    assert pinned.headers["cache-control"] == "public, max-age=31536000, immutable"
    plain = client.get("/api/models/vae-2d/decoder")
    assert plain.status_code == 200 and plain.content == pinned.content
    assert plain.headers["etag"] == pinned.headers["etag"] and plain.headers["cache-control"] == "no-cache"
    for url in ("/api/models/vae-2d/decoder", f"/api/models/vae-2d/decoder?version={version}"):
        again = client.get(url, headers={"If-None-Match": pinned.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == pinned.headers["etag"]
    other = client.get("/api/models/vae-2d/decoder", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.content == pinned.content


def test_versions_differ_between_models(client):
    versions = [m["decoder"]["version"] for m in digit_models(client)]
    assert len(set(versions)) == len(versions)


@pytest.mark.parametrize("url, field, words", [
    ("/api/models/nope/decoder", "model_id", "unknown model"),
    ("/api/models/mdn-toy/decoder", "model_id", "kind mdn"),
    ("/api/models/mdn-arm/decoder", "model_id", "kind mdn"),
    ("/api/models/vae-2d/decoder?version=0123abcd", "version", "not served"),
])
def test_missing_decoders_are_404_naming_the_field(client, url, field, words):
    r = client.get(url)
    assert r.status_code == 404
    assert r.json()["detail"].startswith(f"{field}: ") and words in r.json()["detail"]


def test_overlong_version_is_422(client):
    r = client.get("/api/models/vae-2d/decoder?version=" + "a" * 65)
    assert r.status_code == 422 and r.json()["detail"].startswith("version:")


def test_version_changes_with_the_weights_and_only_with_them(tiny_checkpoints):
    def served_version() -> tuple[str, bytes]:
        with TestClient(create_app(Settings(checkpoints=tiny_checkpoints))) as c:
            version = c.get("/api/models/tiny-vae").json()["decoder"]["version"]
            return version, c.get(f"/api/models/tiny-vae/decoder?version={version}").content

    folder = tiny_checkpoints / "tiny-vae"
    before, body = served_version()
    meta = json.loads((folder / "meta.json").read_text())
    (folder / "meta.json").write_text(json.dumps({**meta, "title": "retitled"}))
    assert served_version() == (before, body)  # same weights, same URL stays valid in every cache
    ckpt = load_checkpoint(folder)
    with torch.no_grad():
        ckpt.model.decoder[0].bias.add_(0.01)
    save_checkpoint(folder, ckpt)
    after, new_body = served_version()
    assert after != before and new_body != body


def test_a_layer_the_page_cannot_run_is_not_described(tmp_path):
    """The weights alone cannot show a Tanh between two Linear layers: the server's own graph does."""
    model = VAE(VAEConfig(latent_dim=2, hidden=[8]))
    model.decoder = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 784))
    (tmp_path / "decoder.onnx").write_bytes(decoder_graph(model, {}).SerializeToString())
    ops = open_network(tmp_path, "decoder", None, None).ops
    weights = {f"decoder.{k}": v.numpy() for k, v in model.decoder.state_dict().items()}
    with pytest.raises(NotDescribable, match="Tanh"):
        export(tmp_path, weights, 2, 0, ops)
    assert export(tmp_path, weights, 2, 0, ("Gemm", "Relu", "Gemm", "Sigmoid")).description["layers"][1] == {"op": "relu"}


def test_openapi_documents_the_route(client):
    doc = client.get("/openapi.json").json()
    op = doc["paths"]["/api/models/{model_id}/decoder"]["get"]
    assert "application/octet-stream" in op["responses"]["200"]["content"]
    assert {"304", "404"} <= set(op["responses"])
    assert "decoder" in doc["components"]["schemas"]["ModelInfo"]["properties"]


def test_weights_replaced_under_a_running_server_are_never_sent_under_the_old_version(tiny_checkpoints):
    """The decoder's bytes are made on first download: if the weights changed on disk since start-up,
    the answer is 503 (restart to serve them), never other bytes under the version the page holds."""
    folder = tiny_checkpoints / "tiny-vae"
    with TestClient(create_app(Settings(checkpoints=tiny_checkpoints))) as c:
        ckpt = load_checkpoint(folder)
        with torch.no_grad():
            ckpt.model.decoder[0].bias.add_(0.01)
        save_checkpoint(folder, ckpt)
        r = c.get("/api/models/tiny-vae/decoder")
        assert r.status_code == 503 and "restart" in r.json()["detail"]
