import numpy as np
import pytest
import torch

from models import skeleton
from models.checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from models.mdn import mdn_loss
from models.pose_mdn import (
    PoseMDN,
    PoseMDNConfig,
    bone_vectors,
    depths_from_target,
    hypotheses,
    pose_loss,
    predict,
    raw_target,
)


def _poses(n: int, seed: int = 0) -> torch.Tensor:
    """Random 3-D joint sets (n, 15, 3), pelvis anywhere: the model never assumes a skeleton's shape."""
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, skeleton.N_JOINTS, 3, generator=g) * 0.3 + torch.randn(n, 1, 3, generator=g)


def _model(target: str = "depth", components: int = 4) -> PoseMDN:
    torch.manual_seed(0)
    model = PoseMDN(PoseMDNConfig(components=components, width=16, blocks=1, target=target))
    joints = _poses(64)
    model.set_normalisation(joints[..., :2], joints)
    return model.eval()


def test_skeleton_tables_agree():
    assert len(skeleton.JOINTS) == len(skeleton.PARENTS) == 15 and len(skeleton.BONES) == 14
    assert all(p < j for j, p in enumerate(skeleton.PARENTS) if j)  # parents first
    assert all(skeleton.MIRROR[skeleton.MIRROR[j]] == j for j in range(15))
    assert skeleton.JOINTS[skeleton.MIRROR[skeleton.INDEX["left_elbow"]]] == "right_elbow"
    assert skeleton.chain(skeleton.INDEX["right_wrist"]) == [0, 1, 6, 7, 8]


@pytest.mark.parametrize("target", ["depth", "bone"])
def test_shapes_and_a_finite_loss(target):
    model = _model(target).train()
    joints = _poses(8, seed=1)
    mix = model(joints[..., :2])
    assert mix.log_pi.shape == (8, 4) and mix.log_sigma.shape == (8, 4) and mix.mu.shape == (8, 4, 14)
    loss = pose_loss(model, joints[..., :2], joints, dirichlet_lambda=2.0)
    assert torch.isfinite(loss)
    assert torch.allclose(loss, mdn_loss(model(joints[..., :2]), model.target(joints), 2.0))
    loss.backward()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters())


@pytest.mark.parametrize("target", ["depth", "bone"])
def test_targets_and_normalisation_round_trip(target):
    model = _model(target)
    joints = _poses(10, seed=2).double()
    model.double()
    depth = joints[..., 2] - joints[..., :1, 2]
    assert torch.allclose(depths_from_target(raw_target(joints, target), target), depth, atol=1e-12)
    assert torch.allclose(model.depths(model.target(joints)), depth, atol=1e-12)


def test_normalisation_z_scores_the_training_targets():
    model = _model("bone")
    joints = _poses(64)  # the views set_normalisation saw
    t = model.target(joints)
    assert torch.allclose(t.mean(0), torch.zeros(14), atol=1e-5) and torch.allclose(t.std(0), torch.ones(14), atol=1e-4)


def test_the_input_is_taken_relative_to_the_pelvis():
    model = _model()
    joints2d = _poses(5, seed=3)[..., :2]
    a, b = model(joints2d), model(joints2d + torch.tensor([0.7, -0.2]))
    assert torch.allclose(a.mu, b.mu, atol=1e-6)


def test_hypotheses_sorted_by_pi_reproject_onto_the_input():
    model = _model()
    joints2d = _poses(1, seed=4)[0, :, :2]
    pi, joints = hypotheses(model, joints2d.numpy())
    assert pi.shape == (4,) and joints.shape == (4, 15, 3)
    assert np.all(np.diff(pi) <= 0) and pi.sum() == pytest.approx(1.0, abs=1e-6)
    centred = (joints2d - joints2d[0]).numpy()
    assert np.allclose(joints[..., :2], centred) and np.all(joints[:, 0] == 0)
    # The same answers as the batch form, reordered by π.
    pi_b, joints_b = predict(model, joints2d[None])
    order = np.argsort(-pi_b[0].numpy(), kind="stable")
    assert np.allclose(joints, joints_b[0].numpy()[order])


def test_checkpoint_round_trip_keeps_the_normalisation(tmp_path):
    model = _model("bone")
    meta = {"id": "tiny-pose", "kind": "pose", "config": model.config.to_dict()}
    save_checkpoint(tmp_path, Checkpoint(model, meta))
    loaded = load_checkpoint(tmp_path).model
    assert isinstance(loaded, PoseMDN) and loaded.config == model.config
    assert torch.equal(loaded.target_std, model.target_std)
    joints2d = _poses(1, seed=5)[0, :, :2].numpy()
    for a, b in zip(hypotheses(loaded, joints2d), hypotheses(model, joints2d)):
        assert np.array_equal(a, b)


def test_bad_configs_are_refused():
    with pytest.raises(ValueError, match="target"):
        PoseMDNConfig(target="xyz")
    with pytest.raises(ValueError, match="joints"):
        PoseMDNConfig(joints=17)


def test_fixed_bone_lengths_keep_every_hypothesis_within_the_skeleton():
    """μ_b = tanh(a_b) · √(L_b² − |Δxy_b|²): no hypothesis makes a bone longer than the skeleton's,
    and a depth change of ±√(L² − |Δxy|²) (the truth, for a pose of this skeleton) is within reach."""
    torch.manual_seed(0)
    model = PoseMDN(PoseMDNConfig(components=3, width=16, blocks=1, target="bone", fixed_bone_lengths=True,
                                  target_scaling="shared"))
    joints = _poses(64)
    model.set_normalisation(joints[..., :2], joints)
    model.eval()
    lengths = model.bone_length
    # Poses with exactly these bone lengths: unit directions scaled by L, laid down the tree.
    g = torch.Generator().manual_seed(1)
    direction = torch.nn.functional.normalize(torch.randn(20, 14, 3, generator=g), dim=-1)
    pose = [torch.zeros(20, 3)]
    for j in range(1, 15):
        pose.append(pose[skeleton.PARENTS[j]] + direction[:, j - 1] * lengths[j - 1])
    pose = torch.stack(pose, 1)
    _, hyps = predict(model, pose[..., :2])
    assert (bone_vectors(hyps).norm(dim=-1) <= lengths + 1e-5).all()
    with pytest.raises(ValueError, match="target 'bone'"):
        PoseMDNConfig(fixed_bone_lengths=True)
