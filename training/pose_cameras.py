"""What an orthographic camera sees of a 3-D pose, and the held-out split of the pose data.

A camera sits at an azimuth around the vertical (y) axis and an elevation above the horizon and
looks at the pelvis. Its frame: x right, y up, z towards the camera, so
    p_camera = R_x(elevation) · R_y(−azimuth) · (p_world − p_pelvis)
(R_y(−azimuth) turns the camera's side to the front, +z; R_x(elevation) tilts it up). The 2-D
input is (x, y) of the 15 joints, the 3-D answer (x, y, z): an orthographic camera keeps metres and
loses only depth, so each bone's depth change is fixed up to its sign."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import torch

from models import skeleton
from training.poses import Poses


@dataclass(frozen=True)
class CameraRanges:
    """Uniform ranges the cameras are drawn from, degrees."""

    azimuth_deg: tuple[float, float] = (0.0, 360.0)  # every side of the body
    elevation_deg: tuple[float, float] = (-10.0, 30.0)  # from a little below the hips to well above the head

    def to_dict(self) -> dict:
        return {k: list(v) for k, v in asdict(self).items()}


def camera_rotation(azimuth: torch.Tensor, elevation: torch.Tensor) -> torch.Tensor:
    """R_x(elevation) · R_y(−azimuth), radians (B,) → (B, 3, 3): world → camera frame."""
    ca, sa, ce, se = torch.cos(azimuth), torch.sin(azimuth), torch.cos(elevation), torch.sin(elevation)
    zero, one = torch.zeros_like(ca), torch.ones_like(ca)
    r_y = torch.stack([torch.stack([ca, zero, -sa], -1), torch.stack([zero, one, zero], -1),
                       torch.stack([sa, zero, ca], -1)], -2)  # R_y(−a)
    r_x = torch.stack([torch.stack([one, zero, zero], -1), torch.stack([zero, ce, -se], -1),
                       torch.stack([zero, se, ce], -1)], -2)
    return r_x @ r_y


def to_camera(joints: torch.Tensor, azimuth: torch.Tensor, elevation: torch.Tensor) -> torch.Tensor:
    """World joints (B, 15, 3) → pelvis-centred camera-frame joints (B, 15, 3)."""
    centred = joints - joints[:, skeleton.ROOT : skeleton.ROOT + 1]
    return centred @ camera_rotation(azimuth, elevation).transpose(1, 2)


def random_cameras(n: int, ranges: CameraRanges, generator: torch.Generator | None = None
                   ) -> tuple[torch.Tensor, torch.Tensor]:
    """n cameras drawn uniformly from the ranges → azimuth (n,), elevation (n,), radians."""
    u = torch.rand(n, 2, generator=generator)
    lo = torch.tensor([math.radians(ranges.azimuth_deg[0]), math.radians(ranges.elevation_deg[0])])
    hi = torch.tensor([math.radians(ranges.azimuth_deg[1]), math.radians(ranges.elevation_deg[1])])
    a = lo + u * (hi - lo)
    return a[:, 0], a[:, 1]


def random_views(joints: torch.Tensor, ranges: CameraRanges, generator: torch.Generator | None = None
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """Each world pose (B, 15, 3) through a fresh random camera → 2-D input (B, 15, 2), 3-D truth (B, 15, 3)."""
    seen = to_camera(joints, *random_cameras(len(joints), ranges, generator))
    return seen[..., :2], seen


def mirror(joints: np.ndarray) -> np.ndarray:
    """The pose reflected in a vertical plane, left and right swapped: as valid a pose as the original.
    (…, 15, 3) → (…, 15, 3)"""
    flipped = joints * np.array([1.0, 1.0, -1.0])
    return flipped[..., list(skeleton.MIRROR), :]


@dataclass
class PoseSplit:
    """World poses of the training and test clips."""

    train: np.ndarray  # (N_train, 15, 3)
    test: np.ndarray  # (N_test, 15, 3)
    test_clip: np.ndarray  # (N_test,) index into test_clips
    test_frame: np.ndarray  # (N_test,) frame within its clip
    train_clips: list[str]
    test_clips: list[str]


def split_by_clip(poses: Poses, test_clips: list[str]) -> PoseSplit:
    """Whole clips held out: no frame of a test clip is ever trained on."""
    unknown = set(test_clips) - set(poses.clips)
    if unknown:
        raise ValueError(f"test clips {sorted(unknown)} are not among {poses.clips}")
    test_ids = [poses.clips.index(c) for c in test_clips]
    held_out = np.isin(poses.clip, test_ids)
    remap = {c: i for i, c in enumerate(test_ids)}
    return PoseSplit(
        train=poses.joints[~held_out],
        test=poses.joints[held_out],
        test_clip=np.array([remap[c] for c in poses.clip[held_out]], dtype=np.int64),
        test_frame=poses.frame[held_out],
        train_clips=[c for c in poses.clips if c not in test_clips],
        test_clips=list(test_clips),
    )


@dataclass
class HeldOutViews:
    """Every test pose through `views` seeded cameras: what the metrics are computed on."""

    joints2d: torch.Tensor  # (N·V, 15, 2) the input, metres, pelvis at the origin
    joints3d: torch.Tensor  # (N·V, 15, 3) the truth, camera frame
    clip: torch.Tensor  # (N·V,) int64 index into the split's test_clips
    frame: torch.Tensor  # (N·V,) int64 frame within its clip
    camera_deg: torch.Tensor  # (N·V, 2) azimuth, elevation in degrees

    def first_view(self, n_poses: int) -> HeldOutViews:
        """One view of every test pose (the first camera of each): what the checkpoint ships."""
        return HeldOutViews(*(t[:n_poses] for t in (self.joints2d, self.joints3d, self.clip, self.frame,
                                                 self.camera_deg)))


def held_out_views(split: PoseSplit, ranges: CameraRanges, views: int, seed: int) -> HeldOutViews:
    """The test poses, each seen from `views` cameras drawn from `seed`; view v of pose i is row
    v·N + i, so the first N rows hold one view of every pose."""
    g = torch.Generator().manual_seed(seed)
    joints = torch.as_tensor(split.test, dtype=torch.float32).repeat(views, 1, 1)
    azimuth, elevation = random_cameras(len(joints), ranges, g)
    seen = to_camera(joints, azimuth, elevation)
    return HeldOutViews(
        joints2d=seen[..., :2].contiguous(), joints3d=seen,
        clip=torch.as_tensor(split.test_clip).repeat(views), frame=torch.as_tensor(split.test_frame).repeat(views),
        camera_deg=torch.rad2deg(torch.stack([azimuth, elevation], -1)),
    )
