import struct

import numpy as np
import pytest

from tests.training.idx_files import write_idx
from training.mnist import load_idx_directory, read_idx


@pytest.mark.parametrize("gz", [False, True])
def test_idx_directory_loads_the_published_split(tmp_path, gz):
    rng = np.random.default_rng(0)
    train_images, test_images = rng.integers(0, 256, (12, 28, 28)), rng.integers(0, 256, (5, 28, 28))
    write_idx(tmp_path / "train-images-idx3-ubyte", train_images, gz)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.arange(12) % 10, gz)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", test_images, gz)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.arange(5), gz)
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


def test_idx_directory_records_file_hashes_and_whether_they_are_the_pinned_ones(tmp_path):
    from tests.training.idx_files import write_idx_set

    split = load_idx_directory(write_idx_set(tmp_path, 12, 5), "fashion")
    assert split.info["dataset"] == "fashion" and split.info["files_match_pinned"] is False
    assert sorted(split.info["files_sha256"]) == sorted(
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"])
    assert all(len(h) == 64 for h in split.info["files_sha256"].values())
