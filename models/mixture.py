"""A Gaussian mixture p(t) = Σ_k π_k N(t | μ_k, σ_k² I) as an MDN produces it in torch (Bishop PRML
§5.6.2), the log-density the training loss uses, and sampling. Every function takes a batch: shapes
(B, K) for π and σ, (B, K, L) for μ. The queries the server answers (density on a grid, modes) are
numpy, in runtime/mixture.py; log_density and modes here hand a torch mixture to them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from runtime import mixture as queries

Array = torch.Tensor | np.ndarray


@dataclass
class Mixture:
    """As the network made it (torch tensors). mean, variance and most_probable_kernel_mean take it or
    runtime.mixture.Mixture (numpy) and answer in kind."""

    log_pi: Array  # (B, K) log mixing coefficients
    log_sigma: Array  # (B, K) log of each kernel's isotropic standard deviation
    mu: Array  # (B, K, L) kernel centres

    @property
    def pi(self) -> Array:
        return _exp(self.log_pi)

    @property
    def sigma(self) -> Array:
        return _exp(self.log_sigma)

    def numpy(self) -> queries.Mixture:
        """A float64 numpy copy (float32 network outputs widen exactly), for runtime.mixture."""
        return queries.Mixture(*(_float64(a) for a in (self.log_pi, self.log_sigma, self.mu)))


def _exp(a: Array) -> Array:
    return a.exp() if isinstance(a, torch.Tensor) else np.exp(a)


def _float64(a: Array) -> np.ndarray:
    return a.detach().numpy().astype(np.float64) if isinstance(a, torch.Tensor) else np.asarray(a, dtype=np.float64)


def log_normal(sq: torch.Tensor, log_sigma: torch.Tensor, l: int) -> torch.Tensor:
    """log N(t | μ, σ² I) in L dimensions from the squared distance ‖t − μ‖² and log σ (broadcast).
    The training loss's form (torch, differentiable); runtime.mixture.log_density is the same formula."""
    return -0.5 * l * math.log(2 * math.pi) - l * log_sigma - 0.5 * sq * torch.exp(-2 * log_sigma)


def log_density(mix: Mixture, points: np.ndarray) -> np.ndarray:
    """log p(t) of every row's mixture at shared points, in float64: points (P, L) → (B, P)."""
    return queries.log_density(mix.numpy(), points)


def modes(mix: Mixture, **options) -> list[np.ndarray]:
    """The local maxima of each row's density, highest first (runtime.mixture.modes). → B arrays (M, L)"""
    return queries.modes(mix.numpy(), **options)


def mean(mix: Mixture) -> Array:
    """Conditional mean E[t|x] = Σ_k π_k μ_k (PRML 5.158). → (B, L)"""
    return (mix.pi[:, :, None] * mix.mu).sum(1)


def variance(mix: Mixture) -> Array:
    """Per-dimension conditional variance Σ_k π_k {σ_k² + (μ_kl − E[t_l|x])²} (PRML 5.160). → (B, L)"""
    m = mean(mix)[:, None, :]
    return (mix.pi[:, :, None] * (mix.sigma[:, :, None] ** 2 + (mix.mu - m) ** 2)).sum(1)


def most_probable_kernel_mean(mix: Mixture) -> Array:
    """μ of the kernel with the largest π: an approximation to the most probable t. → (B, L)"""
    k = mix.log_pi.argmax(1)
    return mix.mu[range(len(k)), k]


def sample(mix: Mixture, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """n draws from each row's mixture: choose a kernel from π, then draw from it. → (B, n, L)"""
    b, k, l = mix.mu.shape
    kernel = torch.multinomial(mix.pi, n, replacement=True, generator=generator)  # (B, n)
    rows = torch.arange(b)[:, None]
    centre = mix.mu[rows, kernel]  # (B, n, L)
    sigma = mix.sigma[rows, kernel].unsqueeze(-1)  # (B, n, 1)
    return centre + sigma * torch.randn(b, n, l, generator=generator)
