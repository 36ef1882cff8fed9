"""The 15-joint human skeleton of the pose model: joint names, the parent of each, the bones, and
which joint is which on the other side of the body. Plain Python (no torch, no numpy), so that the
data pipeline, the model and a torch-free server all read the same facts from one place.

The joints are the joint origins of DeepMimic's humanoid (pybullet_data/humanoid/humanoid.urdf):
the root link's origin is the pelvis; each other joint sits where its link hangs from its parent.
Coordinates everywhere are metres with y up (DeepMimic's world frame, and the camera frame's
x right, y up, z towards the camera)."""

from __future__ import annotations

JOINTS: tuple[str, ...] = (
    "pelvis", "chest", "neck",
    "right_hip", "right_knee", "right_ankle",
    "right_shoulder", "right_elbow", "right_wrist",
    "left_hip", "left_knee", "left_ankle",
    "left_shoulder", "left_elbow", "left_wrist",
)
N_JOINTS = len(JOINTS)
INDEX: dict[str, int] = {name: i for i, name in enumerate(JOINTS)}
ROOT = 0  # the pelvis: every pose is given relative to it

_PARENT_NAMES = {
    "chest": "pelvis", "neck": "chest",
    "right_hip": "pelvis", "right_knee": "right_hip", "right_ankle": "right_knee",
    "right_shoulder": "chest", "right_elbow": "right_shoulder", "right_wrist": "right_elbow",
    "left_hip": "pelvis", "left_knee": "left_hip", "left_ankle": "left_knee",
    "left_shoulder": "chest", "left_elbow": "left_shoulder", "left_wrist": "left_elbow",
}
# PARENTS[j] < j for every joint but the root (−1): a single pass in joint order visits parents first.
PARENTS: tuple[int, ...] = tuple(-1 if name == "pelvis" else INDEX[_PARENT_NAMES[name]] for name in JOINTS)
# One bone per non-root joint, (parent, child), in joint order: BONES[b] ends at joint b + 1.
BONES: tuple[tuple[int, int], ...] = tuple((PARENTS[j], j) for j in range(1, N_JOINTS))
BONE_NAMES: tuple[str, ...] = tuple(f"{JOINTS[p]}-{JOINTS[c]}" for p, c in BONES)

# The joint on the other side of the body (itself on the midline): mirroring a pose swaps them.
MIRROR: tuple[int, ...] = tuple(
    INDEX[name.replace("right_", "left_")] if name.startswith("right_")
    else INDEX[name.replace("left_", "right_")] if name.startswith("left_")
    else INDEX[name]
    for name in JOINTS
)


def chain(joint: int) -> list[int]:
    """The joints from the root down to `joint`, both included."""
    path = [joint]
    while PARENTS[path[-1]] >= 0:
        path.append(PARENTS[path[-1]])
    return path[::-1]
