import math

import torch

from models.kinematics import ArmGeometry, forward_kinematics, in_training_domain, inverse_kinematics
from training.toy_data import inverse_sine, robot_arm


def test_inverse_sine_follows_bishops_recipe_and_is_seeded():
    x, t = inverse_sine(2000, seed=3)
    assert ((t >= 0) & (t <= 1)).all()
    noise = x - (t + 0.3 * torch.sin(2 * math.pi * t))
    assert noise.abs().max() <= 0.1 + 1e-6 and noise.abs().max() > 0.09
    x2, t2 = inverse_sine(2000, seed=3)
    assert torch.equal(x, x2) and torch.equal(t, t2)
    assert not torch.equal(inverse_sine(2000, seed=4)[0], x)


def test_both_inverse_kinematics_solutions_reach_the_target():
    arm = ArmGeometry()
    x, theta = robot_arm(500, seed=0, arm=arm)
    solutions, reachable = inverse_kinematics(x, arm)
    assert reachable.all()
    for s in range(2):
        assert torch.allclose(forward_kinematics(solutions[:, s], arm), x, atol=1e-5)
    # The sampled angles are one of the two solutions (elbow up or elbow down).
    diff = (solutions - theta[:, None, :]).abs().amax(-1).min(1).values
    assert diff.max() < 2e-3  # acos is ill-conditioned where the arm is nearly straight (float32)


def test_robot_arm_angles_lie_in_the_stated_ranges():
    arm = ArmGeometry()
    _, theta = robot_arm(1000, seed=0, arm=arm)
    assert in_training_domain(theta, arm).all()


def test_unreachable_targets_are_flagged():
    arm = ArmGeometry()
    _, reachable = inverse_kinematics(torch.tensor([[5.0, 5.0], [0.0, 0.0]]), arm)
    assert reachable.tolist() == [False, False]


def test_best_possible_nll_is_the_log_length_of_the_uniform_support():
    from training.toy_data import inverse_sine_best_nll

    # Brute force |S(x)| = length of {t in [0, 1] : |x − g(t)| < 0.1} on a grid, for a few x.
    xs = torch.tensor([-0.05, 0.1, 0.35, 0.5, 0.65, 0.9, 1.05])
    t = torch.linspace(0, 1, 200_001, dtype=torch.float64)
    g = t + 0.3 * torch.sin(2 * math.pi * t)
    lengths = torch.stack([((x - g).abs() < 0.1).double().mean() for x in xs.double()])
    assert abs(inverse_sine_best_nll(xs) - lengths.log().mean().item()) < 1e-3
    # Where x is inside the band where g(t) = x has three solutions, S(x) is longer than on one branch.
    assert lengths[3] > lengths[1]
    # On samples of the data the figure is where the shipped meta.json puts it (−1.28 for 10,000 points).
    x, _ = inverse_sine(5000, seed=0)
    assert -1.4 < inverse_sine_best_nll(x) < -1.2


def test_the_exact_support_is_never_three_intervals():
    """S(x)'s middle branch spans 0.186 in x, less than the noise's width 0.2, so the window x ± 0.1
    always joins it to an outer branch: one or two intervals, never three."""
    from training.toy_data import inverse_sine_interval_counts

    counts = inverse_sine_interval_counts(torch.tensor([0.05, 0.35, 0.45, 0.5, 0.55, 0.65, 0.95]))
    assert counts.tolist() == [1, 2, 2, 1, 2, 2, 1]
    assert inverse_sine_interval_counts(torch.linspace(-0.1, 1.1, 1201)).max() == 2
    assert inverse_sine_interval_counts(torch.tensor([-0.5, 1.5])).tolist() == [0, 0]
