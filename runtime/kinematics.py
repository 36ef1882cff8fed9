"""The two-link arm's kinematics (Bishop PRML §5.6, Fig. 5.18) in numpy for the server; the same
formulas as models/kinematics.py (torch, for the training data), compared in tests/runtime."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ArmGeometry:
    """Link lengths and the sampled joint-angle ranges (models.kinematics.ArmGeometry's fields)."""

    l1: float
    l2: float
    theta1_range: tuple[float, float]
    theta2_range: tuple[float, float]


def forward_kinematics(theta: np.ndarray, arm: ArmGeometry) -> np.ndarray:
    """Joint angles (…, 2) → end effector (…, 2): x1 = L1 cos θ1 − L2 cos(θ1 + θ2), x2 = L1 sin θ1 − L2 sin(θ1 + θ2)."""
    t1, t2 = theta[..., 0], theta[..., 1]
    return np.stack([arm.l1 * np.cos(t1) - arm.l2 * np.cos(t1 + t2),
                     arm.l1 * np.sin(t1) - arm.l2 * np.sin(t1 + t2)], axis=-1)


def elbow(theta: np.ndarray, arm: ArmGeometry) -> np.ndarray:
    """Position of the joint between the links. (…, 2) → (…, 2)"""
    return np.stack([arm.l1 * np.cos(theta[..., 0]), arm.l1 * np.sin(theta[..., 0])], axis=-1)


def inverse_kinematics(target: np.ndarray, arm: ArmGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Both analytic solutions for targets (…, 2) → angles (…, 2, 2) and reachable (…,); NaN where
    unreachable. cos θ2 = (L1² + L2² − ‖x‖²) / (2 L1 L2); θ1 = atan2(x2, x1) − atan2(−L2 sin θ2, L1 − L2 cos θ2)."""
    target = np.asarray(target)
    c = (arm.l1**2 + arm.l2**2 - np.square(target).sum(-1)) / (2 * arm.l1 * arm.l2)
    reachable = np.abs(c) <= 1
    a = np.arccos(np.clip(c, -1, 1))
    solutions = []
    for t2 in (a, 2 * math.pi - a):
        t1 = np.arctan2(target[..., 1], target[..., 0]) - np.arctan2(-arm.l2 * np.sin(t2), arm.l1 - arm.l2 * np.cos(t2))
        t1 = np.remainder(t1 + math.pi, 2 * math.pi) - math.pi  # into (−π, π]
        solutions.append(np.stack([t1, t2], axis=-1))
    angles = np.stack(solutions, axis=-2)
    angles[~reachable] = np.nan
    return angles, reachable


def in_training_domain(theta: np.ndarray, arm: ArmGeometry) -> np.ndarray:
    """Whether joint angles (…, 2) lie inside the sampled ranges. → (…,) bool"""
    (a1, b1), (a2, b2) = arm.theta1_range, arm.theta2_range
    return (theta[..., 0] >= a1) & (theta[..., 0] <= b1) & (theta[..., 1] >= a2) & (theta[..., 1] <= b2)
