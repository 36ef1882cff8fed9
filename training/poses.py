"""Real motion capture as 3-D joint positions: DeepMimic's humanoid clips through forward kinematics.

The files (`latent-explorer data poses`, training/datasets.py) are DeepMimic's motion clips (Peng,
Abbeel, Levine & van de Panne, "DeepMimic", SIGGRAPH 2018: retargeted from motion-capture
recordings onto one simulated humanoid) and that humanoid's URDF, as pybullet 3.2.7 ships them
(zlib licence). A clip is JSON: {"Loop": …, "Frames": [[duration, root x y z, root quaternion
w x y z, chest (4), neck (4), right hip (4), right knee (1), right ankle (4), right shoulder (4),
right elbow (1), left hip (4), left knee (1), left ankle (4), left shoulder (4), left elbow (1)], …]}:
quaternions (w, x, y, z) for ball joints, one angle (radians) for the hinges.

Forward kinematics, with every URDF joint origin scaled by 0.25 as DeepMimic's pybullet
environment loads the humanoid (globalScaling=0.25: metres, thigh ≈ 0.42 m); y is up:
    R_j = R_parent(j) · R_local,j          (a link turns with its parent, then by its own joint)
    p_j = p_parent(j) + R_parent(j) · o_j  (o_j: the joint's origin in its parent link's frame)
with R_root, p_root the root quaternion and position; all URDF joint origins have rpy = 0."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from models import skeleton
from training.datasets import POSES, DataError, dataset_dir, sha256_of, verify

URDF = "humanoid.urdf"
SCALE = 0.25  # DeepMimic's pybullet environment: loadURDF(..., globalScaling=0.25)
# The joints a frame holds, in order after duration (1), root position (3) and root quaternion (4).
FRAME_JOINTS = ("chest", "neck", "right_hip", "right_knee", "right_ankle", "right_shoulder", "right_elbow",
                "left_hip", "left_knee", "left_ankle", "left_shoulder", "left_elbow")
HINGES = {"right_knee", "right_elbow", "left_knee", "left_elbow"}  # one angle each; the rest are ball joints
FRAME_LENGTH = 8 + sum(1 if j in HINGES else 4 for j in FRAME_JOINTS)  # 44
PROVENANCE = {
    "motion": "DeepMimic humanoid clips (Peng et al., SIGGRAPH 2018), retargeted from motion-capture recordings",
    "licence": "zlib (pybullet 3.2.7, pybullet-3.2.7.dist-info/LICENSE.txt, shipped beside the clips)",
    "skeleton": "pybullet_data/humanoid/humanoid.urdf at scale 0.25; 15 joints, y up, metres",
}


@dataclass(frozen=True)
class Humanoid:
    """The skeleton's geometry as the URDF states it, in models.skeleton's joint order."""

    offsets: np.ndarray  # (15, 3) each joint's origin in its parent link's frame, metres (row 0 unused)
    hinge_axes: dict[str, np.ndarray]  # hinge name → unit axis (3,) in its own frame


@dataclass
class Poses:
    """Every frame of every clip as world positions of the 15 joints."""

    joints: np.ndarray  # (N, 15, 3) float64, metres, y up
    clip: np.ndarray  # (N,) int64 index into clips
    frame: np.ndarray  # (N,) int64 frame index within its clip
    clips: list[str]  # clip names ("walk", "kick", …), sorted
    info: dict  # source, sha256 of each file, licence: recorded in meta.json


def read_urdf(path: Path, scale: float = SCALE) -> Humanoid:
    """The joint origins and hinge axes of the humanoid URDF; checks its tree is models.skeleton's."""
    # pybullet's copy ends in a NUL byte after </robot>, which XML parsers refuse.
    root = ET.fromstring(Path(path).read_bytes().rstrip(b"\0\r\n\t "))
    found = {}
    for joint in root.iter("joint"):
        origin = joint.find("origin")
        xyz = [float(v) for v in (origin.get("xyz") if origin is not None else "0 0 0").split()]
        rpy = [float(v) for v in (origin.get("rpy") if origin is not None else "0 0 0").split()]
        if any(rpy):
            raise ValueError(f"{path}: joint {joint.get('name')} has rpy {rpy}; only rpy = 0 is supported")
        axis = joint.find("axis")
        found[joint.get("name")] = {
            "type": joint.get("type"),
            "parent": joint.find("parent").get("link"),
            "child": joint.find("child").get("link"),
            "xyz": np.array(xyz) * scale,
            "axis": np.array([float(v) for v in axis.get("xyz").split()]) if axis is not None else None,
        }
    link = {j: "root" if name == "pelvis" else name for j, name in enumerate(skeleton.JOINTS)}  # URDF link of each
    offsets = np.zeros((skeleton.N_JOINTS, 3))
    axes = {}
    for j in range(1, skeleton.N_JOINTS):
        name = skeleton.JOINTS[j]
        if name not in found:
            raise ValueError(f"{path}: no joint named {name!r}")
        spec = found[name]
        if spec["parent"] != link[skeleton.PARENTS[j]] or spec["child"] != link[j]:
            raise ValueError(f"{path}: joint {name!r} joins {spec['parent']}→{spec['child']}, "
                             f"expected {link[skeleton.PARENTS[j]]}→{link[j]}")
        offsets[j] = spec["xyz"]
        if name in HINGES:
            if spec["type"] != "revolute" or spec["axis"] is None:
                raise ValueError(f"{path}: {name!r} should be a revolute joint with an axis")
            axes[name] = spec["axis"] / np.linalg.norm(spec["axis"])
    return Humanoid(offsets=offsets, hinge_axes=axes)


def read_clip(path: Path) -> np.ndarray:
    """A DeepMimic motion file → its frames (F, 44) float64."""
    frames = np.asarray(json.loads(Path(path).read_text())["Frames"], dtype=np.float64)
    if frames.ndim != 2 or frames.shape[1] != FRAME_LENGTH:
        raise ValueError(f"{path}: frames of shape {frames.shape}, expected (F, {FRAME_LENGTH})")
    return frames


def quaternion_matrix(q: np.ndarray) -> np.ndarray:
    """Unit quaternions (…, 4) as (w, x, y, z) → rotation matrices (…, 3, 3). Normalised first:
    the files round to six decimals."""
    q = q / np.linalg.norm(q, axis=-1, keepdims=True)
    w, x, y, z = np.moveaxis(q, -1, 0)
    return np.stack([
        np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
        np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
        np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
    ], -2)


def axis_angle_matrix(axis: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotation by `angle` (…,) about the unit `axis` (3,) → (…, 3, 3) (Rodrigues)."""
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    s, c = np.sin(angle)[..., None, None], np.cos(angle)[..., None, None]
    return np.eye(3) + s * k + (1 - c) * (k @ k)


def local_rotations(frames: np.ndarray, humanoid: Humanoid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Frames (F, 44) → root position (F, 3), root rotation (F, 3, 3), each joint's rotation relative
    to its parent link (F, 15, 3, 3) (identity for the fixed wrists; row 0 unused)."""
    n = len(frames)
    local = np.broadcast_to(np.eye(3), (n, skeleton.N_JOINTS, 3, 3)).copy()
    col = 8
    for name in FRAME_JOINTS:
        j = skeleton.INDEX[name]
        if name in HINGES:
            local[:, j] = axis_angle_matrix(humanoid.hinge_axes[name], frames[:, col])
            col += 1
        else:
            local[:, j] = quaternion_matrix(frames[:, col : col + 4])
            col += 4
    return frames[:, 1:4], quaternion_matrix(frames[:, 4:8]), local


def forward_kinematics(frames: np.ndarray, humanoid: Humanoid) -> np.ndarray:
    """Frames (F, 44) → world positions of the 15 joints (F, 15, 3), metres, y up."""
    root_position, root_rotation, local = local_rotations(frames, humanoid)
    n = len(frames)
    rotation = np.zeros((n, skeleton.N_JOINTS, 3, 3))
    position = np.zeros((n, skeleton.N_JOINTS, 3))
    rotation[:, 0], position[:, 0] = root_rotation, root_position
    for j in range(1, skeleton.N_JOINTS):  # parents come first (models/skeleton.py)
        p = skeleton.PARENTS[j]
        position[:, j] = position[:, p] + rotation[:, p] @ humanoid.offsets[j]
        rotation[:, j] = rotation[:, p] @ local[:, j]
    return position


def clip_files(directory: Path) -> list[Path]:
    return sorted(Path(directory).glob("humanoid3d_*.txt"))


def clip_name(path: Path) -> str:
    return path.stem.removeprefix("humanoid3d_")


def load_poses(directory: Path | None = None) -> Poses:
    """Every frame of every clip as joint positions: from `directory` (any humanoid3d_*.txt clips
    beside a humanoid.urdf; `info` records their sha256 and whether they are the pinned files), or
    from the verified cache that `latent-explorer data poses` fills (DataError says what to run)."""
    if directory is None:
        directory = dataset_dir("poses")
        verify(POSES, directory)
    directory = Path(directory)
    files = clip_files(directory)
    if not (directory / URDF).exists() or not files:
        raise DataError(f"{directory}: no {URDF} beside humanoid3d_*.txt clips; run `latent-explorer data poses` "
                        f"(or {POSES.another_way})")
    humanoid = read_urdf(directory / URDF)
    joints, clip, frame = [], [], []
    for c, path in enumerate(files):
        positions = forward_kinematics(read_clip(path), humanoid)
        joints.append(positions)
        clip.append(np.full(len(positions), c))
        frame.append(np.arange(len(positions)))
    clips = [clip_name(p) for p in files]
    hashes = {p.name: sha256_of(p) for p in [directory / URDF, *files]}
    pinned = {name: sha for name, (sha, _) in POSES.files.items() if name != "LICENSE.txt"}
    counts = {name: len(j) for name, j in zip(clips, joints)}
    info = {
        "dataset": "poses",
        "title": POSES.title,
        "source": POSES.source if hashes == pinned else f"clips and URDF in {directory}",
        **PROVENANCE,
        "files_sha256": hashes,
        "files_match_pinned": hashes == pinned,
        "frames_per_clip": counts,
        "n_frames": sum(counts.values()),
    }
    return Poses(np.concatenate(joints), np.concatenate(clip), np.concatenate(frame), clips, info)


def bone_lengths(joints: np.ndarray) -> np.ndarray:
    """(…, 15, 3) → the 14 bone lengths (…, 14), in models.skeleton.BONES order."""
    parents, children = zip(*skeleton.BONES)
    return np.linalg.norm(joints[..., list(children), :] - joints[..., list(parents), :], axis=-1)


def summary(poses: Poses) -> str:
    lengths = bone_lengths(poses.joints)
    spread = float((lengths.max(0) - lengths.min(0)).max())
    return (f"{len(poses.joints):,} frames in {len(poses.clips)} clips → 15 joints each; bone lengths "
            f"{lengths.mean(0).min():.3f}–{lengths.mean(0).max():.3f} m, constant to {spread:.1e} m over every frame")
