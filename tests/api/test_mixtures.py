import numpy as np
import pytest
import torch

from models.kinematics import ArmGeometry, inverse_kinematics


def test_density_at_one_x_is_a_normalised_mixture(client):
    r = client.get("/api/models/mdn-toy/density?x=0.5&points=2000&t_min=-0.5&t_max=1.5")
    assert r.status_code == 200
    d = r.json()
    k = len(d["pi"])
    assert k >= 3 and abs(sum(d["pi"]) - 1) < 1e-5 and len(d["mu"]) == k and len(d["sigma"]) == k
    t, density = np.array(d["t"]), np.array(d["density"])
    assert len(t) == 2000 and abs(np.trapezoid(density, t) - 1) < 1e-3
    mean = float(np.dot(d["pi"], np.array(d["mu"])[:, 0]))
    assert abs(d["mean"][0] - mean) < 1e-5
    assert d["extrapolating"] is False


def _support(x: float, t: np.ndarray) -> np.ndarray:
    """Where p(t|x) is non-zero for Bishop's data: |x − g(t)| < 0.1 with t in [0, 1]."""
    return (np.abs(x - (t + 0.3 * np.sin(2 * np.pi * t))) < 0.1) & (t >= 0) & (t <= 1)


@pytest.mark.parametrize("x", [0.35, 0.5, 0.65])
def test_inverse_problem_puts_its_mass_where_the_answers_are(client, x):
    d = client.get(f"/api/models/mdn-toy/density?x={x}&points=2000").json()
    t, p = np.array(d["t"]), np.array(d["density"])
    inside = _support(x, t)
    assert np.trapezoid(p * inside, t) / np.trapezoid(p, t) > 0.9


@pytest.mark.parametrize("x", [0.35, 0.65])
def test_two_separate_answers_each_get_a_mode_and_the_mean_falls_between_them(client, x):
    """Bishop's point: where the inverse is many-valued, E[t|x] is none of the answers."""
    d = client.get(f"/api/models/mdn-toy/density?x={x}&points=2000").json()
    t = np.array(d["t"])
    inside = _support(x, t)
    starts = np.flatnonzero(np.diff(inside.astype(int)) == 1) + 1
    ends = np.flatnonzero(np.diff(inside.astype(int)) == -1)
    intervals = list(zip(t[starts], t[ends]))
    assert len(intervals) == 2, intervals
    modes = [m[0] for m in d["modes"]]
    for lo, hi in intervals:
        assert any(lo - 0.02 <= m <= hi + 0.02 for m in modes), (intervals, modes)
    assert not _support(x, np.array(d["mean"]))[0]
    single = client.get("/api/models/mdn-toy/density?x=0.05").json()
    assert sum(p > 0.05 for p in single["pi"]) >= 1 and abs(single["most_probable"][0] - 0.05) < 0.15


def _density_at(d, t):
    return float(np.interp(t, d["t"], d["density"]))


def test_outside_the_training_domain_is_flagged(client):
    assert client.get("/api/models/mdn-toy/density?x=2.5").json()["extrapolating"] is True


def test_arm_kernels_reach_the_target_elbow_up_and_down(client):
    arm = ArmGeometry(**client.get("/api/models/mdn-arm").json()["arm"])
    theta = torch.tensor([[0.75, 2.4]])  # a pose well inside the sampled ranges
    target = torch.stack([arm.l1 * torch.cos(theta[:, 0]) - arm.l2 * torch.cos(theta.sum(1)),
                          arm.l1 * torch.sin(theta[:, 0]) - arm.l2 * torch.sin(theta.sum(1))], 1)
    d = client.get(f"/api/models/mdn-arm/density?x={target[0, 0]:.6f},{target[0, 1]:.6f}").json()
    assert d["reachable"] is True and len(d["kernel_end_effector"]) == len(d["pi"])
    weighty = [i for i, p in enumerate(d["pi"]) if p > 0.1]
    assert all(d["kernel_reach_error"][i] < 0.03 for i in weighty)
    solutions, _ = inverse_kinematics(target, arm)
    for s in solutions[0]:  # elbow up and elbow down each have a weighty kernel near them
        assert min(np.linalg.norm(np.array(d["mu"][i]) - s.numpy()) for i in weighty) < 0.15


def test_t_grid_bounds_matter_only_for_1d_outputs(client):
    assert client.get("/api/models/mdn-arm/density?x=0.5,0.75&t_min=5&t_max=1").status_code == 200
    assert client.get("/api/models/mdn-toy/density?x=0.5&t_min=5&t_max=1").status_code == 422


def test_arm_flags_an_unreachable_target(client):
    d = client.get("/api/models/mdn-arm/density?x=3,3").json()
    assert d["reachable"] is False and d["extrapolating"] is True


def test_arm_flags_a_reachable_target_that_no_training_pose_reached(client):
    """(0.5, 0.5) is inside the reachable ring and the data's bounding box, but every exact solution
    needs θ2 outside the sampled range: the network is extrapolating there."""
    d = client.get("/api/models/mdn-arm/density?x=0.5,0.5").json()
    assert d["reachable"] is True and d["in_training_domain"] is False and d["extrapolating"] is True
    inside = client.get("/api/models/mdn-arm/density?x=0.3,0.8").json()
    assert inside["in_training_domain"] is True and inside["extrapolating"] is False


def test_sweep_gives_curves_and_heatmap(client):
    s = client.get("/api/models/mdn-toy/sweep?x_points=50&t_points=40").json()
    assert len(s["x"]) == 50 and len(s["t"]) == 40
    components = client.get("/api/models/mdn-toy").json()["components"]
    assert np.array(s["pi"]).shape == (50, components) and np.allclose(np.array(s["pi"]).sum(1), 1, atol=1e-5)
    assert np.array(s["density"]).shape == (50, 40)
    assert client.get("/api/models/mdn-arm/sweep").status_code == 422


def test_training_data_sample(client):
    d = client.get("/api/models/mdn-toy/training-data?limit=50").json()
    x, t = np.array(d["x"]), np.array(d["t"])
    assert x.shape == (50, 1) and t.shape == (50, 1)
    assert np.abs(x - (t + 0.3 * np.sin(2 * np.pi * t))).max() <= 0.1 + 1e-4
