"""Tiny stand-ins for the motion clips: the real humanoid URDF (tests/fixtures/poses, zlib) beside a
few short DeepMimic-format clips of random joint rotations, written from a seed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np

from latent_explorer.paths import REPO_ROOT
from training.poses import FRAME_JOINTS, HINGES

FIXTURES = REPO_ROOT / "tests" / "fixtures" / "poses"
URDF_FIXTURE = FIXTURES / "humanoid.urdf"


def random_frames(n: int, rng: np.random.Generator) -> np.ndarray:
    """n frames (n, 44): duration, root position, root quaternion, then every joint (w, x, y, z) or angle."""
    def quaternion():
        q = rng.normal(size=4)
        return q / np.linalg.norm(q)

    frames = []
    for _ in range(n):
        row = [1 / 30, *rng.normal([0, 0.9, 0], 0.2), *quaternion()]
        for name in FRAME_JOINTS:
            row += [rng.uniform(-2, 0)] if name in HINGES else list(quaternion())
        frames.append(row)
    return np.array(frames)


def write_pose_folder(folder: Path, clips: dict[str, int] | None = None, seed: int = 0) -> Path:
    """The URDF and clips {name: frames} as `latent-explorer data poses` lays them out."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(URDF_FIXTURE, folder / "humanoid.urdf")
    (folder / "LICENSE.txt").write_text("zlib (test stand-in)\n")
    rng = np.random.default_rng(seed)
    for name, n in (clips or {"walk": 12, "kick": 8, "run": 10, "jump": 9}).items():
        frames = random_frames(n, rng)
        (folder / f"humanoid3d_{name}.txt").write_text(json.dumps({"Loop": "wrap", "Frames": frames.round(6).tolist()}))
    return folder
