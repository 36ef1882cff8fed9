"""Variational auto-encoder and its label-conditioned variant on 28×28 digits.

Kingma & Welling, "Auto-Encoding Variational Bayes" (2014): q(z|x) = N(μ(x), diag σ²(x)),
p(z) = N(0, I), a Bernoulli decoder, trained by maximising the ELBO with the reparameterisation
z = μ + σ ⊙ ε. The KL term is their closed form (App. B):
    −KL(q ‖ p) = ½ Σ_j (1 + log σ_j² − μ_j² − σ_j²).
The conditional model (Sohn et al. 2015) feeds a one-hot label y to both encoder and decoder.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

IMAGE_SHAPE = (28, 28)
IMAGE_PIXELS = IMAGE_SHAPE[0] * IMAGE_SHAPE[1]


@dataclass
class VAEConfig:
    latent_dim: int = 2  # size of z
    hidden: list[int] = field(default_factory=lambda: [512, 256])  # MLP widths, mirrored in the decoder
    n_labels: int = 0  # 0: plain VAE; > 0: CVAE with a one-hot label of this size

    @property
    def kind(self) -> str:
        return "cvae" if self.n_labels else "vae"

    def to_dict(self) -> dict:
        return asdict(self)


def _mlp(sizes: list[int]) -> nn.Sequential:
    """Linear layers with ReLU between them (none after the last): Linear, ReLU, …, Linear."""
    layers: list[nn.Module] = []
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        layers.append(nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class VAE(nn.Module):
    def __init__(self, config: VAEConfig):
        super().__init__()
        self.config = config
        c, h = config.n_labels, config.hidden
        self.encoder_body = nn.Sequential(_mlp([IMAGE_PIXELS + c, *h]), nn.ReLU())
        self.to_mu = nn.Linear(h[-1], config.latent_dim)
        self.to_logvar = nn.Linear(h[-1], config.latent_dim)
        self.decoder = _mlp([config.latent_dim + c, *reversed(h), IMAGE_PIXELS])

    def _with_label(self, v: torch.Tensor, y: torch.Tensor | None) -> torch.Tensor:
        if self.config.n_labels == 0:
            if y is not None:
                raise ValueError("this VAE takes no label")
            return v
        if y is None:
            raise ValueError("this CVAE needs a label")
        return torch.cat([v, y], dim=1)

    def encode(self, x: torch.Tensor, y: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """x: (B, 784) in [0, 1]; y: (B, n_labels) one-hot or None → μ, log σ², each (B, latent_dim)."""
        h = self.encoder_body(self._with_label(x, y))
        return self.to_mu(h), self.to_logvar(h)

    @staticmethod
    def reparameterize(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
        """z = μ + σ ⊙ ε with ε ~ N(0, I): the sample is a differentiable function of (μ, σ)."""
        return mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)

    def decode_logits(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """z: (B, latent_dim) → Bernoulli logits (B, 784)."""
        return self.decoder(self._with_label(z, y))

    def decode(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        """z: (B, latent_dim) → pixel probabilities (B, 784) in [0, 1]."""
        return torch.sigmoid(self.decode_logits(z, y))

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None):
        mu, logvar = self.encode(x, y)
        z = self.reparameterize(mu, logvar)
        return self.decode_logits(z, y), mu, logvar


def one_hot(labels: torch.Tensor, n_labels: int) -> torch.Tensor:
    return F.one_hot(labels.long(), n_labels).float()


def label_input(model: VAE, labels: torch.Tensor) -> torch.Tensor | None:
    """The label input a model takes for these integer labels: one-hot for a CVAE, None for a VAE."""
    return one_hot(labels, model.config.n_labels) if model.config.n_labels else None


def gaussian_kl(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    """KL(N(μ, diag σ²) ‖ N(0, I)) per row, closed form (Kingma & Welling App. B). → (B,)"""
    return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)


def reconstruction_nll(logits: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """−log p(x|z) for a Bernoulli decoder on [0, 1] pixels, summed over pixels: (…, 784) → (…)"""
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(dim=-1)


def negative_elbo(model: VAE, x: torch.Tensor, y: torch.Tensor | None = None):
    """One-sample −ELBO per digit and its parts: (loss, reconstruction, kl), each (B,) in nats."""
    logits, mu, logvar = model(x, y)
    rec = reconstruction_nll(logits, x)
    kl = gaussian_kl(mu, logvar)
    return rec + kl, rec, kl


@torch.no_grad()
def importance_weighted_log_likelihood(
    model: VAE, x: torch.Tensor, y: torch.Tensor | None = None, k: int = 200
) -> torch.Tensor:
    """log p(x) ≈ log (1/k) Σ_i p(x|z_i) p(z_i) / q(z_i|x), z_i ~ q(z|x) (Burda et al. 2016). → (B,)

    A lower bound that tightens as k grows; with k = 1 it is the ELBO."""
    mu, logvar = model.encode(x, y)
    std = torch.exp(0.5 * logvar)
    b, d = mu.shape
    eps = torch.randn(k, b, d)
    z = mu + std * eps  # (k, B, d)
    log_q = (-0.5 * eps.pow(2) - 0.5 * logvar - 0.5 * math.log(2 * math.pi)).sum(-1)
    log_prior = (-0.5 * z.pow(2) - 0.5 * math.log(2 * math.pi)).sum(-1)
    y_rep = None if y is None else y.expand(k, *y.shape).reshape(k * b, -1)
    logits = model.decode_logits(z.reshape(k * b, d), y_rep).reshape(k, b, -1)
    log_lik = -reconstruction_nll(logits, x.expand(k, *x.shape))
    return torch.logsumexp(log_lik + log_prior - log_q, dim=0) - math.log(k)
