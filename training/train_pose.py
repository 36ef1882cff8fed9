"""Training of the 3-D pose MDN on motion-capture poses seen through random orthographic cameras."""

from __future__ import annotations

import numpy as np
import torch

from models import skeleton
from models.checkpoint import Checkpoint
from models.pose_mdn import PoseMDN, PoseMDNConfig, centre, pose_loss, raw_target
from training.loop import train_epochs
from training.pose_cameras import CameraRanges, PoseSplit, held_out_views, mirror, random_views, split_by_clip
from training.poses import Poses
from training.recipes import Recipe


def training_poses(split: PoseSplit, with_mirror: bool) -> torch.Tensor:
    """The training clips' world poses (N, 15, 3) float32, with their mirror images after them."""
    poses = np.concatenate([split.train, mirror(split.train)]) if with_mirror else split.train
    return torch.as_tensor(poses, dtype=torch.float32)


def train_pose_model(config: PoseMDNConfig, recipe: Recipe, poses: torch.Tensor, show_progress: bool = True,
                     desc: str | None = None) -> tuple[PoseMDN, list[float]]:
    """Each epoch shows every training pose once, through a fresh random camera (drawn from torch's
    global generator, which train_epochs seeds: a rerun gives the same bytes)."""
    data = recipe.data
    ranges = CameraRanges(**{k: tuple(v) for k, v in data["cameras"].items()})
    torch.manual_seed(recipe.seed)
    model = PoseMDN(config)
    # The z-scoring from a fixed set of views of the training poses (not the test clips).
    g = torch.Generator().manual_seed(recipe.seed)
    model.set_normalisation(*random_views(poses.repeat(data["normalisation_views"], 1, 1), ranges, g))
    history = train_epochs(
        model, lambda m, batch: pose_loss(m, *random_views(batch, ranges), recipe.dirichlet_lambda), (poses,),
        epochs=recipe.epochs, batch_size=recipe.batch_size, lr=recipe.lr, seed=recipe.seed,
        weight_decay=recipe.weight_decay, desc=desc or recipe.id, show_progress=show_progress,
    )
    return model, history


def pose_data_meta(recipe: Recipe, poses: Poses, split: PoseSplit) -> dict:
    """What meta.json "data" records: the files and their licence, the cameras, the split."""
    return {
        **poses.info,
        "cameras": {**recipe.data["cameras"], "projection": "orthographic",
                    "frame": "x right, y up, z towards the camera; pelvis at the origin; metres"},
        "train_clips": split.train_clips,
        "test_clips": split.test_clips,
        "n_train_frames": len(split.train),
        "n_test_frames": len(split.test),
        "mirrored_training_poses": recipe.data["mirror"],
        "test_views_per_frame": recipe.data["test_views"],
        "test_seed": recipe.data["test_seed"],
    }


def train_pose(recipe: Recipe, poses: Poses, show_progress: bool = True) -> tuple[Checkpoint, list[float], dict]:
    """→ the checkpoint (meta: the skeleton; extras: one view of every held-out pose), the loss per
    epoch, and the data's description for meta.json."""
    split = split_by_clip(poses, recipe.data["test_clips"])
    train = training_poses(split, recipe.data["mirror"])
    model, history = train_pose_model(recipe.config, recipe, train, show_progress)
    ranges = CameraRanges(**{k: tuple(v) for k, v in recipe.data["cameras"].items()})
    shown = held_out_views(split, ranges, recipe.data["test_views"], recipe.data["test_seed"]).first_view(len(split.test))
    meta = {
        **pose_facts(recipe, train, ranges, split),
        "components": recipe.config.components,
        "joints": list(skeleton.JOINTS),
        "parents": list(skeleton.PARENTS),
        "bones": [list(b) for b in skeleton.BONES],
        "units": "metres",
        "extras": {
            "test_joints2d": "(N, 15, 2) float32: the input, pelvis-centred camera x, y",
            "test_joints3d": "(N, 15, 3) float32: the truth in the same camera frame",
            "test_clip": "(N,) int64: index into data.test_clips",
            "test_frame": "(N,) int64: frame index within its clip",
            "test_camera_deg": "(N, 2) float32: azimuth, elevation of the camera",
        },
    }
    extras = {"test_joints2d": shown.joints2d, "test_joints3d": shown.joints3d, "test_clip": shown.clip,
              "test_frame": shown.frame, "test_camera_deg": shown.camera_deg}
    return Checkpoint(model=model, meta=meta, extras=extras), history, pose_data_meta(recipe, poses, split)


BASELINE_ID = "pose-unimodal"  # the pose model's unimodal twin, shipped beside it for the page


def pose_facts(recipe: Recipe, train: torch.Tensor, ranges: CameraRanges, split: PoseSplit) -> dict:
    """What the server checks and shows of a pose model (app/kinds/poses.py): its input and target
    sizes, their ranges over the views the z-scoring used (the training poses, never the test
    clips), the cameras, the held-out clips and the id of its unimodal twin."""
    config = recipe.config
    g = torch.Generator().manual_seed(recipe.seed)
    joints2d, joints3d = random_views(train.repeat(recipe.data["normalisation_views"], 1, 1), ranges, g)
    x, t = centre(joints2d).flatten(1), raw_target(joints3d, config.target)
    span = lambda a: [[lo, hi] for lo, hi in zip(a.min(0).values.tolist(), a.max(0).values.tolist())]  # noqa: E731
    return {
        "input_dim": config.input_dim, "output_dim": config.output_dim, "input_range": span(x), "output_range": span(t),
        "cameras": {**recipe.data["cameras"], "projection": "orthographic"},
        "test_clips": split.test_clips, "baseline": BASELINE_ID,
    }
