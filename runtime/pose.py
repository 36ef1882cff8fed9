"""The pose model's hypotheses from its mixture, in numpy for the server (models/pose_mdn.py's
`hypotheses` is the torch side, compared in tests/runtime): each kernel's mean is one 3-D pose, x and
y from the input (an orthographic camera keeps them), the depths from the kernel."""

from __future__ import annotations

import numpy as np

from runtime import skeleton


def depths_from_target(t: np.ndarray, target: str) -> np.ndarray:
    """Targets in metres (…, 14): each joint's depth relative to the pelvis (target "depth") or each
    bone's depth change (target "bone") → every joint's depth relative to the pelvis (…, 15)."""
    zero = np.zeros_like(t[..., :1])
    if target == "depth":
        return np.concatenate([zero, t], -1)
    z = [zero[..., 0]]
    for j in range(1, skeleton.N_JOINTS):  # parents first: the sum runs down the tree
        z.append(z[skeleton.PARENTS[j]] + t[..., j - 1])
    return np.stack(z, -1)


def hypotheses(log_pi: np.ndarray, mu: np.ndarray, joints2d: np.ndarray, target: str) -> tuple[np.ndarray, np.ndarray]:
    """One mixture over the targets in metres, log π (K,) and μ (K, 14), and its pelvis-centred 2-D
    joints (15, 2) → π (K,) and the K poses (K, 15, 3), most probable first (ties in kernel order)."""
    pi = np.exp(log_pi)
    order = np.argsort(-pi, kind="stable")
    depths = depths_from_target(mu[order], target)  # (K, 15)
    xy = np.broadcast_to(joints2d, (len(order), *joints2d.shape))
    return pi[order], np.concatenate([xy, depths[..., None]], -1).astype(np.float32)
