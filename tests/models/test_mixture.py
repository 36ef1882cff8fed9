import math

import numpy as np
import pytest
import torch

from models import mixture
from models.mdn import mixture_log_density
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


def _random_mix(rng: np.random.Generator, b: int, k: int, l: int, spread: float = 1.0) -> Mixture:
    logits = torch.tensor(rng.normal(size=(b, k)))
    return Mixture(log_pi=torch.log_softmax(logits, dim=-1), log_sigma=torch.tensor(rng.uniform(-3, 0, size=(b, k))),
                   mu=torch.tensor(rng.normal(scale=spread, size=(b, k, l))))


def test_density_integrates_to_one_and_matches_the_formula():
    mix = _mix([0.3, 0.7], [0.1, 0.2], [[0.2], [0.8]])
    grid = np.linspace(-1, 2, 30001)[:, None]
    density = np.exp(mixture.log_density(mix, grid))[0]
    assert abs(np.trapezoid(density, grid[:, 0]) - 1) < 1e-6
    at = 0.5
    expected = sum(p / (s * math.sqrt(2 * math.pi)) * math.exp(-((at - m) ** 2) / (2 * s**2))
                   for p, s, m in ((0.3, 0.1, 0.2), (0.7, 0.2, 0.8)))
    assert abs(np.exp(mixture.log_density(mix, np.array([[at]]))).item() - expected) < 1e-9


@pytest.mark.parametrize(("l", "seed"), [(1, 0), (1, 1), (2, 2), (3, 3)])
def test_query_density_equals_the_training_losss_definition(l, seed):
    """log_density (numpy, for queries) and mixture_log_density (torch, the MDN's loss) are one formula."""
    rng = np.random.default_rng(seed)
    mix = _random_mix(rng, b=4, k=7, l=l)
    points = rng.normal(scale=2.0, size=(50, l))  # tails included: log p down to about -1e3
    got = mixture.log_density(mix, points)  # (B, P)
    want = torch.stack([mixture_log_density(mix, torch.tensor(p).expand(4, l)) for p in points], dim=1)
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-12, atol=1e-12)


def test_numpy_and_torch_mixtures_give_the_same_statistics():
    mix = _random_mix(np.random.default_rng(4), b=3, k=5, l=2)
    for stat in (mixture.mean, mixture.variance, mixture.most_probable_kernel_mean):
        np.testing.assert_allclose(stat(mix.numpy()), stat(mix).numpy(), rtol=1e-12, atol=1e-15)


def _grid_maxima(mix: Mixture, lo: float, hi: float, n: int = 400_001) -> np.ndarray:
    """Brute force: the interior local maxima of one 1-D mixture's density on a fine grid."""
    grid = np.linspace(lo, hi, n)
    d = mixture.log_density(mix, grid[:, None])[0]
    return grid[1:-1][(d[1:-1] > d[:-2]) & (d[1:-1] > d[2:])]


def test_modes_are_the_density_maxima_on_a_fine_grid():
    mix = _mix([0.3, 0.2, 0.5], [0.1, 0.08, 0.15], [[0.1], [0.5], [1.0]])
    found = mixture.modes(mix)[0][:, 0]
    grid_maxima = _grid_maxima(mix, -0.5, 1.6)
    assert len(found) == len(grid_maxima) == 3
    np.testing.assert_allclose(np.sort(found), grid_maxima, atol=1e-4)
    # Highest first.
    dens = mixture.log_density(mix, found[:, None])[0]
    assert (dens[:-1] >= dens[1:]).all()


@pytest.mark.parametrize("seed", range(6))
def test_without_dropping_rules_modes_are_every_maximum_of_a_random_mixture(seed):
    mix = _random_mix(np.random.default_rng(100 + seed), b=1, k=6, l=1, spread=0.5)
    found = mixture.modes(mix, min_relative_density=0.0, valley=0.0)[0][:, 0]
    np.testing.assert_allclose(np.sort(found), _grid_maxima(mix, -4.0, 4.0), atol=1e-4)
    dens = mixture.log_density(mix, found[:, None])[0]
    assert (dens[:-1] >= dens[1:]).all()


def test_overlapping_kernels_give_one_mode_not_two():
    mix = _mix([0.5, 0.5], [0.3, 0.3], [[0.0], [0.2]])  # closer than 2σ: a single peak at 0.1
    found = mixture.modes(mix)[0]
    assert found.shape == (1, 1)
    assert abs(found.item() - 0.1) < 1e-4
    assert found.dtype == np.float32  # the model's precision


def test_the_mean_can_fall_where_there_is_no_probability():
    """The lecture's point: with two separated answers, E[t|x] is neither."""
    mix = _mix([0.5, 0.5], [0.05, 0.05], [[0.0], [1.0]])
    m = mixture.mean(mix).numpy()
    density_at_mean = np.exp(mixture.log_density(mix, m)).item()
    density_at_mode = np.exp(mixture.log_density(mix, mixture.modes(mix)[0][:1])).item()
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


def test_a_kernel_too_faint_for_a_shared_softmax_shift_keeps_its_maximum():
    """π = e^-900 next to π ≈ 1: one shift for every start's weights would underflow this start's
    (0/0); modes notices and shifts each row by its own maximum."""
    mix = Mixture(log_pi=torch.tensor([[0.0, -900.0]], dtype=torch.float64),
                  log_sigma=torch.log(torch.tensor([[0.1, 0.1]], dtype=torch.float64)),
                  mu=torch.tensor([[[0.0], [100.0]]], dtype=torch.float64))
    found = mixture.modes(mix, min_relative_density=0.0, valley=0.0)[0][:, 0]
    np.testing.assert_allclose(found, [0.0, 100.0], atol=1e-5)
    assert mixture.modes(mix)[0][:, 0].tolist() == [0.0]  # and the floor drops it, as always
