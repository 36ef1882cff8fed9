"""Checkpoints for the Pose panel's browser tests: the shipped ones when they hold a pose model, else
a copy of them plus a tiny random pose MDN and its unimodal twin, whose held-out clips are a
procedural walk and kick (so the page draws people, seen as the real data is: a fresh random camera
for every frame). Random weights: the hypotheses' depths mean nothing, but the page's plumbing and
drawing are the same as with a trained model.

    python -m tests.browser.pose_checkpoints FOLDER   # writes such a folder, for a server by hand"""

from __future__ import annotations

import json
import math
import shutil
import sys
from pathlib import Path

import torch

from models import skeleton
from models.checkpoint import Checkpoint, save_checkpoint
from models.pose_mdn import PoseMDN, PoseMDNConfig

SHIPPED = Path(__file__).resolve().parents[2] / "checkpoints"
MODEL, TWIN = "tiny-pose", "tiny-pose-unimodal"
FPS = 30  # frames per second of the procedural clips
CAMERAS = {"azimuth_deg": [0.0, 360.0], "elevation_deg": [-10.0, 30.0]}

# Rest pose, metres, y up, facing +z (so the body's right is −x): roughly DeepMimic's humanoid.
REST = {
    "pelvis": (0, 0, 0), "chest": (0, 0.24, 0), "neck": (0, 0.46, 0),
    "right_hip": (-0.085, 0, 0), "left_hip": (0.085, 0, 0),
    "right_shoulder": (-0.18, 0.45, -0.02), "left_shoulder": (0.18, 0.45, -0.02),
}
THIGH, SHIN, UPPER_ARM, FOREARM = 0.42, 0.41, 0.27, 0.26


def has_pose_model(folder: Path) -> bool:
    """Whether any checkpoint in `folder` is of kind "pose"."""
    for meta in folder.glob("*/meta.json"):
        try:
            if json.loads(meta.read_text()).get("kind") == "pose":
                return True
        except (OSError, json.JSONDecodeError):
            continue
    return False


def pose_checkpoints(folder: Path) -> Path:
    """The folder a pose browser test serves: the shipped checkpoints if they hold a pose model,
    else `folder` = a copy of them + the tiny pose pair."""
    if has_pose_model(SHIPPED):
        return SHIPPED
    shutil.copytree(SHIPPED, folder, dirs_exist_ok=True)
    return write_tiny_pose_pair(folder)


def _swing(length: float, angle: float, side: float = 0.0) -> torch.Tensor:
    """A limb of `length` hanging down, swung forward by `angle` (about x) and out by `side` (about z)."""
    return length * torch.tensor([math.sin(side), -math.cos(side) * math.cos(angle), math.cos(side) * math.sin(angle)])


def _pose(hips: tuple[float, float], knees: tuple[float, float], shoulders: tuple[float, float],
          elbows: tuple[float, float], lean: float = 0.0, arms_out: float = 0.2) -> torch.Tensor:
    """World joints (15, 3) from sagittal angles per side (right, left), radians."""
    at = {name: torch.tensor(p, dtype=torch.float32) for name, p in REST.items()}
    at["chest"] = torch.tensor([0, 0.24 * math.cos(lean), 0.24 * math.sin(lean)])
    at["neck"] = torch.tensor([0, 0.46 * math.cos(lean), 0.46 * math.sin(lean)])
    for i, side in enumerate(("right", "left")):
        sign = -1 if side == "right" else 1
        knee = at[f"{side}_hip"] + _swing(THIGH, hips[i])
        at[f"{side}_knee"] = knee
        at[f"{side}_ankle"] = knee + _swing(SHIN, hips[i] - knees[i])
        shoulder = at[f"{side}_shoulder"] + torch.tensor([0, 0, 0.45 * math.sin(lean)])
        at[f"{side}_shoulder"] = shoulder
        elbow = shoulder + _swing(UPPER_ARM, shoulders[i], sign * arms_out)
        at[f"{side}_elbow"] = elbow
        at[f"{side}_wrist"] = elbow + _swing(FOREARM, shoulders[i] + elbows[i], sign * arms_out)
    return torch.stack([at[name] for name in skeleton.JOINTS])


def walk(frames: int) -> torch.Tensor:
    """One stride per second: legs swing in antiphase, arms against them. → (frames, 15, 3)"""
    poses = []
    for f in range(frames):
        phase = 2 * math.pi * f / FPS
        hip = (0.45 * math.sin(phase), -0.45 * math.sin(phase))
        knee = (0.7 * max(0.0, math.sin(phase - 1.2)) + 0.1, 0.7 * max(0.0, -math.sin(phase - 1.2)) + 0.1)
        poses.append(_pose(hip, knee, (-0.4 * math.sin(phase), 0.4 * math.sin(phase)), (0.35, 0.35), lean=0.05))
    return torch.stack(poses)


def kick(frames: int) -> torch.Tensor:
    """The right leg chambers, kicks forward and comes back; the arms guard. → (frames, 15, 3)"""
    poses = []
    for f in range(frames):
        u = math.sin(math.pi * f / max(1, frames - 1))  # 0 → 1 → 0
        snap = max(0.0, math.sin(math.pi * (2 * f / max(1, frames - 1) - 0.5)))  # extends mid-kick
        poses.append(_pose((1.4 * u, -0.1 * u), (1.6 * u * (1 - snap), 0.25 * u), (0.9, 1.1), (1.3, 1.4),
                           lean=-0.25 * u, arms_out=0.35))
    return torch.stack(poses)


def _to_camera(joints: torch.Tensor, azimuth: torch.Tensor, elevation: torch.Tensor) -> torch.Tensor:
    """training/pose_cameras.py's camera: p_camera = R_x(elevation) · R_y(−azimuth) · (p − p_pelvis)."""
    ca, sa, ce, se = azimuth.cos(), azimuth.sin(), elevation.cos(), elevation.sin()
    p = joints - joints[:, :1]
    x = ca[:, None] * p[..., 0] - sa[:, None] * p[..., 2]
    z1 = sa[:, None] * p[..., 0] + ca[:, None] * p[..., 2]
    y = ce[:, None] * p[..., 1] - se[:, None] * z1
    z = se[:, None] * p[..., 1] + ce[:, None] * z1
    return torch.stack([x, y, z], -1)


def held_out(seed: int = 0) -> dict[str, torch.Tensor]:
    """The two clips, each frame through its own random camera (as the real checkpoints ship them)."""
    clips = [walk(2 * FPS), kick(FPS)]
    joints = torch.cat(clips)
    g = torch.Generator().manual_seed(seed)
    azimuth = torch.rand(len(joints), generator=g) * 2 * math.pi
    elevation = torch.deg2rad(-10 + 40 * torch.rand(len(joints), generator=g))
    seen = _to_camera(joints, azimuth, elevation)
    return {
        "test_joints2d": seen[..., :2].contiguous(), "test_joints3d": seen.contiguous(),
        "test_clip": torch.cat([torch.full((len(c),), i) for i, c in enumerate(clips)]),
        "test_frame": torch.cat([torch.arange(len(c)) for c in clips]),
        "test_camera_deg": torch.rad2deg(torch.stack([azimuth, elevation], -1)),
    }


def write_tiny_pose_pair(folder: Path) -> Path:
    """`tiny-pose` (K = 3) and its unimodal twin `tiny-pose-unimodal` (K = 1), random weights."""
    extras = held_out()
    for model_id, k in ((MODEL, 3), (TWIN, 1)):
        torch.manual_seed(k)
        model = PoseMDN(PoseMDNConfig(components=k, width=16, blocks=1)).eval()
        with torch.no_grad():  # metres in and out of about a person's size (one target scale: the kind asks so)
            model.input_std.fill_(0.3)
            model.target_std.fill_(0.15)
        joints = skeleton.N_JOINTS
        save_checkpoint(folder / model_id, Checkpoint(model, {
            "id": model_id, "kind": "pose", "title": f"tiny pose MDN, K = {k}", "description": "random weights",
            "metrics": {}, "config": model.config.to_dict(), "input_dim": 2 * joints, "output_dim": joints - 1,
            "components": k, "input_range": [[-1.0, 1.0]] * (2 * joints), "output_range": [[-1.0, 1.0]] * (joints - 1),
            "joints": list(skeleton.JOINTS), "parents": list(skeleton.PARENTS),
            "bones": [list(b) for b in skeleton.BONES], "cameras": CAMERAS, "test_clips": ["walk", "kick"],
            **({"baseline": TWIN} if model_id == MODEL else {})}, extras))
    return folder


if __name__ == "__main__":
    print(pose_checkpoints(Path(sys.argv[1])))
