"""The image kinds, vae and cvae: a VAE (Kingma & Welling) or a label-conditioned one (Sohn et al.)
on 28×28 images, decoded by sliders, mapped, sampled and encoded."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field

import torch
from pydantic import Field, StrictInt, StrictStr
from torch import nn

from app import inference
from app.kind import Extra, FactError, Facts, FastAnswer, Kind, Operation
from app.operations import decode, manifold
from app.page_decoder import PageDecoder, export
from app.registry import ServedModel
from app.routes import decoder, encode, images
from app.schemas import DecodeQuery, DecoderInfo, ManifoldQuery
from models.checkpoint import build_model
from models.vae import IMAGE_SHAPE, DecoderLayer

log = logging.getLogger("latent_explorer.registry")


class ImageFacts(Facts):
    latent_dim: StrictInt = Field(description="vae/cvae: the length of z")
    image_shape: list[StrictInt] | None = Field(None, description="vae/cvae: the decoded image's height and width")
    label_names: list[StrictStr] | None = Field(
        None, description="vae/cvae: what each label index means (a digit, a clothing class), in index order")
    dataset: StrictStr | None = Field(None, description="vae/cvae: the image data set trained on (mnist | fashion)")

    def agree_with(self, model: nn.Module) -> None:
        config = model.config
        if self.latent_dim != config.latent_dim:
            raise FactError("latent_dim", f"{self.latent_dim} does not match the model ({config.latent_dim})")
        if self.image_shape is not None and self.image_shape != list(IMAGE_SHAPE):
            raise FactError("image_shape", f"{self.image_shape} does not match the model ({list(IMAGE_SHAPE)})")
        names = self.label_names
        # A plain VAE's names label its embedding scatter: any count; a CVAE's name its labels.
        if names is not None and (not names or not all(names) or (config.n_labels and len(names) != config.n_labels)):
            raise FactError("label_names", f"must be {config.n_labels or 'some'} non-empty strings, got {names!r}")


class VaeFacts(ImageFacts):
    @property
    def labels(self) -> list[int]:
        return []  # an unconditional VAE takes no label


class CvaeFacts(ImageFacts):
    labels: list[StrictInt] = Field(description="cvae: the label indices `label` accepts")

    def agree_with(self, model: nn.Module) -> None:
        super().agree_with(model)
        n = model.config.n_labels
        if len(self.labels) != n or len(set(self.labels)) != n:
            raise FactError("labels", f"must be {n} distinct integers, got {self.labels!r}")


@dataclass
class DigitModel(ServedModel):
    """A served VAE/CVAE, with what its decoder needs prepared once."""

    # The decoder as GET …/decoder sends it to the page (app.page_decoder); None when the page cannot run it.
    page_decoder: PageDecoder | None = field(init=False, default=None)
    # VAE.decoder_layers(): what inference.decode runs without nn.Module's per-call machinery, and
    # what the page's decoder describes; None for a decoder that is not a plain MLP.
    decoder_layers: list[DecoderLayer] | None = field(init=False, default=None)
    # torch thread count → how many rows inference.decode_points may decode in one call and keep each
    # row's bits (measured on first use: inference.rows_per_call).
    rows_per_call: dict[int, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        try:
            self.decoder_layers = self.model.decoder_layers()
        except ValueError as e:
            log.info("%s: no in-page decoder (%s)", self.id, e)
            return
        self.page_decoder = export(self.model, self.labels)
        self.info["decoder"] = self.page_decoder.description

    @property
    def labels(self) -> list[int]:
        return self.facts.labels


def _warm_up(served: DigitModel) -> None:
    y = inference.label_vector(served, served.labels[0] if served.labels else None)
    inference.decode_points(served, torch.zeros(1, served.facts.latent_dim), y)


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

VAE_KIND = Kind("vae", VaeFacts, functools.partial(build_model, "vae"), OPERATIONS, DigitModel, _warm_up, EXTRAS,
                INFO_FIELDS)
CVAE_KIND = Kind("cvae", CvaeFacts, functools.partial(build_model, "cvae"), OPERATIONS, DigitModel, _warm_up, EXTRAS,
                 INFO_FIELDS)

