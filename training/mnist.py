"""MNIST-format image sets (MNIST, Fashion-MNIST) from IDX files on disk; nothing is downloaded here.

A directory holds the standard files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]), split as published (60k/10k): the
fetched, verified cache of `latent-explorer data` (training/datasets.py) or a folder of the user's.
Pixels come back as float32 in [0, 1], shape (N, 784); labels as int64 (N,).
"""

from __future__ import annotations

import gzip
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from training.datasets import DATASETS, dataset_dir, sha256_of, verify

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
    raise FileNotFoundError(f"{directory}: no {stem}[.gz]; the folder given with --data must hold the "
                            "four IDX files (train and t10k images and labels), else leave --data out "
                            "and let `latent-explorer data` fill the cache")


def load_idx_directory(directory: Path, dataset: str = "mnist") -> MnistSplit:
    """The published split of the IDX files in `directory`, with each file's sha256 in `info`
    (and whether they are the pinned files of `dataset`)."""
    directory = Path(directory)
    parts, files = {}, {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        image_file = _find_idx(directory, f"{prefix}-images-idx3-ubyte")
        label_file = _find_idx(directory, f"{prefix}-labels-idx1-ubyte")
        images, labels = read_idx(image_file), read_idx(label_file)
        files.update({f.name: sha256_of(f) for f in (image_file, label_file)})
        if images.shape[0] != labels.shape[0] or images.shape[1:] != (28, 28):
            raise ValueError(f"{directory}: {prefix} images {images.shape} do not match labels {labels.shape}")
        parts[split] = (_to_unit_pixels(images.reshape(-1, 784)), torch.from_numpy(labels.astype(np.int64)))
    pinned = {name: sha for name, (sha, _) in DATASETS[dataset].files.items()}
    info = {
        "dataset": dataset,
        "title": DATASETS[dataset].title,
        "source": DATASETS[dataset].source if files == pinned else f"IDX files in {directory}",
        "files_sha256": files,
        "files_match_pinned": files == pinned,
        "split": "published train/t10k",
        "n_train": len(parts["train"][1]),
        "n_test": len(parts["test"][1]),
    }
    return MnistSplit(*parts["train"], *parts["test"], info=info)


def _to_unit_pixels(images: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.asarray(images, dtype=np.float32) / 255.0)


def load_dataset(name: str, directory: Path | None = None) -> MnistSplit:
    """The named data set from `directory`, or from the verified cache that `latent-explorer data` fills."""
    if directory is None:
        directory = dataset_dir(name)
        verify(DATASETS[name], directory)  # a one-line DataError saying what to run if it is not there
    return load_idx_directory(Path(directory), name)
