"""Seeded toy data for the mixture density networks (Bishop PRML §5.6)."""

from __future__ import annotations

import math

import torch

from models.kinematics import ArmGeometry, forward_kinematics


def inverse_sine(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Bishop's inverse problem: t ~ U(0, 1), x = t + 0.3 sin(2πt) + U(−0.1, 0.1); learn p(t|x).

    The forward map t → x is a function; its inverse is three-valued for x in about (0.3, 0.7).
    → x (n, 1), t (n, 1)"""
    g = torch.Generator().manual_seed(seed)
    t = torch.rand(n, 1, generator=g)
    x = t + 0.3 * torch.sin(2 * math.pi * t) + (torch.rand(n, 1, generator=g) * 0.2 - 0.1)
    return x, t


def robot_arm(n: int, seed: int, arm: ArmGeometry) -> tuple[torch.Tensor, torch.Tensor]:
    """Uniform joint angles in the stated ranges; x = end effector, t = (θ1, θ2). → x (n, 2), t (n, 2)"""
    g = torch.Generator().manual_seed(seed)
    u = torch.rand(n, 2, generator=g)
    lo = torch.tensor([arm.theta1_range[0], arm.theta2_range[0]])
    hi = torch.tensor([arm.theta1_range[1], arm.theta2_range[1]])
    theta = lo + u * (hi - lo)
    return forward_kinematics(theta, arm), theta


def inverse_sine_best_nll(x: torch.Tensor, grid: int = 1_000_001) -> float:
    """The lowest mean test NLL any model can reach on Bishop's inverse problem, at these x.

    t ~ U(0, 1) and x − g(t) ~ U(−0.1, 0.1) with g(t) = t + 0.3 sin(2πt), so the joint density is
    constant on {|x − g(t)| < 0.1} and p(t|x) is uniform on S(x) = {t ∈ [0, 1] : |x − g(t)| < 0.1}:
    −log p(t|x) = log |S(x)|. |S(x)| is the share of a fine t grid whose g(t) falls in
    (x − 0.1, x + 0.1), counted by binary search in the sorted g values. → mean over x of log |S(x)|"""
    t = torch.linspace(0, 1, grid, dtype=torch.float64)
    g = torch.sort(t + 0.3 * torch.sin(2 * math.pi * t)).values
    x = x.double().view(-1)
    inside = torch.searchsorted(g, x + 0.1) - torch.searchsorted(g, x - 0.1, right=True)
    return torch.log(inside.double() / grid).mean().item()


def inverse_sine_interval_counts(x: torch.Tensor, grid: int = 100_001) -> torch.Tensor:
    """How many separate intervals S(x) = {t : |x − g(t)| < 0.1} is at each x (0 outside the data).

    g rises to 0.593 at t ≈ 0.339 and falls to 0.407 at t ≈ 0.661, so its middle branch spans 0.186
    in x, less than the noise's width 0.2: a window of x ± 0.1 always reaches past one end of it and
    joins it to an outer branch. S(x) is one or two intervals, never three. → (N,) int"""
    t = torch.linspace(0, 1, grid, dtype=torch.float64)
    g = t + 0.3 * torch.sin(2 * math.pi * t)
    inside = (x.double().view(-1, 1) - g[None, :]).abs() < 0.1  # (N, grid)
    starts = inside[:, 1:] & ~inside[:, :-1]
    return starts.sum(dim=1) + inside[:, 0].long()
