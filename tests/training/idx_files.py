"""Tiny IDX files written by the tests themselves: nothing is downloaded in tests or CI."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np


def write_idx(path: Path, array: np.ndarray, gz: bool = False) -> Path:
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.astype(np.uint8).tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)
    return path


def write_idx_set(directory: Path, n_train: int = 64, n_test: int = 16, gz: bool = False, seed: int = 0) -> Path:
    """The four standard files of an MNIST-format set, random pixels, labels cycling 0–9."""
    rng = np.random.default_rng(seed)
    directory.mkdir(parents=True, exist_ok=True)
    write_idx(directory / "train-images-idx3-ubyte", rng.integers(0, 256, (n_train, 28, 28)), gz)
    write_idx(directory / "train-labels-idx1-ubyte", np.arange(n_train) % 10, gz)
    write_idx(directory / "t10k-images-idx3-ubyte", rng.integers(0, 256, (n_test, 28, 28)), gz)
    write_idx(directory / "t10k-labels-idx1-ubyte", np.arange(n_test) % 10, gz)
    return directory
