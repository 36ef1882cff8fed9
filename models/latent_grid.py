"""Lattices over two latent dimensions for the decoded-manifold picture (Kingma & Welling Fig. 4)."""

from __future__ import annotations

import torch

GAUSSIAN = "gaussian"  # unit-square lattice through the inverse Gaussian CDF: covers the prior evenly
LINEAR = "linear"  # evenly spaced over [−span, span]


def axis_values(n: int, mode: str = GAUSSIAN, span: float = 2.0) -> torch.Tensor:
    """n coordinates along one latent axis, increasing. → (n,)"""
    if mode == GAUSSIAN:
        # Cell centres (i + ½)/n of the unit interval, mapped through Φ⁻¹.
        q = (torch.arange(n, dtype=torch.float64) + 0.5) / n
        return (torch.special.ndtri(q)).float()
    if mode == LINEAR:
        return torch.linspace(-span, span, n)
    raise ValueError(f"unknown lattice mode {mode!r}")


def lattice(n: int, mode: str = GAUSSIAN, span: float = 2.0) -> torch.Tensor:
    """n×n points (z_i, z_j) in display order: rows from top (largest z_j) to bottom, columns left
    to right (increasing z_i), so the picture has the orientation of a scatter plot. → (n·n, 2)"""
    v = axis_values(n, mode, span)
    zj, zi = torch.meshgrid(v.flip(0), v, indexing="ij")
    return torch.stack([zi.reshape(-1), zj.reshape(-1)], dim=1)
