"""Damaged checkpoints: the server starts, reports each failure in /healthz with its path and
reason, serves the rest, and never unpickles anything."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient
from safetensors.torch import save_file

from app.main import create_app
from app.settings import Settings


def _no_unpickling(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("something tried to unpickle")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    monkeypatch.setattr(torch, "load", refuse)


def _serve(folder: Path, monkeypatch) -> TestClient:
    _no_unpickling(monkeypatch)
    return TestClient(create_app(Settings(checkpoints=folder)))


def _edit_meta(directory: Path, **changes) -> None:
    meta = json.loads((directory / "meta.json").read_text())
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(meta.get(key), dict):
            meta[key] = {**meta[key], **value}
        else:
            meta[key] = value
    (directory / "meta.json").write_text(json.dumps(meta))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGE = {
    "truncated weights": lambda d: _truncate(d / "weights.safetensors"),
    "weights cut inside the header": lambda d: (d / "weights.safetensors").write_bytes(
        (d / "weights.safetensors").read_bytes()[:12]),
    "empty weights file": lambda d: (d / "weights.safetensors").write_bytes(b""),
    "truncated extras": lambda d: _truncate(d / "extras.safetensors"),
    "missing weights": lambda d: (d / "weights.safetensors").unlink(),
    "missing meta.json": lambda d: (d / "meta.json").unlink(),
    "meta.json not JSON": lambda d: (d / "meta.json").write_text("{not json"),
    "meta.json not UTF-8": lambda d: (d / "meta.json").write_bytes(b"\xff\xfe{}"),
    "meta.json an array": lambda d: (d / "meta.json").write_text("[1, 2, 3]"),
    "config an array": lambda d: _edit_meta(d, config=[3, [16]]),
    "config with an unknown field": lambda d: _edit_meta(d, config={"bogus": 1}),
    "config latent_dim a string": lambda d: _edit_meta(d, config={"latent_dim": "three"}),
    "config hidden not a list": lambda d: _edit_meta(d, config={"hidden": 16}),
    "weights of another architecture": lambda d: _edit_meta(d, config={"hidden": [32]}),
    "latent_dim of another architecture": lambda d: _edit_meta(d, config={"latent_dim": 5}),
    "meta latent_dim differs from config": lambda d: _edit_meta(d, latent_dim=5),
    "meta latent_dim a string": lambda d: _edit_meta(d, latent_dim="3"),
    "image_shape wrong": lambda d: _edit_meta(d, image_shape=[32, 32]),
    "unknown kind": lambda d: _edit_meta(d, kind="gan"),
    "kind vae, config of a cvae": lambda d: _edit_meta(d, config={"n_labels": 10}),
    "id differs from folder": lambda d: _edit_meta(d, id="other"),
    "weights as a pickle": lambda d: (d / "weights.safetensors").write_bytes(pickle.dumps({"x": 1})),
    # Found in review: these escaped as IndexError/RuntimeError and stopped the whole server.
    "config with no hidden layer": lambda d: _edit_meta(d, config={"hidden": []}),
    "config with a negative width": lambda d: _edit_meta(d, config={"hidden": [-1]}),
    "embedding of the wrong width": lambda d: save_file(
        {"embedding_mu": torch.zeros(4, 7), "embedding_labels": torch.zeros(4, dtype=torch.int64)},
        str(d / "extras.safetensors")),
    "embedding without its labels": lambda d: save_file({"embedding_mu": torch.zeros(4, 3)}, str(d / "extras.safetensors")),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_vae_is_reported_and_the_rest_served(tiny_checkpoints, monkeypatch, damage):
    DAMAGE[damage](tiny_checkpoints / "tiny-vae")
    with _serve(tiny_checkpoints, monkeypatch) as client:
        health = client.get("/healthz")
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "ok"
        assert [Path(f["path"]).name for f in body["failed"]] == ["tiny-vae"], body
        assert body["failed"][0]["reason"]
        assert body["models"] == 2
        assert client.get("/api/models/tiny-vae/decode?z=0,0,0").status_code == 404
        assert client.get("/api/models/tiny-cvae/decode?z=0,0&label=1").status_code == 200
        assert client.get("/api/models/tiny-mdn/density?x=0.5").status_code == 200


MDN_DAMAGE = {
    "input_range flat": {"input_range": [0.0, 1.0]},
    "input_range of another dimension": {"input_range": [[0.0, 1.0], [0.0, 1.0]]},
    "input_range reversed": {"input_range": [[1.0, 0.0]]},
    "output_range missing": {"output_range": None},
    "input_dim differs from config": {"input_dim": 2},
    "components differs from config": {"components": 7},
    "an arm on a 1-D model": {"arm": {"l1": 0.8, "l2": 0.2}},
}


@pytest.mark.parametrize("damage", MDN_DAMAGE)
def test_mdn_meta_of_the_wrong_shape_is_reported(tiny_checkpoints, monkeypatch, damage):
    _edit_meta(tiny_checkpoints / "tiny-mdn", **MDN_DAMAGE[damage])
    with _serve(tiny_checkpoints, monkeypatch) as client:
        body = client.get("/healthz").json()
        assert [Path(f["path"]).name for f in body["failed"]] == ["tiny-mdn"], body
        assert client.get("/api/models/tiny-vae/decode?z=0,0,0").status_code == 200


@pytest.mark.parametrize("labels", ["abc", [0, 1], list(range(11)), [0, 1, 2, 3, 4, 5, 6, 7, 8, "9"], None])
def test_cvae_labels_of_the_wrong_shape_are_reported(tiny_checkpoints, monkeypatch, labels):
    _edit_meta(tiny_checkpoints / "tiny-cvae", labels=labels)
    with _serve(tiny_checkpoints, monkeypatch) as client:
        body = client.get("/healthz").json()
        assert [Path(f["path"]).name for f in body["failed"]] == ["tiny-cvae"], body


@pytest.mark.parametrize("names", ["abc", ["0", "1"], [""] * 10, [0] * 10, []])
def test_cvae_label_names_of_the_wrong_shape_are_reported(tiny_checkpoints, monkeypatch, names):
    _edit_meta(tiny_checkpoints / "tiny-cvae", label_names=names)
    with _serve(tiny_checkpoints, monkeypatch) as client:
        body = client.get("/healthz").json()
        assert [Path(f["path"]).name for f in body["failed"]] == ["tiny-cvae"], body


def test_every_shipped_checkpoint_damaged_at_once(shipped_copy, monkeypatch):
    for damage, directory in zip(["truncated weights", "meta.json not JSON", "weights of another architecture",
                                  "truncated extras", "missing weights"] * 2, sorted(shipped_copy.iterdir())):
        DAMAGE[damage](directory)
    with _serve(shipped_copy, monkeypatch) as client:
        body = client.get("/healthz").json()
        n = len(list(shipped_copy.iterdir()))
        assert body["status"] == "ok" and body["models"] == 0 and len(body["failed"]) == n
        assert client.get("/api/models").json() == []


def test_empty_checkpoint_folder(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    with _serve(tmp_path / "empty", monkeypatch) as client:
        assert client.get("/healthz").json() == {"status": "ok", "models": 0, "failed": [], "event_loop": "asyncio",
                                                 "http_parser": None}
        assert client.get("/api/models").json() == []
        assert client.get("/api/models/vae-2d/decode?z=0,0").status_code == 404
        assert client.get("/openapi.json").status_code == 200


def test_missing_checkpoint_folder(tmp_path, monkeypatch):
    with _serve(tmp_path / "nowhere", monkeypatch) as client:
        body = client.get("/healthz").json()
        assert body["status"] == "ok" and body["models"] == 0 and len(body["failed"]) == 1


def test_stray_files_and_hidden_folders_are_ignored(tiny_checkpoints, monkeypatch):
    (tiny_checkpoints / "README.txt").write_text("not a checkpoint")
    (tiny_checkpoints / ".cache").mkdir()
    with _serve(tiny_checkpoints, monkeypatch) as client:
        assert client.get("/healthz").json() == {"status": "ok", "models": 3, "failed": [], "event_loop": "asyncio",
                                                 "http_parser": None}


def test_shipped_checkpoints_load_without_unpickling(shipped_copy, monkeypatch):
    with _serve(shipped_copy, monkeypatch) as client:
        assert client.get("/healthz").json()["models"] == len(list(shipped_copy.iterdir()))
