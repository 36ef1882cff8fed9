import math

import pytest
import torch

from models.mdn import MDN, MDNConfig, mdn_loss, mixture_log_density


def _direct_density(pi, sigma, mu, t):
    """p(t) = Σ_k π_k (2πσ_k²)^(−L/2) exp(−‖t − μ_k‖² / 2σ_k²), evaluated in float64 with no logs."""
    l = t.shape[-1]
    sq = ((t.unsqueeze(1) - mu) ** 2).sum(-1)
    return (pi * (2 * math.pi * sigma**2) ** (-l / 2) * torch.exp(-sq / (2 * sigma**2))).sum(-1)


@pytest.mark.parametrize("output_dim", [1, 2, 3])
def test_nll_equals_direct_evaluation_of_the_mixture(output_dim):
    torch.manual_seed(0)
    model = MDN(MDNConfig(input_dim=2, output_dim=output_dim, components=4, hidden=[8])).double()
    x, t = torch.randn(16, 2, dtype=torch.float64), torch.randn(16, output_dim, dtype=torch.float64)
    mix = model(x)
    direct = -torch.log(_direct_density(mix.pi, mix.sigma, mix.mu, t)).mean()
    assert torch.allclose(mdn_loss(mix, t), direct, rtol=1e-10)


def test_log_space_survives_where_raw_densities_underflow():
    torch.manual_seed(0)
    model = MDN(MDNConfig(input_dim=1, output_dim=5, components=3, hidden=[8]))
    mix = model(torch.zeros(1, 1))
    far = torch.full((1, 5), 60.0)  # exp(−‖t−μ‖²/2σ²) is 0 in float32 here
    assert _direct_density(mix.pi, mix.sigma, mix.mu, far).item() == 0.0
    assert torch.isfinite(mixture_log_density(mix, far)).all()


@pytest.mark.parametrize("output_dim", [1, 2])
def test_autograd_matches_bishops_closed_form_gradients(output_dim):
    """PRML 5.155–5.157, with σ_k = exp(a^σ_k) so ∂E/∂a^σ_k = σ_k ∂E/∂σ_k = −γ_k (‖t−μ_k‖²/σ_k² − L)."""
    torch.manual_seed(0)
    k, l, n = 4, output_dim, 10
    model = MDN(MDNConfig(input_dim=1, output_dim=l, components=k)).double()
    a_pi = torch.randn(n, k, dtype=torch.float64, requires_grad=True)
    a_sigma = (torch.randn(n, k, dtype=torch.float64) * 0.3).requires_grad_()
    a_mu = torch.randn(n, k, l, dtype=torch.float64, requires_grad=True)
    t = torch.randn(n, l, dtype=torch.float64)
    mix = model.mixture_from_activations(a_pi, a_sigma, a_mu)
    error = mdn_loss(mix, t) * n  # E = Σ_n −log p(t_n | x_n)
    error.backward()

    pi, sigma, mu = mix.pi.detach(), mix.sigma.detach(), mix.mu.detach()
    sq = ((t.unsqueeze(1) - mu) ** 2).sum(-1)
    joint = pi * (2 * math.pi * sigma**2) ** (-l / 2) * torch.exp(-sq / (2 * sigma**2))
    gamma = joint / joint.sum(1, keepdim=True)  # responsibilities γ_k(t|x)
    assert torch.allclose(a_pi.grad, pi - gamma, atol=1e-10)
    assert torch.allclose(a_mu.grad, gamma.unsqueeze(-1) * (mu - t.unsqueeze(1)) / sigma.unsqueeze(-1) ** 2, atol=1e-10)
    d_sigma = -gamma * (sq / sigma**3 - l / sigma)
    assert torch.allclose(a_sigma.grad, d_sigma * sigma, atol=1e-10)


def test_dirichlet_prior_adds_minus_lambda_minus_one_sum_log_pi():
    torch.manual_seed(0)
    model = MDN(MDNConfig(components=3, hidden=[8]))
    x, t = torch.rand(20, 1), torch.rand(20, 1)
    mix = model(x)
    plain, with_prior = mdn_loss(mix, t), mdn_loss(mix, t, dirichlet_lambda=1.5)
    assert torch.allclose(with_prior - plain, -0.5 * mix.log_pi.sum(-1).mean())
    assert with_prior > plain  # log π < 0, so the prior only ever adds


def test_dirichlet_prior_keeps_weight_off_a_single_kernel():
    """Training with λ > 1 leaves the smallest π larger than plain maximum likelihood does."""
    torch.manual_seed(0)
    t = torch.randn(400, 1) * 0.3  # unimodal data: one kernel could take everything
    x = torch.zeros(400, 1)

    def smallest_pi(lam):
        torch.manual_seed(0)
        model = MDN(MDNConfig(components=3, hidden=[4]))
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        for _ in range(300):
            opt.zero_grad()
            mdn_loss(model(x), t, lam).backward()
            opt.step()
        return model(x[:1]).pi.min().item()

    with_prior, without = smallest_pi(3.0), smallest_pi(1.0)
    assert with_prior > without + 0.05, (with_prior, without)


def test_sigma_cannot_collapse_below_its_floor():
    model = MDN(MDNConfig(components=2, hidden=[4]))
    mix = model.mixture_from_activations(torch.zeros(1, 2), torch.full((1, 2), -50.0), torch.zeros(1, 2, 1))
    assert torch.allclose(mix.log_sigma, torch.full((1, 2), model.config.log_sigma_min))
