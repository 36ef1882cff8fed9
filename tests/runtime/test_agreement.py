"""The server's networks (ONNX graphs on onnxruntime) against the torch models they were exported
from, on every shipped checkpoint: pixels within one grey level (VAE/CVAE decoders, every label and
morphs, and the page's decoder run as described), π, μ, σ within 1e-5 relative (every MDN).

"Relative" is per row: the largest difference in a row over that row's largest magnitude, so a π of
1e-9 that differs in its last bits does not count as a 100 % error. Figures are printed (pytest -s)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from app import inference
from app.imaging import to_uint8
from app.registry import load_registry
from models.checkpoint import load_checkpoint
from runtime.checkpoint import read_tensors
from tests.conftest import SHIPPED

POINTS = 1000
DIGIT_MODELS = sorted(d.name for d in SHIPPED.iterdir() if '"vae"' in (d / "meta.json").read_text()
                      or '"cvae"' in (d / "meta.json").read_text())
MIXTURE_MODELS = sorted(d.name for d in SHIPPED.iterdir() if d.name.startswith(("mdn", "pose")))


@pytest.fixture(scope="module")
def registry():
    registry = load_registry(SHIPPED)
    assert not registry.failed, registry.failed
    return registry


def _digit_inputs(n_labels: int, latent_dim: int) -> tuple[np.ndarray, np.ndarray | None]:
    """1,000 z ~ N(0, 1.5²) (the sliders' range and beyond); for a CVAE every label in turn, every
    other point a morph towards another label at a random weight, as the API's morph builds it."""
    rng = np.random.default_rng(23)
    z = (rng.normal(0, 1.5, (POINTS, latent_dim))).astype(np.float32)
    if not n_labels:
        return z, None
    y = np.zeros((POINTS, n_labels), dtype=np.float32)
    for i in range(POINTS):
        label, other, t = i % n_labels, int(rng.integers(n_labels)), float(rng.uniform()) if i % 2 else 0.0
        y[i, label] = 1.0 - t
        y[i, other] += t
    return z, y


def _page_decoder(tensors: dict[str, np.ndarray], layers: list[dict], h: np.ndarray) -> np.ndarray:
    """The forward pass as GET /api/models/{id} describes it to the page, in float32."""
    for layer in layers:
        if layer["op"] == "linear":
            h = (h @ tensors[layer["weight"]].T + tensors[layer["bias"]]).astype(np.float32)
        elif layer["op"] == "relu":
            h = np.maximum(h, np.float32(0))
        else:
            with np.errstate(over="ignore"):  # exp(-h) → inf for a very negative logit: the pixel is 0, as in JS
                h = (np.float32(1) / (np.float32(1) + np.exp(-h))).astype(np.float32)
    return h


@pytest.mark.parametrize("model_id", DIGIT_MODELS)
def test_decoder_pixels_within_one_grey_level_of_torch_and_the_page(registry, model_id):
    served = registry.models[model_id]
    model = load_checkpoint(SHIPPED / model_id).model
    z, y = _digit_inputs(model.config.n_labels, model.config.latent_dim)
    ours = to_uint8(inference.decode_points(served, z, y)).reshape(POINTS, -1).astype(int)  # the server's path
    with torch.no_grad():
        theirs = to_uint8(model.decode(torch.from_numpy(z), None if y is None else torch.from_numpy(y)).numpy())
    description = served.page_decoder.description
    tensors = {k[len("decoder."):]: v for k, v in read_tensors(SHIPPED / model_id / "weights.safetensors").items()
               if k.startswith("decoder.")}
    page = to_uint8(_page_decoder(tensors, description["layers"], z if y is None else np.concatenate([z, y], 1)))
    vs_torch, vs_page = np.abs(ours - theirs.astype(int)), np.abs(ours - page.astype(int))
    print(f"\n{model_id}: {POINTS} z, max grey difference vs torch {vs_torch.max()} ({(vs_torch > 0).sum()} pixels "
          f"of {vs_torch.size} off by one), vs the page's decoder {vs_page.max()} ({(vs_page > 0).sum()} pixels)")
    assert vs_torch.max() <= 1 and vs_page.max() <= 1


def _mixture_inputs(served, ckpt) -> np.ndarray:
    rng = np.random.default_rng(23)
    if served.kind == "pose":  # held-out 2-D poses, jittered by 2 cm: what the page sends
        poses = ckpt.extras["test_joints2d"].numpy().reshape(-1, served.facts.input_dim)
        rows = poses[rng.integers(0, len(poses), POINTS)]
        return (rows + rng.normal(0, 0.02, rows.shape)).astype(np.float32)
    lo, hi = np.array(served.facts.input_range).T  # the training domain and 30 % beyond on each side
    return (lo + (hi - lo) * (rng.uniform(-0.3, 1.3, (POINTS, len(lo))))).astype(np.float32)


def _row_relative(got: np.ndarray, want: np.ndarray) -> float:
    got, want = got.reshape(len(got), -1).astype(np.float64), want.reshape(len(want), -1).astype(np.float64)
    return float((np.abs(got - want).max(1) / np.abs(want).max(1)).max())


@pytest.mark.parametrize("model_id", MIXTURE_MODELS)
def test_mixture_parameters_within_1e5_relative_of_torch(registry, model_id):
    served = registry.models[model_id]
    ckpt = load_checkpoint(SHIPPED / model_id)
    x = _mixture_inputs(served, ckpt)
    ours = inference.mixture_at(served, x)
    with torch.no_grad():
        if served.kind == "pose":  # in metres, as the server answers (the conversion the graph holds)
            mix = ckpt.model(torch.from_numpy(x).view(POINTS, -1, 2))
            scale = ckpt.model.target_std[0]
            pi, sigma, mu = mix.pi, mix.sigma * scale, mix.mu * scale + ckpt.model.target_mean
        else:
            mix = ckpt.model(torch.from_numpy(x))
            pi, sigma, mu = mix.pi, mix.sigma, mix.mu
    figures = {name: _row_relative(got, want.numpy())
               for name, got, want in (("pi", ours.pi, pi), ("mu", ours.mu, mu), ("sigma", ours.sigma, sigma))}
    print(f"\n{model_id}: {POINTS} inputs, largest row-relative difference " +
          ", ".join(f"{k} {v:.2g}" for k, v in figures.items()))
    assert max(figures.values()) <= 1e-5, figures
