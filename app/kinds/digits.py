"""The image kinds, vae and cvae: a VAE (Kingma & Welling) or a label-conditioned one (Sohn et al.)
on 28×28 images, decoded by sliders, mapped, sampled and encoded."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
from pydantic import Field, StrictInt, StrictStr

from app import inference
from app.inference import IMAGE_SHAPE
from app.kind import Extra, FactError, Facts, FastAnswer, Kind, Operation
from app.networks import Network
from app.operations import decode, manifold
from app.page_decoder import NotDescribable, PageDecoder, export
from app.registry import ServedModel
from app.routes import decoder, encode, images
from app.schemas import DecodeQuery, DecoderInfo, ManifoldQuery
from runtime.checkpoint import WEIGHTS, read_tensors

IMAGE_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]

log = logging.getLogger("latent_explorer.registry")


class ImageFacts(Facts):
    latent_dim: StrictInt = Field(description="vae/cvae: the length of z")
    image_shape: list[StrictInt] | None = Field(None, description="vae/cvae: the decoded image's height and width")
    label_names: list[StrictStr] | None = Field(
        None, description="vae/cvae: what each label index means (a digit, a clothing class), in index order")
    dataset: StrictStr | None = Field(None, description="vae/cvae: the image data set trained on (mnist | fashion)")

    def agree_with(self, networks: dict[str, Network]) -> None:
        decoder, encoder = networks["decoder"], networks["encoder"]
        latent_dim, n_labels = decoder.inputs.get("z"), label_count(networks)
        if self.latent_dim != latent_dim or encoder.width("mu") != (latent_dim,):
            raise FactError("latent_dim", f"{self.latent_dim} does not match the model ({latent_dim})")
        if decoder.width("pixels") != (IMAGE_PIXELS,) or encoder.inputs.get("x") != IMAGE_PIXELS:
            raise FactError("image_shape", f"the model's images are not {IMAGE_SHAPE[0]}×{IMAGE_SHAPE[1]}")
        if self.image_shape is not None and self.image_shape != list(IMAGE_SHAPE):
            raise FactError("image_shape", f"{self.image_shape} does not match the model ({list(IMAGE_SHAPE)})")
        self._agree_on_labels(n_labels)
        names = self.label_names
        # A plain VAE's names label its embedding scatter: any count; a CVAE's name its labels.
        if names is not None and (not names or not all(names) or (n_labels and len(names) != n_labels)):
            raise FactError("label_names", f"must be {n_labels or 'some'} non-empty strings, got {names!r}")

    def _agree_on_labels(self, n_labels: int) -> None:
        if n_labels:
            raise FactError("kind", f"the model takes a label ({n_labels} of them): it is a cvae")


def label_count(networks: dict[str, Network]) -> int:
    """How many label weights the decoder takes: 0 for a vae."""
    return networks["decoder"].inputs.get("y", 0)


class VaeFacts(ImageFacts):
    @property
    def labels(self) -> list[int]:
        return []  # an unconditional VAE takes no label


class CvaeFacts(ImageFacts):
    labels: list[StrictInt] = Field(description="cvae: the label indices `label` accepts")

    def _agree_on_labels(self, n: int) -> None:
        if n == 0:
            raise FactError("kind", "the model takes no label: it is a vae")
        if len(self.labels) != n or len(set(self.labels)) != n:
            raise FactError("labels", f"must be {n} distinct integers, got {self.labels!r}")


@dataclass
class DigitModel(ServedModel):
    """A served VAE/CVAE, with what its decoder needs prepared once."""

    # The decoder as GET …/decoder sends it to the page (app.page_decoder); None when the page cannot run it.
    page_decoder: PageDecoder | None = field(init=False, default=None)
    # How inference.decode_points pads and splits rows so that each keeps its bits (measured on first
    # use, at warm-up: inference.decoding_plan).
    decode_block: int = field(init=False, default=0)
    rows_per_call: int | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        super().__post_init__()
        # The page runs the decoder from the trained weights (weights.safetensors; the registry has
        # checked that the graphs came from them).
        path = self.directory / WEIGHTS
        try:
            self.page_decoder = export(path, read_tensors(path), self.facts.latent_dim, len(self.labels),
                                       self.networks["decoder"].ops)
        except NotDescribable as e:
            log.info("%s: no in-page decoder (%s)", self.id, e)
            return
        self.info["decoder"] = self.page_decoder.description

    @property
    def labels(self) -> list[int]:
        return self.facts.labels


def _warm_up(served: DigitModel) -> None:
    y = inference.label_vector(served, served.labels[0] if served.labels else None)
    inference.decode_points(served, np.zeros((1, served.facts.latent_dim), dtype=np.float32), y)


OPERATIONS = (
    Operation("decode", images.router, FastAnswer(DecodeQuery, decode.check, decode.answer)),
    Operation("generate", images.router),
    Operation("manifold", images.router, FastAnswer(ManifoldQuery, manifold.check, manifold.answer)),
    Operation("embedding", images.router),
    Operation("decode.json", images.router),
    Operation("generate.json", images.router),
    Operation("decoder", decoder.router),
    Operation("encode", encode.router),
)
EXTRAS = (Extra("embedding_mu", 2, width_fact="latent_dim"), Extra("embedding_labels", 1))
INFO_FIELDS = {"decoder": (DecoderInfo | None, Field(
    None, description="vae/cvae: the decoder's forward pass, for running it in a client"))}

NETWORKS = ("decoder", "encoder")  # models/onnx_export.py
# The encoder answers only POST …/encode (a drawn digit): opened on its first use.
VAE_KIND = Kind("vae", VaeFacts, NETWORKS, OPERATIONS, DigitModel, _warm_up, EXTRAS, INFO_FIELDS, on_demand=("encoder",))
CVAE_KIND = Kind("cvae", CvaeFacts, NETWORKS, OPERATIONS, DigitModel, _warm_up, EXTRAS, INFO_FIELDS,
                 on_demand=("encoder",))

