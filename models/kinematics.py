"""Kinematics of a planar two-link arm (Bishop PRML §5.6, Fig. 5.18): the forward map from joint
angles to the end effector, and its two-valued inverse, which is why the arm needs a mixture."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch


@dataclass
class ArmGeometry:
    """A planar two-link arm (PRML Fig. 5.18): link lengths and the sampled joint-angle ranges.

    With θ2 in (π/2, 3π/2) the elbow bends either way, so most reachable targets have two
    solutions (elbow up and elbow down) inside the training domain."""

    l1: float = 0.8
    l2: float = 0.2
    theta1_range: tuple[float, float] = (0.3, 1.2)
    theta2_range: tuple[float, float] = (math.pi / 2, 3 * math.pi / 2)

    def to_dict(self) -> dict:
        return asdict(self)


def forward_kinematics(theta: torch.Tensor, arm: ArmGeometry) -> torch.Tensor:
    """Joint angles (…, 2) → end effector (…, 2): x1 = L1 cos θ1 − L2 cos(θ1 + θ2), x2 = L1 sin θ1 − L2 sin(θ1 + θ2)."""
    t1, t2 = theta[..., 0], theta[..., 1]
    x1 = arm.l1 * torch.cos(t1) - arm.l2 * torch.cos(t1 + t2)
    x2 = arm.l1 * torch.sin(t1) - arm.l2 * torch.sin(t1 + t2)
    return torch.stack([x1, x2], dim=-1)


def elbow(theta: torch.Tensor, arm: ArmGeometry) -> torch.Tensor:
    """Position of the joint between the links. (…, 2) → (…, 2)"""
    return torch.stack([arm.l1 * torch.cos(theta[..., 0]), arm.l1 * torch.sin(theta[..., 0])], dim=-1)


def inverse_kinematics(target: torch.Tensor, arm: ArmGeometry) -> tuple[torch.Tensor, torch.Tensor]:
    """Both analytic solutions for end-effector targets (…, 2) → angles (…, 2, 2) and reachable (…,).

    cos θ2 = (L1² + L2² − ‖x‖²) / (2 L1 L2) gives θ2 = acos(·) or 2π − acos(·) (the elbow on either
    side); then θ1 = atan2(x2, x1) − atan2(−L2 sin θ2, L1 − L2 cos θ2). Unreachable targets get NaN."""
    r2 = target.pow(2).sum(-1)
    c = (arm.l1**2 + arm.l2**2 - r2) / (2 * arm.l1 * arm.l2)
    reachable = c.abs() <= 1
    a = torch.acos(c.clamp(-1, 1))
    solutions = []
    for t2 in (a, 2 * math.pi - a):
        t1 = torch.atan2(target[..., 1], target[..., 0]) - torch.atan2(
            -arm.l2 * torch.sin(t2), arm.l1 - arm.l2 * torch.cos(t2)
        )
        t1 = torch.remainder(t1 + math.pi, 2 * math.pi) - math.pi  # into (−π, π]
        solutions.append(torch.stack([t1, t2], dim=-1))
    angles = torch.stack(solutions, dim=-2)
    angles[~reachable] = float("nan")
    return angles, reachable


def in_training_domain(theta: torch.Tensor, arm: ArmGeometry) -> torch.Tensor:
    """Whether joint angles (…, 2) lie inside the sampled ranges. → (…,) bool"""
    (a1, b1), (a2, b2) = arm.theta1_range, arm.theta2_range
    return (theta[..., 0] >= a1) & (theta[..., 0] <= b1) & (theta[..., 1] >= a2) & (theta[..., 1] <= b2)
