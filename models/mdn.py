"""Mixture density network (Bishop 1994; PRML §5.6).

A tanh MLP maps x to the parameters of p(t|x) = Σ_k π_k(x) N(t | μ_k(x), σ_k²(x) I):
    π = softmax(a^π),  σ = exp(a^σ),  μ = a^μ     (PRML eqs. 5.150–5.152).
The error is the negative log-likelihood (5.153), computed in log space with log-sum-exp so that
densities never underflow. An optional Dirichlet prior on π with concentration λ > 1 adds
−(λ−1) Σ_k log π_k per example, which keeps one kernel from taking all the weight
(Li & Lee, CVPR 2019, "Generating multiple hypotheses for 3D human pose estimation with MDNs").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import torch
from torch import nn

from models.mixture import Mixture, log_normal


@dataclass
class MDNConfig:
    input_dim: int = 1  # size of x
    output_dim: int = 1  # size of t (L)
    components: int = 5  # number of kernels (K)
    hidden: list[int] = field(default_factory=lambda: [32, 32])  # tanh hidden layer widths
    # σ = exp(a^σ) with a^σ clamped from below: a kernel that sits on a single point would
    # otherwise shrink σ → 0 and send the likelihood to infinity (and the loss to NaN).
    log_sigma_min: float = -6.0

    kind = "mdn"

    def to_dict(self) -> dict:
        return asdict(self)


class MDN(nn.Module):
    def __init__(self, config: MDNConfig):
        super().__init__()
        self.config = config
        layers: list[nn.Module] = []
        width = config.input_dim
        for h in config.hidden:
            layers += [nn.Linear(width, h), nn.Tanh()]
            width = h
        self.body = nn.Sequential(*layers)
        k, l = config.components, config.output_dim
        self.to_pi = nn.Linear(width, k)
        self.to_sigma = nn.Linear(width, k)
        self.to_mu = nn.Linear(width, k * l)

    def activations(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x: (B, input_dim) → output activations a^π (B, K), a^σ (B, K), a^μ (B, K, L)."""
        # Each layer's own forward rather than nn.Module.__call__: no hooks are used, and their handling
        # was a fifth of a single x's forward pass (same bits; bench/RESULTS.md).
        h = x
        for layer in self.body:
            h = layer.forward(h)
        k, l = self.config.components, self.config.output_dim
        return self.to_pi.forward(h), self.to_sigma.forward(h), self.to_mu.forward(h).view(-1, k, l)

    def mixture_from_activations(self, a_pi, a_sigma, a_mu) -> Mixture:
        log_sigma = a_sigma.clamp(min=self.config.log_sigma_min)
        return Mixture(log_pi=torch.log_softmax(a_pi, dim=-1), log_sigma=log_sigma, mu=a_mu)

    def forward(self, x: torch.Tensor) -> Mixture:
        return self.mixture_from_activations(*self.activations(x))


def mixture_log_density(mix: Mixture, t: torch.Tensor) -> torch.Tensor:
    """log p(t|x) for each row; t: (B, L) → (B,). Log-sum-exp over kernels, never a raw product."""
    sq = (t.unsqueeze(1) - mix.mu).pow(2).sum(-1)  # (B, K)
    return torch.logsumexp(mix.log_pi + log_normal(sq, mix.log_sigma, t.shape[-1]), dim=-1)


def mdn_loss(mix: Mixture, t: torch.Tensor, dirichlet_lambda: float = 1.0) -> torch.Tensor:
    """Mean over the batch of −log p(t|x) − (λ−1) Σ_k log π_k(x). λ = 1 is plain maximum likelihood."""
    nll = -mixture_log_density(mix, t)
    if dirichlet_lambda != 1.0:
        nll = nll - (dirichlet_lambda - 1.0) * mix.log_pi.sum(-1)
    return nll.mean()
