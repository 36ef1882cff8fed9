import pytest
import torch

from app import inference
from models.mdn import MDN


@pytest.mark.parametrize("model_id", ["mdn-toy", "mdn-arm"])
def test_mixture_at_is_the_models_forward_bit_for_bit(client, model_id):
    served = client.app.state.registry.models[model_id]
    assert isinstance(served.model, MDN)
    lo, hi = torch.tensor(served.meta["input_range"]).T
    x = lo + (hi - lo) * torch.rand(64, len(lo), generator=torch.Generator().manual_seed(0)) * 1.6 - 0.3 * (hi - lo)
    for rows in (x[:1], x[1:2], x):
        fast = inference.mixture_at(served, rows)
        with torch.inference_mode():
            want = served.model(rows)
        for got, expected in zip((fast.log_pi, fast.log_sigma, fast.mu), (want.log_pi, want.log_sigma, want.mu)):
            assert torch.equal(got, expected)


def test_density_reports_the_models_own_numbers(client):
    """π, μ, σ as the network gives them (float32), modes among the density's maxima, the grid in float32."""
    served = client.app.state.registry.models["mdn-toy"]
    body = inference.density(served, [0.4], 300, -0.2, 1.2)
    with torch.inference_mode():
        mix = served.model(torch.tensor([[0.4]]))
    assert body["pi"] == mix.pi[0].tolist() and body["sigma"] == mix.sigma[0].tolist() and body["mu"] == mix.mu[0].tolist()
    assert body["t"] == torch.linspace(-0.2, 1.2, 300).tolist()
    density = torch.tensor(body["density"], dtype=torch.float64)
    assert torch.equal(density.float().double(), density)  # float32 values, as always sent
    k = int(mix.log_pi[0].argmax())
    assert body["most_probable"] == mix.mu[0, k].tolist()
