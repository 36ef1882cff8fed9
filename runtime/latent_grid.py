"""Lattices over two latent dimensions for the decoded-manifold picture (Kingma & Welling Fig. 4), in
numpy for the server; models/latent_grid.py is the torch side (training's map), compared in tests/runtime."""

from __future__ import annotations

import functools
from statistics import NormalDist

import numpy as np

GAUSSIAN = "gaussian"  # unit-square lattice through the inverse Gaussian CDF: covers the prior evenly
LINEAR = "linear"  # evenly spaced over [−span, span]


@functools.lru_cache(maxsize=64)
def _gaussian_axis(n: int) -> np.ndarray:
    # Cell centres (i + ½)/n mapped through Φ⁻¹ in float64 (the stdlib's Wichura AS241), then float32.
    inv_cdf = NormalDist().inv_cdf
    values = np.array([inv_cdf((i + 0.5) / n) for i in range(n)], dtype=np.float64).astype(np.float32)
    values.flags.writeable = False  # cached: shared by every request for this n
    return values


def axis_values(n: int, mode: str = GAUSSIAN, span: float = 2.0) -> np.ndarray:
    """n coordinates along one latent axis, increasing, float32. → (n,)"""
    if mode == GAUSSIAN:
        return _gaussian_axis(n)
    if mode == LINEAR:
        # In float64, then rounded once: within one float32 step of torch.linspace's values (tests/runtime).
        return np.linspace(-span, span, n).astype(np.float32)
    raise ValueError(f"unknown lattice mode {mode!r}")


def lattice(n: int, mode: str = GAUSSIAN, span: float = 2.0) -> np.ndarray:
    """n×n points (z_i, z_j) in display order: rows from top (largest z_j) to bottom, columns left
    to right (increasing z_i), so the picture has the orientation of a scatter plot. → (n·n, 2) float32"""
    v = axis_values(n, mode, span)
    zj, zi = np.meshgrid(v[::-1], v, indexing="ij")
    return np.stack([zi.reshape(-1), zj.reshape(-1)], axis=1)
