"""runtime/ (numpy, what the server computes) against models/ (torch, what training computes)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from models import kinematics as torch_kinematics
from models import latent_grid as torch_grid
from models import mixture as torch_mixture
from models import pose_mdn
from runtime import kinematics, latent_grid, mixture, pose

ARM = dict(l1=0.8, l2=0.2, theta1_range=(0.3, 1.2), theta2_range=(math.pi / 2, 3 * math.pi / 2))


def test_kinematics_agree():
    g = torch.Generator().manual_seed(0)
    theta = torch.rand(500, 2, generator=g) * 7 - 3.5
    target = torch.rand(500, 2, generator=g) * 2.4 - 1.2
    arm_t, arm_n = torch_kinematics.ArmGeometry(**ARM), kinematics.ArmGeometry(**ARM)
    np.testing.assert_allclose(kinematics.forward_kinematics(theta.numpy(), arm_n),
                               torch_kinematics.forward_kinematics(theta, arm_t).numpy(), atol=1e-6)
    np.testing.assert_allclose(kinematics.elbow(theta.numpy(), arm_n), torch_kinematics.elbow(theta, arm_t).numpy(),
                               atol=1e-6)
    angles, reachable = kinematics.inverse_kinematics(target.numpy(), arm_n)
    want_angles, want_reachable = torch_kinematics.inverse_kinematics(target, arm_t)
    assert np.array_equal(reachable, want_reachable.numpy()) and 0 < reachable.sum() < 500
    np.testing.assert_allclose(angles, want_angles.numpy(), atol=2e-5)  # NaN where unreachable, in both
    assert np.array_equal(kinematics.in_training_domain(theta.numpy(), arm_n),
                          torch_kinematics.in_training_domain(theta, arm_t).numpy())


@pytest.mark.parametrize("n", [1, 2, 7, 20, 40])
def test_lattices_agree(n):
    # The Gaussian lattice bit for bit; the linear one within one float32 step of the span (torch.linspace
    # steps half the axis from each end; numpy rounds float64 values once).
    assert np.array_equal(latent_grid.lattice(n), torch_grid.lattice(n).numpy())
    for span in (3.0, 0.5, 7.5):
        np.testing.assert_allclose(latent_grid.lattice(n, "linear", span), torch_grid.lattice(n, "linear", span).numpy(),
                                   rtol=0, atol=2 * np.spacing(np.float32(span)))


def _random_mixture(b: int, k: int, l: int, seed: int) -> torch_mixture.Mixture:
    g = torch.Generator().manual_seed(seed)
    return torch_mixture.Mixture(log_pi=torch.log_softmax(torch.randn(b, k, generator=g) * 2, -1),
                                 log_sigma=torch.randn(b, k, generator=g) * 0.5 - 1, mu=torch.randn(b, k, l, generator=g))


@pytest.mark.parametrize("l", [1, 2, 14])
def test_mixture_statistics_agree(l):
    mix = _random_mixture(50, 5, l, seed=l)
    as_numpy = mixture.Mixture(mix.log_pi.numpy(), mix.log_sigma.numpy(), mix.mu.numpy())
    for name in ("mean", "variance", "most_probable_kernel_mean"):
        np.testing.assert_allclose(getattr(mixture, name)(as_numpy), getattr(torch_mixture, name)(mix).numpy(),
                                   rtol=1e-5, atol=1e-6, err_msg=name)
    for got, want in zip(mixture.modes(as_numpy), torch_mixture.modes(mix)):
        assert np.array_equal(got, want)


@pytest.mark.parametrize("target", pose_mdn.TARGETS)
def test_pose_depths_agree(target):
    t = torch.randn(20, 5, 14, generator=torch.Generator().manual_seed(1))
    np.testing.assert_allclose(pose.depths_from_target(t.numpy(), target),
                               pose_mdn.depths_from_target(t, target).numpy(), rtol=0, atol=1e-6)
