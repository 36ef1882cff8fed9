"""What one can ask of a Gaussian mixture p(t) = Σ_k π_k N(t | μ_k, σ_k² I) once an MDN has
produced it (Bishop PRML §5.6.2): its density, mean, variance, most probable kernel, true modes
and samples. Every function takes a batch: shapes (B, K) for π and σ, (B, K, L) for μ."""

from __future__ import annotations

import math
from dataclasses import dataclass

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
    land on the same maximum are merged."""
    results = []
    for i in range(mix.mu.shape[0]):
        row = mix.row(i)
        mu, log_sigma, log_pi = row.mu[0], row.log_sigma[0], row.log_pi[0]  # (K, L), (K,), (K,)
        l = mu.shape[1]
        t = mu.clone().double()
        mu_d, inv_var = mu.double(), torch.exp(-2 * log_sigma.double())
        log_w_const = log_pi.double() - l * log_sigma.double() + torch.log(inv_var)
        for _ in range(iterations):
            sq = (t[:, None, :] - mu_d[None]).pow(2).sum(-1)  # (starts, K)
            w = torch.softmax(log_w_const - 0.5 * sq * inv_var, dim=1)
            new_t = w @ mu_d
            moved = (new_t - t).abs().max()
            t = new_t
            if moved < tol:
                break
        t = t.float()
        density = log_density_at(row, t)[0]
        order = torch.argsort(density, descending=True)
        # Distinct maxima of Gaussian kernels lie at least about one σ apart; converged copies of
        # one maximum lie far closer than a tenth of it.
        merge_radius = 0.1 * row.sigma.min().item()
        kept: list[torch.Tensor] = []
        floor = density[order[0]] + math.log(min_relative_density) if min_relative_density > 0 else -math.inf
        for j in order.tolist():
            if density[j] >= floor and all((t[j] - q).norm() > merge_radius for q in kept) and all(
                    _separated(row, q, t[j], density[j], valley) for q in kept):
                kept.append(t[j])
        results.append(torch.stack(kept))
    return results


def _separated(row: Mixture, higher: torch.Tensor, t: torch.Tensor, log_density_t: torch.Tensor, valley: float,
               steps: int = 33) -> bool:
    """Whether the density dips below `valley` × p(t) somewhere on the segment from t to a higher maximum."""
    if valley <= 0:
        return True
    path = t + torch.linspace(0, 1, steps)[:, None] * (higher - t)  # (steps, L)
    return bool(log_density_at(row, path)[0].min() < log_density_t + math.log(valley))


def sample(mix: Mixture, n: int, generator: torch.Generator | None = None) -> torch.Tensor:
    """n draws from each row's mixture: choose a kernel from π, then draw from it. → (B, n, L)"""
    b, k, l = mix.mu.shape
    kernel = torch.multinomial(mix.pi, n, replacement=True, generator=generator)  # (B, n)
    rows = torch.arange(b)[:, None]
    centre = mix.mu[rows, kernel]  # (B, n, L)
    sigma = mix.sigma[rows, kernel].unsqueeze(-1)  # (B, n, 1)
    return centre + sigma * torch.randn(b, n, l, generator=generator)
