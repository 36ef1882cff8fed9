"""A VAE/CVAE decoder as the page receives it: its tensors as safetensors bytes and a description
of the forward pass that a client can run without PyTorch (static/js/decoder.js does).

The description is read off the model's own, VAE.decoder_layers(): sigmoid of Linear, ReLU, …,
Linear on [z, y], with y the one-hot (or morphed) label for a CVAE. A decoder of any other shape
gets no description, and the route answers 404 for it, so a page never runs a forward pass that
differs from the server's."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import torch
from safetensors.torch import save

from models.vae import IMAGE_SHAPE, VAE

MEDIA_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class PageDecoder:
    body: bytes  # safetensors: an 8-byte little-endian header length, a JSON header, raw float32 buffers
    version: str  # hash of `body`: in the ETag and the URL the page asks for, so it changes with the weights
    description: dict  # what GET /api/models says under "decoder"


class NotDescribable(ValueError):
    """The decoder holds a layer the page's forward pass does not know."""


def _layers(model: VAE) -> list[dict]:
    """VAE.decoder_layers() as the page runs them: [{"op": "linear", "weight": name, "bias": name,
    "in": n, "out": m}, {"op": "relu"}, …, {"op": "sigmoid"}], names as in the exported file."""
    try:
        linear = model.decoder_layers()
    except ValueError as e:
        raise NotDescribable(str(e)) from None
    layers: list[dict] = []
    for layer in linear:
        n_in, n_out = layer.weight_t.shape
        layers += [{"op": "linear", "weight": f"{layer.name}.weight", "bias": f"{layer.name}.bias", "in": n_in,
                    "out": n_out}, {"op": "relu"}]
    layers[-1] = {"op": "sigmoid"}  # no ReLU after the last layer: VAE.decode's pixel probabilities from the logits
    return layers


def export(model: VAE, labels: list[int]) -> PageDecoder:
    """The decoder's tensors and forward pass; NotDescribable if the page could not run it."""
    layers = _layers(model)
    tensors = {name: t.detach().to(torch.float32).contiguous() for name, t in model.decoder.state_dict().items()}
    body = save(tensors, metadata={"format": "pt"})
    version = hashlib.sha256(body).hexdigest()[:20]
    description = {
        "format": "safetensors",
        "version": version,
        "bytes": len(body),
        # The first layer's input: z, then for a CVAE the label weights (app.inference.label_vector).
        "input": {"latent_dim": model.config.latent_dim, "labels": len(labels) if model.config.n_labels else 0},
        "layers": layers,
        "output_shape": list(IMAGE_SHAPE),
    }
    return PageDecoder(body=body, version=version, description=description)
