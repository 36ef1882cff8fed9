"""A VAE/CVAE decoder as the page receives it: its tensors as safetensors bytes and a description
of the forward pass that a client can run itself (static/js/decoder.js does).

Read from the trained weights (weights.safetensors, state-dict names "decoder.<i>.weight|bias"): the
decoder is Linear, ReLU, …, Linear, sigmoid on [z, y] (models/vae.py), its Linear layers at the even
indices. Weights of any other layout get no description, and the route answers 404 for them, so a
page never runs a forward pass that differs from the server's."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from runtime.checkpoint import ChangedOnDisk, read_tensors

IMAGE_SHAPE = (28, 28)
MEDIA_TYPE = "application/octet-stream"
PREFIX = "decoder."


@dataclass
class PageDecoder:
    weights: Path  # the checkpoint's weights.safetensors, which `body` is made from
    version: str  # hash of `body`: in the ETag and the URL the page asks for, so it changes with the weights
    description: dict  # what GET /api/models says under "decoder"
    # Made on the first download and kept: most models' decoders are never downloaded by a given
    # server, and together they were 6 MiB of the resident memory after start (bench/RESULTS.md).
    _body: bytes | None = field(default=None, repr=False)

    @property
    def body(self) -> bytes:
        """safetensors: an 8-byte little-endian header length, a JSON header, raw float32 buffers.
        DecoderChanged if the weights on disk are no longer those this version was made from."""
        if self._body is None:
            body = _body(_decoder_tensors(read_tensors(self.weights)))
            if _version(body) != self.version:
                raise DecoderChanged(f"{self.weights} changed since start-up; restart the server to serve it")
            self._body = body
        return self._body


class DecoderChanged(ChangedOnDisk):
    """The weights file was replaced under a running server: its version no longer describes them."""


class NotDescribable(ValueError):
    """The decoder's weights are not a plain MLP the page's forward pass knows."""


def _decoder_tensors(weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The decoder's tensors, named as in the decoder's own state dict ("0.weight", …)."""
    return {name[len(PREFIX):]: t for name, t in weights.items() if name.startswith(PREFIX)}


def _ops(layers: list[dict], labels: int) -> list[str]:
    """The graph operators a decoder with these layers has (models/onnx_export.decoder_graph)."""
    names = {"linear": "Gemm", "relu": "Relu", "sigmoid": "Sigmoid"}
    return ["Concat"] * bool(labels) + [names[layer["op"]] for layer in layers]


def _layers(tensors: dict[str, np.ndarray], n_in: int) -> list[dict]:
    """[{"op": "linear", "weight": name, "bias": name, "in": n, "out": m}, {"op": "relu"}, …, {"op": "sigmoid"}]"""
    indices = sorted({int(name.split(".")[0]) for name in tensors if name.split(".")[0].isdigit()})
    if not indices or indices != list(range(0, 2 * len(indices), 2)) or len(tensors) != 2 * len(indices):
        raise NotDescribable(f"decoder tensors {sorted(tensors)} are not Linear, ReLU, …, Linear")
    layers: list[dict] = []
    for i in indices:
        weight, bias = tensors.get(f"{i}.weight"), tensors.get(f"{i}.bias")
        if weight is None or bias is None or weight.ndim != 2 or bias.shape != (weight.shape[0],) or weight.shape[1] != n_in:
            raise NotDescribable(f"decoder layer {i} is not a Linear from {n_in} with bias")
        n_in = weight.shape[0]
        layers += [{"op": "linear", "weight": f"{i}.weight", "bias": f"{i}.bias", "in": weight.shape[1],
                    "out": weight.shape[0]}, {"op": "relu"}]
    if n_in != IMAGE_SHAPE[0] * IMAGE_SHAPE[1]:
        raise NotDescribable(f"the decoder ends in {n_in} values, not a {IMAGE_SHAPE[0]}×{IMAGE_SHAPE[1]} image")
    layers[-1] = {"op": "sigmoid"}  # no ReLU after the last layer: VAE.decode's pixel probabilities from the logits
    return layers


def _body(tensors: dict[str, np.ndarray]) -> bytes:
    from safetensors.numpy import save

    return save({name: np.ascontiguousarray(t, dtype=np.float32) for name, t in tensors.items()}, metadata={"format": "pt"})


def _version(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:20]


def export(path: Path, weights: dict[str, np.ndarray], latent_dim: int, labels: int, ops: tuple[str, ...]) -> PageDecoder:
    """The decoder's tensors and forward pass from the checkpoint's weights; NotDescribable if the
    page could not run it. `path`: the weights' file, `weights` its tensors; `labels`: how many label
    weights follow z (0 for a vae); `ops`: the server's decoder graph's operators, which must be the
    described forward pass."""
    tensors = _decoder_tensors(weights)
    layers = _layers(tensors, latent_dim + labels)
    if list(ops) != _ops(layers, labels):
        raise NotDescribable(f"the server's decoder runs {', '.join(ops)}, which the page's forward pass is not")
    body = _body(tensors)
    version = _version(body)
    description = {
        "format": "safetensors",
        "version": version,
        "bytes": len(body),
        # The first layer's input: z, then for a CVAE the label weights (app.inference.label_vector).
        "input": {"latent_dim": latent_dim, "labels": labels},
        "layers": layers,
        "output_shape": list(IMAGE_SHAPE),
    }
    return PageDecoder(path, version, description)
