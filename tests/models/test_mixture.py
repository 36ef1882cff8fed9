import math

import pytest
import torch

from models import mixture
from models.mixture import Mixture


def _mix(pi, sigma, mu) -> Mixture:
    return Mixture(
        log_pi=torch.log(torch.tensor([pi], dtype=torch.float64)),
        log_sigma=torch.log(torch.tensor([sigma], dtype=torch.float64)),
        mu=torch.tensor([mu], dtype=torch.float64),
    )


def test_mean_and_variance_equal_sample_statistics():
    mix = _mix([0.2, 0.5, 0.3], [0.1, 0.3, 0.05], [[0.0, 1.0], [2.0, -1.0], [-1.0, 0.5]])
    g = torch.Generator().manual_seed(0)
    draws = mixture.sample(mix, 400_000, generator=g)[0]  # (n, L)
    assert torch.allclose(mixture.mean(mix)[0], draws.mean(0), atol=0.01)
    assert torch.allclose(mixture.variance(mix)[0], draws.var(0), rtol=0.01)


def test_variance_sums_to_bishops_s2():
    mix = _mix([0.6, 0.4], [0.2, 0.5], [[0.0, 0.0], [1.0, 2.0]])
    m = mixture.mean(mix)[0]
    s2 = sum(p * (2 * s**2 + ((mu - m) ** 2).sum()) for p, s, mu in zip(mix.pi[0], mix.sigma[0], mix.mu[0]))
    assert torch.allclose(mixture.variance(mix)[0].sum(), s2)


def test_density_integrates_to_one_and_matches_the_formula():
    mix = _mix([0.3, 0.7], [0.1, 0.2], [[0.2], [0.8]])
    grid = torch.linspace(-1, 2, 30001, dtype=torch.float64)[:, None]
    density = mixture.log_density_at(mix, grid).exp()[0]
    assert abs(torch.trapezoid(density, grid[:, 0]).item() - 1) < 1e-6
    at = 0.5
    expected = sum(p / (s * math.sqrt(2 * math.pi)) * math.exp(-((at - m) ** 2) / (2 * s**2))
                   for p, s, m in ((0.3, 0.1, 0.2), (0.7, 0.2, 0.8)))
    assert abs(mixture.log_density_at(mix, torch.tensor([[at]], dtype=torch.float64)).exp().item() - expected) < 1e-9


def test_modes_are_the_density_maxima_on_a_fine_grid():
    mix = _mix([0.3, 0.2, 0.5], [0.1, 0.08, 0.15], [[0.1], [0.5], [1.0]])
    found = mixture.modes(mix)[0][:, 0]
    grid = torch.linspace(-0.5, 1.6, 200_001, dtype=torch.float64)
    d = mixture.log_density_at(mix, grid[:, None])[0]
    interior = (d[1:-1] > d[:-2]) & (d[1:-1] > d[2:])
    grid_maxima = grid[1:-1][interior]
    assert len(found) == len(grid_maxima) == 3
    assert torch.allclose(found.sort().values.double(), grid_maxima, atol=1e-4)
    # Highest first.
    dens = mixture.log_density_at(mix, found[:, None].double())[0]
    assert (dens[:-1] >= dens[1:]).all()


def test_overlapping_kernels_give_one_mode_not_two():
    mix = _mix([0.5, 0.5], [0.3, 0.3], [[0.0], [0.2]])  # closer than 2σ: a single peak at 0.1
    found = mixture.modes(mix)[0]
    assert found.shape == (1, 1)
    assert abs(found.item() - 0.1) < 1e-4


def test_the_mean_can_fall_where_there_is_no_probability():
    """The lecture's point: with two separated answers, E[t|x] is neither."""
    mix = _mix([0.5, 0.5], [0.05, 0.05], [[0.0], [1.0]])
    m = mixture.mean(mix)
    density_at_mean = mixture.log_density_at(mix, m.double()).exp().item()
    density_at_mode = mixture.log_density_at(mix, mixture.modes(mix)[0][:1].double()).exp().item()
    assert density_at_mean < 1e-6 * density_at_mode


def test_most_probable_kernel_mean():
    mix = _mix([0.2, 0.7, 0.1], [1.0, 1.0, 1.0], [[5.0], [-2.0], [1.0]])
    assert mixture.most_probable_kernel_mean(mix).item() == -2.0


def test_sampling_picks_kernels_in_proportion_to_pi():
    mix = _mix([0.1, 0.9], [0.01, 0.01], [[0.0], [10.0]])
    draws = mixture.sample(mix, 50_000, generator=torch.Generator().manual_seed(1))[0, :, 0]
    assert abs((draws > 5).double().mean().item() - 0.9) < 0.01


def test_a_switched_off_kernel_leaves_no_mode():
    mix = _mix([0.5, 0.5 - 1e-9, 1e-9], [0.1, 0.1, 0.1], [[0.0], [1.0], [5.0]])
    found = mixture.modes(mix)[0][:, 0]
    assert sorted(found.tolist()) == pytest.approx([0.0, 1.0], abs=1e-4)
    assert len(mixture.modes(mix, min_relative_density=0.0)[0]) == 3


def test_kernels_tiling_one_flat_branch_give_one_answer_and_two_branches_two():
    """A box approximated by several kernels ripples; a ripple is not a second answer (valley=0 keeps them)."""
    centres = [0.1, 0.2, 0.3, 0.4]  # one branch on [0.05, 0.45] ...
    mix = _mix([0.125] * 4 + [0.5], [0.06] * 4 + [0.05], [[c] for c in centres] + [[0.9]])  # ... and one at 0.9
    rippled = mixture.modes(mix, valley=0.0)[0]
    assert len(rippled) >= 3  # the ripples are real local maxima
    found = sorted(mixture.modes(mix)[0][:, 0].tolist())
    assert len(found) == 2 and 0.05 < found[0] < 0.45 and found[1] == pytest.approx(0.9, abs=1e-3)
