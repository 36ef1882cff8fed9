"""Every checkpoint under the folder, loaded once at start-up, each read by its kind's declaration
(app.kind). A folder that cannot be loaded is logged with its path and reason and left out; the
rest are served."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import ValidationError

from app.kind import FactError, Facts, Kind
from app.networks import Network, open_network
from runtime.checkpoint import (
    EXTRAS,
    META,
    WEIGHTS,
    CheckpointError,
    config_record,
    read_extras,
    read_meta,
    read_tensors,
    weights_digest,
)

log = logging.getLogger("latent_explorer.registry")


@dataclass
class ServedModel:
    id: str
    spec: Kind  # the kind's declaration
    networks: dict[str, Network]  # name → its graph's session (app/networks.py)
    meta: dict  # meta.json as read
    facts: Facts  # its facts, checked against the networks
    extras: dict[str, np.ndarray]
    version: str  # hash of the files: part of every ETag, so a retrained model is never served stale
    directory: Path  # the checkpoint folder
    info: dict = field(init=False)  # the object GET /api/models returns

    def __post_init__(self) -> None:
        meta = self.meta
        self.info = {
            "id": self.id,
            "kind": self.kind,
            "title": meta.get("title", self.id),
            "description": meta.get("description", ""),
            "metrics": meta.get("metrics", {}),
            "training": meta.get("training", {}),
            "data": meta.get("data", {}),
            "config": meta.get("config", {}),
            # As meta.json spells them (validation may widen 0 to 0.0).
            **{key: meta[key] for key in type(self.facts).model_fields if key in meta},
        }

    @property
    def kind(self) -> str:
        return self.spec.name


@dataclass
class Registry:
    models: dict[str, ServedModel] = field(default_factory=dict)
    failed: list[dict] = field(default_factory=list)
    kinds: Sequence[Kind] = ()  # the kinds this server serves

    def ids(self) -> list[str]:
        return list(self.models)


def _kind_of(kinds: dict[str, Kind], name: object) -> Kind:
    if name not in kinds:
        raise CheckpointError(f"unknown kind {name!r} (served kinds: {', '.join(kinds)})")
    return kinds[name]


def _served(directory: Path, kinds: dict[str, Kind], threads: int) -> ServedModel:
    meta = read_meta(directory)
    spec = _kind_of(kinds, meta["kind"])
    if meta["id"] != directory.name:
        raise CheckpointError(f"meta.json id {meta['id']!r} differs from the folder name")
    weights = directory / WEIGHTS
    if not weights.is_file():
        raise CheckpointError(f"missing {WEIGHTS}")
    weight_bytes = weights.read_bytes()
    read_tensors(weights)  # readable at all: a damaged file is named as such, not only as a stale export
    # Every graph must come from these weights and this config (app/networks.py): a hand-edited config
    # or a retrained model that was not re-exported is refused, not served with the old networks.
    record, digest = config_record(meta["config"]), weights_digest(weight_bytes)
    networks = {name: open_network(directory, name, record, digest, threads) for name in spec.networks}
    facts = read_facts(spec, meta, networks)
    extras = read_extras(directory)
    _check_extras(spec, extras, facts)
    # Every answer depends on the networks, the facts in meta.json and the extras: all of them make the
    # version inside each ETag, so a changed file is never answered with a stale 304.
    version = hashlib.sha256()
    for name in (META, WEIGHTS, EXTRAS, *(f"{n}.onnx" for n in spec.networks)):
        if (directory / name).is_file():
            version.update(name.encode() + b"\0" + (weight_bytes if name == WEIGHTS else (directory / name).read_bytes()))
    return spec.served(id=meta["id"], spec=spec, networks=networks, meta=meta, facts=facts, extras=extras,
                       version=version.hexdigest()[:16], directory=directory)


def read_facts(spec: Kind, meta: dict, networks: dict[str, Network]) -> Facts:
    """meta.json's facts as the kind declares them, checked against the networks; a CheckpointError
    naming the file and the field otherwise."""
    try:
        facts = spec.facts.model_validate(meta)
        facts.agree_with(networks)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CheckpointError(f"{META} {where}: {first['msg']} (got {_short(first.get('input'))})") from None
    except FactError as e:
        raise CheckpointError(f"{META} {e}") from None
    return facts


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_extras(spec: Kind, extras: dict[str, np.ndarray], facts: Facts) -> None:
    """What the routes serve from extras.safetensors must have the model's shapes."""
    present = [extra.name for extra in spec.extras if extra.name in extras]
    if not present:
        return
    if len(present) != len(spec.extras):
        raise CheckpointError(f"extras hold {present[0]} without its partner")
    rows = {extras[extra.name].shape[0] for extra in spec.extras}
    for extra in spec.extras:
        tensor = extras[extra.name]
        width = None if extra.width_fact is None else getattr(facts, extra.width_fact)
        if tensor.ndim != extra.ndim or (width is not None and tensor.shape[1] != width) or len(rows) != 1:
            raise CheckpointError(f"extras {extra.name} has shape {tuple(tensor.shape)}, which does not fit the model")


def load_registry(folder: Path, kinds: Sequence[Kind] | None = None, threads: int = 1) -> Registry:
    """The checkpoints under `folder` of the given kinds (the built-in ones by default), each warmed up;
    `threads`: intra-op threads of each network's session."""
    if kinds is None:
        from app.kinds import BUILTIN_KINDS  # the declarations name routers, which name this module

        kinds = BUILTIN_KINDS
    registry = Registry(kinds=tuple(kinds))
    by_name = {k.name: k for k in kinds}
    if not folder.is_dir():
        registry.failed.append({"path": str(folder), "reason": "checkpoint folder does not exist"})
        log.error("checkpoint folder %s does not exist", folder)
        return registry
    for directory in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            served = _served(directory, by_name, threads)
        except Exception as e:  # noqa: BLE001 - one bad folder must never stop the server; its reason is reported
            _leave_out(registry, directory, str(e) or type(e).__name__)
            continue
        try:
            served.spec.warm_up(served)  # so the first request does not pay for lazy initialisation
            for name in served.spec.on_demand:
                served.networks[name].release()
        except Exception as e:  # noqa: BLE001 - any failure of a forward pass is a broken checkpoint
            _leave_out(registry, directory, f"warm-up forward pass failed: {e}")
            continue
        registry.models[served.id] = served
        log.info("loaded %s (%s) from %s", served.id, served.kind, directory)
    return registry


def _leave_out(registry: Registry, directory: Path, reason: str) -> None:
    registry.failed.append({"path": str(directory), "reason": reason})
    log.error("checkpoint %s left out: %s", directory, reason)
