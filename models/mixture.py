"""What one can ask of a Gaussian mixture p(t) = Σ_k π_k N(t | μ_k, σ_k² I) once an MDN has
produced it (Bishop PRML §5.6.2): its density, mean, variance, most probable kernel, true modes
and samples. Every function takes a batch: shapes (B, K) for π and σ, (B, K, L) for μ."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch


@dataclass
class Mixture:
    log_pi: torch.Tensor  # (B, K) log mixing coefficients
    log_sigma: torch.Tensor  # (B, K) log of each kernel's isotropic standard deviation
    mu: torch.Tensor  # (B, K, L) kernel centres

    @property
    def pi(self) -> torch.Tensor:
        return self.log_pi.exp()

    @property
    def sigma(self) -> torch.Tensor:
        return self.log_sigma.exp()

    def row(self, i: int) -> Mixture:
        return Mixture(self.log_pi[i : i + 1], self.log_sigma[i : i + 1], self.mu[i : i + 1])


def log_normal(sq: torch.Tensor, log_sigma: torch.Tensor, l: int) -> torch.Tensor:
    """log N(t | μ, σ² I) in L dimensions from the squared distance ‖t − μ‖² and log σ (broadcast)."""
    return -0.5 * l * math.log(2 * math.pi) - l * log_sigma - 0.5 * sq * torch.exp(-2 * log_sigma)


def log_density_at(mix: Mixture, points: torch.Tensor) -> torch.Tensor:
    """log p(t) of every row's mixture at shared points: points (P, L) → (B, P)."""
    sq = (points[None, :, None, :] - mix.mu[:, None, :, :]).pow(2).sum(-1)  # (B, P, K)
    log_kernels = log_normal(sq, mix.log_sigma[:, None, :], points.shape[-1])
    return torch.logsumexp(mix.log_pi[:, None, :] + log_kernels, dim=-1)


def mean(mix: Mixture) -> torch.Tensor:
    """Conditional mean E[t|x] = Σ_k π_k μ_k (PRML 5.158). → (B, L)"""
    return (mix.pi.unsqueeze(-1) * mix.mu).sum(1)


def variance(mix: Mixture) -> torch.Tensor:
    """Per-dimension conditional variance Σ_k π_k {σ_k² + (μ_kl − E[t_l|x])²}. → (B, L)

    Summed over l it is PRML's s²(x) = Σ_k π_k {L σ_k² + ‖μ_k − Σ_l π_l μ_l‖²} (5.160, with the
    isotropic kernel's L dimensions counted)."""
    m = mean(mix).unsqueeze(1)
    return (mix.pi.unsqueeze(-1) * (mix.sigma.pow(2).unsqueeze(-1) + (mix.mu - m).pow(2))).sum(1)


def most_probable_kernel_mean(mix: Mixture) -> torch.Tensor:
    """μ of the kernel with the largest π: an approximation to the most probable t. → (B, L)"""
    k = mix.log_pi.argmax(dim=1)
    return mix.mu[torch.arange(mix.mu.shape[0]), k]


def modes(mix: Mixture, iterations: int = 200, tol: float = 1e-7, min_relative_density: float = 1e-2,
          valley: float = 0.5) -> list[torch.Tensor]:
    """The local maxima of each row's mixture density, highest first. → B tensors of shape (M, L).

    Maxima whose density is below `min_relative_density` times the highest are dropped: a kernel
    the network has switched off (π ≈ 0) can leave a bump far out in the tails that no answer lives in.
    A maximum counts as its own answer only if, on the straight path to each higher one kept, the
    density falls below `valley` times its own: several kernels that tile one flat-topped branch
    (Bishop's toy p(t|x) is uniform on each branch) ripple, and a ripple is not a second answer.

    Fixed-point (mean-shift) iteration from every kernel centre (Carreira-Perpiñán 2000):
        t ← Σ_k w_k(t) μ_k / Σ_k w_k(t),  w_k(t) = π_k N(t|μ_k, σ_k²) / σ_k²,
    which climbs the density monotonically and stops at a stationary point. Starting points that
    land on the same maximum are merged.

    Computed in numpy float64: the arrays are K × K (K ≈ 10), where torch's per-operation dispatch
    costs more than the arithmetic (this search was ~85 % of the MDN density route's time)."""
    log_pi, log_sigma, mu = (a.detach().double().numpy() for a in (mix.log_pi, mix.log_sigma, mix.mu))
    return [torch.from_numpy(_row_modes(mu[i], log_sigma[i], log_pi[i], iterations, tol, min_relative_density, valley))
            for i in range(mu.shape[0])]


def _row_modes(mu: np.ndarray, log_sigma: np.ndarray, log_pi: np.ndarray, iterations: int, tol: float,
               min_relative_density: float, valley: float) -> np.ndarray:
    """modes() for one mixture: μ (K, L), log σ (K,), log π (K,) → float32 maxima (M, L)."""
    l = mu.shape[1]
    inv_var = np.exp(-2 * log_sigma)
    log_w_const = log_pi - l * log_sigma + np.log(inv_var)
    t = mu.copy()
    for _ in range(iterations):
        sq = ((t[:, None, :] - mu[None]) ** 2).sum(-1)  # (starts, K)
        w = _softmax(log_w_const - 0.5 * sq * inv_var)
        new_t = w @ mu
        moved = np.abs(new_t - t).max()
        t = new_t
        if moved < tol:
            break
    t32 = t.astype(np.float32)  # the maxima are reported in the model's precision
    t = t32.astype(np.float64)
    density = _log_density(t, mu, log_sigma, log_pi)
    order = np.argsort(-density, kind="stable")
    # Distinct maxima of Gaussian kernels lie at least about one σ apart; converged copies of
    # one maximum lie far closer than a tenth of it.
    merge_radius = 0.1 * np.exp(log_sigma).min()
    floor = density[order[0]] + math.log(min_relative_density) if min_relative_density > 0 else -math.inf
    kept: list[int] = []
    for j in order:
        if density[j] < floor:
            break  # the rest, in decreasing density, are lower still
        if kept and (np.linalg.norm(t[kept] - t[j], axis=1).min() <= merge_radius
                     or not _separated(t[kept], t[j], density[j], valley, mu, log_sigma, log_pi)):
            continue
        kept.append(j)
    return t32[kept]


def _separated(higher: np.ndarray, t: np.ndarray, log_density_t: float, valley: float, mu: np.ndarray,
               log_sigma: np.ndarray, log_pi: np.ndarray, steps: int = 33) -> bool:
    """Whether the density dips below `valley` × p(t) somewhere on the segment from t to each higher
    maximum (higher: (H, L))."""
    if valley <= 0:
        return True
    fractions = np.linspace(0, 1, steps)[None, :, None]  # (1, steps, 1)
    paths = t + fractions * (higher[:, None, :] - t)  # (H, steps, L)
    along = _log_density(paths.reshape(-1, t.shape[0]), mu, log_sigma, log_pi).reshape(len(higher), steps)
    return bool((along.min(axis=1) < log_density_t + math.log(valley)).all())


def _log_density(points: np.ndarray, mu: np.ndarray, log_sigma: np.ndarray, log_pi: np.ndarray) -> np.ndarray:
    """log p(t) of one mixture at points (P, L) → (P,): log_density_at for one row, in numpy."""
    l = points.shape[1]
    sq = ((points[:, None, :] - mu[None]) ** 2).sum(-1)  # (P, K)
    a = log_pi - 0.5 * l * math.log(2 * math.pi) - l * log_sigma - 0.5 * sq * np.exp(-2 * log_sigma)
    top = a.max(axis=1)
    return top + np.log(np.exp(a - top[:, None]).sum(axis=1))


def _softmax(a: np.ndarray) -> np.ndarray:
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sample(mix: Mixture, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """n draws from each row's mixture: choose a kernel from π, then draw from it. → (B, n, L)"""
    b, k, l = mix.mu.shape
    kernel = torch.multinomial(mix.pi, n, replacement=True, generator=generator)  # (B, n)
    rows = torch.arange(b)[:, None]
    centre = mix.mu[rows, kernel]  # (B, n, L)
    sigma = mix.sigma[rows, kernel].unsqueeze(-1)  # (B, n, 1)
    return centre + sigma * torch.randn(b, n, l, generator=generator)
