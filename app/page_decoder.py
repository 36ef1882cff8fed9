"""A VAE/CVAE decoder as the page receives it: its tensors as safetensors bytes and a description
of the forward pass that a client can run without PyTorch (static/js/decoder.js does).

The description is read off the module, not restated: `VAE.decode` is sigmoid(decoder([z, y])),
with y the one-hot (or morphed) label for a CVAE, and `decoder` a chain of Linear and ReLU
layers. A decoder holding any other layer type gets no description, and the route answers 404
for it, so a page never runs a forward pass that differs from the server's."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import torch
from safetensors.torch import save
from torch import nn

from models.vae import IMAGE_SHAPE, VAE

MEDIA_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class PageDecoder:
    body: bytes  # safetensors: an 8-byte little-endian header length, a JSON header, raw float32 buffers
    version: str  # hash of `body`: in the ETag and the URL the page asks for, so it changes with the weights
    description: dict  # what GET /api/models says under "decoder"


class NotDescribable(ValueError):
    """The decoder holds a layer the page's forward pass does not know."""


def _layers(decoder: nn.Module) -> list[dict]:
    """Linear/ReLU modules of an nn.Sequential → [{"op": "linear", "weight": name, "bias": name,
    "in": n, "out": m}, {"op": "relu"}, …], names as in the exported file; the output sigmoid last."""
    if not isinstance(decoder, nn.Sequential):
        raise NotDescribable(f"decoder is a {type(decoder).__name__}, not a sequence of layers")
    layers: list[dict] = []
    for name, module in decoder.named_children():
        if type(module) is nn.Linear and module.bias is not None:
            layers.append({"op": "linear", "weight": f"{name}.weight", "bias": f"{name}.bias",
                           "in": module.in_features, "out": module.out_features})
        elif type(module) is nn.ReLU:
            layers.append({"op": "relu"})
        else:
            raise NotDescribable(f"layer {name} is a {type(module).__name__}; the page runs Linear (with bias) and ReLU")
    layers.append({"op": "sigmoid"})  # VAE.decode: pixel probabilities from the logits
    return layers


def export(model: VAE, labels: list[int]) -> PageDecoder:
    """The decoder's tensors and forward pass; NotDescribable if the page could not run it."""
    layers = _layers(model.decoder)
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
