"""Fréchet distance between two sets of feature vectors (Heusel et al. 2017, the "F" of FID):

    d² = ‖μ_a − μ_b‖² + tr(Σ_a + Σ_b − 2 (Σ_a Σ_b)^{1/2})

between Gaussians fitted to the rows. tr (Σ_a Σ_b)^{1/2} is computed as the sum of the square
roots of the eigenvalues of the symmetric PSD matrix Σ_a^{1/2} Σ_b Σ_a^{1/2} (same eigenvalues as
Σ_a Σ_b), so no general matrix square root (scipy.linalg.sqrtm) is needed.

The estimate is biased upwards for finite samples: compare a model's figure only with a floor
measured between two real samples of the same size."""

from __future__ import annotations

import torch


def _psd_sqrt(c: torch.Tensor) -> torch.Tensor:
    values, vectors = torch.linalg.eigh(c)
    return (vectors * values.clamp(min=0).sqrt()) @ vectors.T


def frechet_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """a: (N, D), b: (M, D) feature rows → the squared Fréchet distance of their Gaussian fits."""
    a, b = a.double(), b.double()
    mu_a, mu_b = a.mean(0), b.mean(0)
    cov_a, cov_b = torch.cov(a.T), torch.cov(b.T)
    root_a = _psd_sqrt(cov_a)
    middle = root_a @ cov_b @ root_a
    trace_sqrt = torch.linalg.eigvalsh((middle + middle.T) / 2).clamp(min=0).sqrt().sum()
    return ((mu_a - mu_b).pow(2).sum() + cov_a.trace() + cov_b.trace() - 2 * trace_sqrt).item()
