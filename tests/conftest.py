"""Shared fixtures: the app over the shipped checkpoints, and tiny random checkpoints for fault tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from bench.load import running_server
from latent_explorer.paths import REPO_ROOT
from models import skeleton
from models.checkpoint import Checkpoint, save_checkpoint
from models.mdn import MDN, MDNConfig
from models.pose_mdn import PoseMDN, PoseMDNConfig
from models.vae import VAE, VAEConfig

SHIPPED = REPO_ROOT / "checkpoints"


@pytest.fixture(scope="session")
def shipped_server() -> Iterator[str]:
    """One real server over the shipped checkpoints for the whole run, for tests of HTTP clients
    (starting one takes seconds, and minutes on a loaded machine)."""
    with running_server() as base:
        yield base


@pytest.fixture(scope="session")
def client():
    """The real app over the shipped checkpoints; the lifespan runs (models load once)."""
    with TestClient(create_app(Settings(checkpoints=SHIPPED))) as c:
        yield c


def write_tiny_checkpoints(folder: Path) -> Path:
    """One small random model of each served kind: fast to load, for tests that damage files."""
    torch.manual_seed(0)
    vae = VAE(VAEConfig(latent_dim=3, hidden=[16]))
    cvae = VAE(VAEConfig(latent_dim=2, hidden=[16], n_labels=10))
    mdn = MDN(MDNConfig(components=3, hidden=[8]))
    meta = {"title": "tiny", "description": "random weights", "metrics": {}}
    save_checkpoint(folder / "tiny-vae", Checkpoint(vae, {
        **meta, "id": "tiny-vae", "kind": "vae", "config": vae.config.to_dict(), "latent_dim": 3,
        "image_shape": [28, 28]}, {"embedding_mu": torch.randn(20, 3), "embedding_labels": torch.arange(20) % 10}))
    save_checkpoint(folder / "tiny-cvae", Checkpoint(cvae, {
        **meta, "id": "tiny-cvae", "kind": "cvae", "config": cvae.config.to_dict(), "latent_dim": 2,
        "image_shape": [28, 28], "labels": list(range(10)), "dataset": "fashion",
        "label_names": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                        "Ankle boot"]}))
    save_checkpoint(folder / "tiny-mdn", Checkpoint(mdn, {
        **meta, "id": "tiny-mdn", "kind": "mdn", "config": mdn.config.to_dict(), "input_dim": 1, "output_dim": 1,
        "components": 3, "input_range": [[0.0, 1.0]], "output_range": [[0.0, 1.0]]},
        {"data_x": torch.rand(10, 1), "data_t": torch.rand(10, 1)}))
    return folder


def write_tiny_pose(folder: Path) -> Path:
    """A small random pose MDN (the skeleton of models/skeleton.py) with a few held-out frames."""
    torch.manual_seed(0)
    model = PoseMDN(PoseMDNConfig(components=3, width=16, blocks=1)).eval()
    joints, frames = skeleton.N_JOINTS, 12
    truth = torch.randn(frames, joints, 3) * 0.3
    truth -= truth[:, :1].clone()  # pelvis-centred
    save_checkpoint(folder / "tiny-pose", Checkpoint(model, {
        "id": "tiny-pose", "kind": "pose", "title": "tiny", "description": "random weights", "metrics": {},
        "config": model.config.to_dict(), "input_dim": 2 * joints, "output_dim": joints - 1, "components": 3,
        "input_range": [[-1.0, 1.0]] * (2 * joints), "output_range": [[-1.0, 1.0]] * (joints - 1),
        "joints": list(skeleton.JOINTS), "parents": list(skeleton.PARENTS), "bones": [list(b) for b in skeleton.BONES],
        "cameras": {"azimuth_deg": [0.0, 360.0], "elevation_deg": [-10.0, 30.0]}, "test_clips": ["walk", "kick"]},
        {"test_joints2d": truth[..., :2].contiguous(), "test_joints3d": truth, "test_clip": torch.arange(frames) % 2,
         "test_frame": torch.arange(frames) // 2, "test_camera_deg": torch.zeros(frames, 2)}))
    return folder


@pytest.fixture
def tiny_checkpoints(tmp_path) -> Path:
    return write_tiny_checkpoints(tmp_path / "checkpoints")


@pytest.fixture
def shipped_copy(tmp_path) -> Path:
    """A writable copy of the shipped checkpoints."""
    return Path(shutil.copytree(SHIPPED, tmp_path / "checkpoints"))
