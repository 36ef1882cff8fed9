"""A checkpoint folder's files as the torch-free server reads them: meta.json checked for the keys
every kind needs, and the extras as numpy arrays. models/checkpoint.py (torch) writes the folder
and reads it for training; both name the files and raise CheckpointError from here."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

META = "meta.json"
WEIGHTS = "weights.safetensors"
EXTRAS = "extras.safetensors"

# What each exported graph records (models/onnx_export.py writes it, app/networks.py checks it):
CONFIG_KEY = "latent_explorer.config"  # meta.json's config (config_record)
WEIGHTS_KEY = "latent_explorer.weights_sha256"  # of weights.safetensors (weights_digest)
# The graph's operators in order, comma-separated: the server describes the decoder to the page only
# when they are the page's forward pass (app/page_decoder.py), without reading the graph itself.
OPS_KEY = "latent_explorer.ops"


def config_record(config: dict) -> str:
    """meta.json's config as a graph records it: JSON with sorted keys."""
    return json.dumps(config, sort_keys=True, separators=(",", ":"))


def weights_digest(weights: bytes) -> str:
    return hashlib.sha256(weights).hexdigest()


class CheckpointError(Exception):
    """A checkpoint folder that cannot be turned into a working model; the message says why."""


class ChangedOnDisk(RuntimeError):
    """A file the server reads after start-up (an on-demand graph, a page decoder's weights) is no
    longer what it checked at start-up: answering from it could contradict the model's version."""


def read_meta(directory: Path) -> dict:
    path = Path(directory) / META
    if not path.is_file():
        raise CheckpointError(f"missing {META}")
    try:
        meta = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CheckpointError(f"{META} is not valid JSON: {e}") from e
    if not isinstance(meta, dict):
        raise CheckpointError(f"{META} must hold a JSON object")
    for key in ("id", "kind", "config"):
        if key not in meta:
            raise CheckpointError(f"{META} lacks {key!r}")
    if not isinstance(meta["config"], dict):
        raise CheckpointError(f"{META} 'config' must be an object")
    return meta


def read_tensors(path: Path) -> dict[str, np.ndarray]:
    """A safetensors file as numpy arrays; CheckpointError naming the file when it is unreadable."""
    from safetensors.numpy import load_file  # numpy's side of safetensors: no torch

    try:
        return load_file(str(path))
    except Exception as e:  # safetensors raises its own error types for truncated or garbled files
        raise CheckpointError(f"{Path(path).name} is unreadable: {e}") from e


def read_extras(directory: Path) -> dict[str, np.ndarray]:
    path = Path(directory) / EXTRAS
    return read_tensors(path) if path.is_file() else {}
