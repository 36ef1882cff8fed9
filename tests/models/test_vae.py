import math

import pytest
import torch
from torch import nn

from models.vae import (
    VAE,
    VAEConfig,
    decode_with_layers,
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


# The shipped decoders' shapes (one hidden layer of 400), a VAE and a CVAE, and a deeper MLP with a ReLU
# between hidden layers.
DECODERS = [VAEConfig(latent_dim=2, hidden=[400]), VAEConfig(latent_dim=4, hidden=[400], n_labels=10),
            VAEConfig(latent_dim=3, hidden=[64, 32])]


def _decoder_inputs(config: VAEConfig, rows: int) -> tuple[torch.Tensor, torch.Tensor | None]:
    z = torch.randn(rows, config.latent_dim) * 2
    y = one_hot(torch.arange(rows) % config.n_labels, config.n_labels) if config.n_labels else None
    return z, y


def _app_decode_before(layers: list[tuple[torch.Tensor, torch.Tensor]], z, y) -> torch.Tensor:
    """The reference: app.inference.decode's operations before decode_with_layers (addmm on contiguous Wᵀ
    per layer, relu_ between, sigmoid_ last), the serving path's bits."""
    h = z if y is None else torch.cat([z, y], dim=1)
    *hidden, (out_weight_t, out_bias) = layers
    for weight_t, bias in hidden:
        h = torch.addmm(bias, h, weight_t).relu_()
    return torch.addmm(out_bias, h, out_weight_t).sigmoid_()


@pytest.mark.parametrize("config", DECODERS, ids=["vae", "cvae", "deeper"])
def test_decoder_layers_are_the_decoders_linear_layers(config):
    torch.manual_seed(0)
    model = VAE(config)
    layers = model.decoder_layers()
    linears = [(name, m) for name, m in model.decoder.named_children() if isinstance(m, nn.Linear)]
    assert [layer.name for layer in layers] == [name for name, _ in linears]
    for layer, (name, linear) in zip(layers, linears, strict=True):
        assert layer.weight_t.is_contiguous() and torch.equal(layer.weight_t, linear.weight.t())
        assert torch.equal(layer.bias, linear.bias)
        state = model.decoder.state_dict()
        assert torch.equal(state[f"{name}.weight"], linear.weight)  # the names address the state dict
    with torch.no_grad():
        model.decoder[0].bias.add_(1.0)
    assert not torch.equal(layers[0].bias, model.decoder[0].bias)  # a copy, not a view


@pytest.mark.parametrize("config", DECODERS, ids=["vae", "cvae", "deeper"])
@pytest.mark.parametrize("rows", [1, 3, 8, 64, 400])
def test_decode_with_layers_is_the_app_path_and_model_decode(config, rows):
    torch.manual_seed(0)
    model = VAE(config)
    layers = model.decoder_layers()
    z, y = _decoder_inputs(config, rows)
    with torch.inference_mode():
        fast = decode_with_layers(layers, z, y)
        before = _app_decode_before([(layer.weight_t, layer.bias) for layer in layers], z, y)
        reference = model.decode(z, y)
    assert fast.shape == (rows, 784)
    assert torch.equal(fast, before)  # the serving path's bits, bit for bit
    # nn.Linear multiplies by a transposed view of W, this by Wᵀ stored contiguous: BLAS may choose another
    # kernel for small batches (up to 1.2e-6 apart on the shipped decoders with MKL; equal at 8 rows and more).
    assert torch.allclose(fast, reference, rtol=0, atol=1e-5)


def test_decode_with_layers_leaves_its_inputs_alone():
    torch.manual_seed(0)
    config = DECODERS[1]
    layers = VAE(config).decoder_layers()
    z, y = _decoder_inputs(config, 8)
    tensors = [z, y, *(t for layer in layers for t in (layer.weight_t, layer.bias))]
    kept = [t.clone() for t in tensors]
    decode_with_layers(layers, z, y)  # relu_ and sigmoid_ work on its own intermediates only
    assert all(torch.equal(a, b) for a, b in zip(tensors, kept, strict=True))


@pytest.mark.parametrize(("decoder", "message"), [
    (nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 784)), "layer 1 is a Tanh"),
    (nn.Sequential(nn.Linear(2, 8, bias=False), nn.ReLU(), nn.Linear(8, 784)), "layer 0 is a Linear without bias"),
    (nn.Sequential(nn.Linear(2, 784), nn.ReLU()), "does not end in a Linear"),
    (nn.Linear(2, 784), "not a sequence of layers"),
])
def test_decoder_layers_refuse_anything_but_a_plain_mlp(decoder, message):
    model = VAE(VAEConfig(latent_dim=2, hidden=[8]))
    model.decoder = decoder
    with pytest.raises(ValueError, match=message):
        model.decoder_layers()
