import numpy as np
import pytest

from app import inference


@pytest.mark.parametrize("model_id", ["mdn-toy", "mdn-arm"])
def test_mixture_at_is_the_graphs_output_bit_for_bit_in_any_batch(client, model_id):
    served = client.app.state.registry.models[model_id]
    lo, hi = np.array(served.meta["input_range"], dtype=np.float32).T
    x = (lo + (hi - lo) * np.random.default_rng(0).random((64, len(lo))) * 1.6 - 0.3 * (hi - lo)).astype(np.float32)
    whole = inference.mixture_at(served, x)
    for i in (0, 1, 63):
        one = inference.mixture_at(served, x[i : i + 1])
        for got, expected in zip((one.log_pi, one.log_sigma, one.mu), (whole.log_pi, whole.log_sigma, whole.mu)):
            np.testing.assert_allclose(got[0], expected[i], rtol=1e-6, atol=1e-7)
        log_pi, log_sigma, mu = served.networks["mdn"].run(x=x[i : i + 1])
        assert np.array_equal(one.log_pi, log_pi) and np.array_equal(one.mu, mu) and np.array_equal(one.log_sigma, log_sigma)


def test_density_reports_the_models_own_numbers(client):
    """π, μ, σ as the network gives them (float32), modes among the density's maxima, the grid in float32."""
    served = client.app.state.registry.models["mdn-toy"]
    body = inference.density(served, [0.4], 300, -0.2, 1.2)
    mix = served.mixture(np.array([[0.4]], dtype=np.float32))
    assert body["pi"] == mix.pi[0].tolist() and body["sigma"] == mix.sigma[0].tolist() and body["mu"] == mix.mu[0].tolist()
    assert body["t"] == np.linspace(-0.2, 1.2, 300).astype(np.float32).tolist()
    density = np.array(body["density"], dtype=np.float64)
    assert np.array_equal(density.astype(np.float32).astype(np.float64), density)  # float32 values, as always sent
    k = int(mix.log_pi[0].argmax())
    assert body["most_probable"] == mix.mu[0, k].tolist()
