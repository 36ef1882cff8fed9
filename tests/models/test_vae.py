import math

import torch

from models.vae import (
    VAE,
    VAEConfig,
    gaussian_kl,
    importance_weighted_log_likelihood,
    negative_elbo,
    one_hot,
)


def test_closed_form_kl_matches_monte_carlo():
    torch.manual_seed(0)
    mu = torch.randn(4, 3)
    logvar = torch.randn(4, 3) * 0.5
    std = torch.exp(0.5 * logvar)
    z = mu + std * torch.randn(200_000, 4, 3)  # samples of q
    log_q = (-0.5 * ((z - mu) / std).pow(2) - torch.log(std) - 0.5 * math.log(2 * math.pi)).sum(-1)
    log_p = (-0.5 * z.pow(2) - 0.5 * math.log(2 * math.pi)).sum(-1)
    monte_carlo = (log_q - log_p).mean(0)
    closed = gaussian_kl(mu, logvar)
    assert torch.allclose(closed, monte_carlo, atol=0.03, rtol=0.01), (closed, monte_carlo)


def test_kl_is_zero_only_at_the_prior():
    assert torch.allclose(gaussian_kl(torch.zeros(2, 5), torch.zeros(2, 5)), torch.zeros(2))
    assert (gaussian_kl(torch.full((1, 5), 0.1), torch.zeros(1, 5)) > 0).all()


def test_gradients_reach_the_encoder_through_the_sample():
    torch.manual_seed(0)
    model = VAE(VAEConfig(latent_dim=2, hidden=[16]))
    x = torch.rand(8, 784)
    mu, logvar = model.encode(x)
    z = model.reparameterize(mu, logvar)
    # Only the decoder's use of z: any gradient on the encoder must come through z = μ + σ ⊙ ε.
    model.decode_logits(z).sum().backward()
    for name in ("to_mu", "to_logvar"):
        grad = getattr(model, name).weight.grad
        assert grad is not None and grad.abs().sum() > 0, name


def test_negative_elbo_is_reconstruction_plus_kl_and_positive():
    torch.manual_seed(0)
    model = VAE(VAEConfig(latent_dim=3, hidden=[32]))
    x = torch.rand(5, 784)
    loss, rec, kl = negative_elbo(model, x)
    assert torch.allclose(loss, rec + kl)
    assert (rec > 0).all() and (kl >= 0).all()


def test_importance_weighted_bound_lies_between_elbo_and_zero():
    torch.manual_seed(0)
    model = VAE(VAEConfig(latent_dim=2, hidden=[32]))
    x = (torch.rand(6, 784) > 0.7).float()
    torch.manual_seed(1)
    elbo = -torch.stack([negative_elbo(model, x)[0] for _ in range(2000)]).mean(0)
    iw = importance_weighted_log_likelihood(model, x, k=500)
    # log p(x) ≥ IWAE_k ≥ ELBO: the bound tightens as k grows (Burda et al. Thm 1).
    assert (iw >= elbo - 0.5).all() and (iw <= 0).all()


def test_cvae_requires_and_uses_the_label():
    torch.manual_seed(0)
    model = VAE(VAEConfig(latent_dim=2, hidden=[16], n_labels=10))
    z = torch.zeros(1, 2)
    a = model.decode(z, one_hot(torch.tensor([3]), 10))
    b = model.decode(z, one_hot(torch.tensor([7]), 10))
    assert not torch.allclose(a, b)
    try:
        model.decode(z)
    except ValueError as e:
        assert "label" in str(e)
    else:
        raise AssertionError("a CVAE decoded without a label")
