import torch

from training.frechet import frechet_distance


def test_same_samples_are_at_distance_zero_and_the_distance_is_symmetric():
    g = torch.Generator().manual_seed(0)
    a = torch.randn(2000, 8, generator=g) @ torch.randn(8, 8, generator=g)
    b = torch.randn(2000, 8, generator=g) * 2 + 1
    assert abs(frechet_distance(a, a)) < 1e-6
    assert abs(frechet_distance(a, b) - frechet_distance(b, a)) < 1e-6 * frechet_distance(a, b)


def test_closed_form_for_gaussians_with_diagonal_covariances():
    """N(0, I) vs N(m, s² I) in D dims: d² = ‖m‖² + D (1 − s)²."""
    g = torch.Generator().manual_seed(1)
    d, m, s = 4, torch.tensor([1.0, -2.0, 0.5, 0.0]), 3.0
    a = torch.randn(200_000, d, generator=g)
    b = m + s * torch.randn(200_000, d, generator=g)
    expected = m.pow(2).sum().item() + d * (1 - s) ** 2
    assert abs(frechet_distance(a, b) - expected) < 0.05 * expected
