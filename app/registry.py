"""Every checkpoint under the folder, loaded once at start-up. A folder that cannot be loaded is
logged with its path and reason and left out; the rest are served."""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path

import torch

from app.page_decoder import NotDescribable, PageDecoder, export
from models.checkpoint import EXTRAS, META, WEIGHTS, Checkpoint, CheckpointError, load_checkpoint
from models.kinematics import ArmGeometry
from models.mdn import MDN
from models.vae import IMAGE_SHAPE, VAE

log = logging.getLogger("latent_explorer.registry")

SERVED_KINDS = ("vae", "cvae", "mdn")
PUBLIC_FIELDS = {
    "vae": ("latent_dim", "image_shape", "label_names", "dataset"),
    "cvae": ("latent_dim", "image_shape", "labels", "label_names", "dataset"),
    "mdn": ("input_dim", "output_dim", "components", "input_range", "output_range", "arm"),
}


@dataclass
class ServedModel:
    id: str
    kind: str
    model: VAE | MDN
    meta: dict
    extras: dict[str, torch.Tensor]
    version: str  # hash of the weights: part of every ETag, so a retrained model is never served stale
    info: dict = field(init=False)  # the object GET /api/models returns
    # VAE decoders as (Wᵀ (in, out), b (out,)) per linear layer, ReLU between: app.inference runs them with
    # torch.addmm on contiguous Wᵀ, skipping nn.Module's per-call machinery. None: use the module. A second
    # copy of the decoder, kept because it pays end to end (rule: keep it only while bench/ shows > 10 %).
    # Fresh-z decode without it, same run, 9 alternating rounds, 2-core shared machine: at 1 connection
    # (one person dragging a slider) req/s ÷ the bare stack 0.267 against 0.327 with it, −18 % (paired
    # per round −10 %; server CPU per request +21 %); at 32 connections 0.617 against 0.680, −9 % (CPU
    # +8 %). `python bench/compare.py . <checkout without it> --connections 1 (or 32) --rounds 9`.
    decoder_layers: list[tuple[torch.Tensor, torch.Tensor]] | None = field(init=False, default=None)
    # The decoder as GET …/decoder sends it to the page (app.page_decoder); None when the page cannot run it.
    page_decoder: PageDecoder | None = field(init=False, default=None)
    # torch thread count → how many rows app.inference.decode_points may decode in one call and keep each
    # row's bits (measured on first use on this machine: app.inference.rows_per_call).
    rows_per_call: dict[int, int] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        meta = self.meta
        info = {
            "id": self.id,
            "kind": self.kind,
            "title": meta.get("title", self.id),
            "description": meta.get("description", ""),
            "metrics": meta.get("metrics", {}),
            "training": meta.get("training", {}),
            "data": meta.get("data", {}),
            "config": meta.get("config", {}),
        }
        for key in PUBLIC_FIELDS[self.kind]:
            if key in meta:
                info[key] = meta[key]
        self.info = info
        if self.kind in ("vae", "cvae"):
            self.decoder_layers = _plain_layers(getattr(self.model, "decoder", None))
            try:
                self.page_decoder = export(self.model, self.labels)
                info["decoder"] = self.page_decoder.description
            except NotDescribable as e:
                log.info("%s: no in-page decoder (%s)", self.id, e)

    @property
    def labels(self) -> list[int]:
        return self.meta.get("labels", [])


def _plain_layers(decoder: torch.nn.Module | None) -> list[tuple[torch.Tensor, torch.Tensor]] | None:
    """Linear, ReLU, Linear, …, Linear → [(Wᵀ, b), …]; None for any other structure."""
    if not isinstance(decoder, torch.nn.Sequential) or len(decoder) % 2 == 0:
        return None
    layers = []
    for i, module in enumerate(decoder):
        expected = torch.nn.Linear if i % 2 == 0 else torch.nn.ReLU
        if type(module) is not expected:
            return None
        if expected is torch.nn.Linear:
            if module.bias is None:
                return None
            layers.append((module.weight.detach().t().contiguous(), module.bias.detach().clone()))
    return layers


@dataclass
class Registry:
    models: dict[str, ServedModel] = field(default_factory=dict)
    failed: list[dict] = field(default_factory=list)

    def ids(self) -> list[str]:
        return list(self.models)


def _served(ckpt: Checkpoint, directory: Path) -> ServedModel:
    meta = ckpt.meta
    if meta["kind"] not in SERVED_KINDS:
        raise CheckpointError(f"kind {meta['kind']!r} is not served (served kinds: {', '.join(SERVED_KINDS)})")
    if meta["id"] != directory.name:
        raise CheckpointError(f"meta.json id {meta['id']!r} differs from the folder name")
    _check_facts(meta, ckpt.model)
    _check_extras(ckpt.extras, ckpt.model)
    # Every answer depends on the weights, the facts in meta.json and the extras: all three make the
    # version inside each ETag, so a changed file is never answered with a stale 304.
    digest = hashlib.sha256()
    for name in (META, WEIGHTS, EXTRAS):
        if (directory / name).is_file():
            digest.update(name.encode() + b"\0" + (directory / name).read_bytes())
    version = digest.hexdigest()[:16]
    return ServedModel(id=meta["id"], kind=meta["kind"], model=ckpt.model, meta=meta, extras=ckpt.extras,
                       version=version)


def _check_facts(meta: dict, model: VAE | MDN) -> None:
    """The facts meta.json states beside the config are what clients and the routes rely on (the
    length of z, the labels, the input ranges): they must agree with the model built from the
    config, or the checkpoint is refused here rather than failing requests later with a 500."""
    config = model.config

    def same(key: str, expected) -> None:
        if key not in meta:
            raise CheckpointError(f"meta.json lacks {key!r}")
        if type(meta[key]) is not type(expected) or meta[key] != expected:
            raise CheckpointError(f"meta.json {key}={meta[key]!r} does not match the model ({expected!r})")

    if isinstance(model, VAE):
        same("latent_dim", config.latent_dim)
        if "image_shape" in meta:
            same("image_shape", list(IMAGE_SHAPE))
        if config.n_labels:
            labels = meta.get("labels")
            if (not isinstance(labels, list) or len(labels) != config.n_labels or len(set(labels)) != len(labels)
                    or not all(type(v) is int for v in labels)):
                raise CheckpointError(f"meta.json labels must be {config.n_labels} distinct integers, got {labels!r}")
        names = meta.get("label_names")
        expected = config.n_labels or None  # a plain VAE's names label its embedding scatter: any count
        if names is not None and not (isinstance(names, list) and all(isinstance(n, str) and n for n in names)
                                      and len(names) == (expected or len(names)) and names):
            raise CheckpointError(f"meta.json label_names must be {expected or 'some'} non-empty strings, got {names!r}")
        return
    for key in ("input_dim", "output_dim", "components"):
        same(key, getattr(config, key))
    for key, dim in (("input_range", config.input_dim), ("output_range", config.output_dim)):
        ranges = meta.get(key)
        if not (isinstance(ranges, list) and len(ranges) == dim and all(
                isinstance(r, list) and len(r) == 2 and all(type(v) in (int, float) and math.isfinite(v) for v in r)
                and r[0] < r[1] for r in ranges)):
            raise CheckpointError(f"meta.json {key} must be {dim} pairs [low, high] of finite numbers, got {ranges!r}")
    if "arm" in meta:
        if config.input_dim != 2 or config.output_dim != 2:
            raise CheckpointError("meta.json arm needs a model from (x1, x2) to (θ1, θ2)")
        try:
            arm = ArmGeometry(**meta["arm"])
        except TypeError as e:
            raise CheckpointError(f"meta.json arm is not an arm geometry: {e}") from e
        numbers = [arm.l1, arm.l2, *arm.theta1_range, *arm.theta2_range]
        if not all(type(v) in (int, float) and math.isfinite(v) for v in numbers) or min(arm.l1, arm.l2) <= 0:
            raise CheckpointError(f"meta.json arm must hold positive link lengths and finite ranges, got {meta['arm']!r}")


def _check_extras(extras: dict, model: VAE | MDN) -> None:
    """What the routes serve from extras.safetensors must have the model's shapes."""
    config = model.config
    if isinstance(model, VAE):
        pairs = (("embedding_mu", 2, config.latent_dim), ("embedding_labels", 1, None))
    else:
        pairs = (("data_x", 2, config.input_dim), ("data_t", 2, config.output_dim))
    present = [name for name, _, _ in pairs if name in extras]
    if present and len(present) != 2:
        raise CheckpointError(f"extras hold {present[0]} without its partner")
    if not present:
        return
    rows = {extras[name].shape[0] for name, _, _ in pairs}
    for name, ndim, width in pairs:
        tensor = extras[name]
        if tensor.ndim != ndim or (width is not None and tensor.shape[1] != width) or len(rows) != 1:
            raise CheckpointError(f"extras {name} has shape {tuple(tensor.shape)}, which does not fit the model")


def load_registry(folder: Path) -> Registry:
    registry = Registry()
    if not folder.is_dir():
        registry.failed.append({"path": str(folder), "reason": "checkpoint folder does not exist"})
        log.error("checkpoint folder %s does not exist", folder)
        return registry
    for directory in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            served = _served(load_checkpoint(directory), directory)
        except Exception as e:  # noqa: BLE001 - one bad folder must never stop the server; its reason is reported
            registry.failed.append({"path": str(directory), "reason": str(e) or type(e).__name__})
            log.error("checkpoint %s left out: %s", directory, e)
            continue
        for p in served.model.parameters():
            p.requires_grad_(False)
        registry.models[served.id] = served
        log.info("loaded %s (%s) from %s", served.id, served.kind, directory)
    return registry
