"""The pose MDN's training, evaluation and checkpoint on tiny random clips (tests/training/pose_files.py)."""

import dataclasses

import numpy as np
import pytest
import torch

from models.checkpoint import load_checkpoint
from models.pose_mdn import hypotheses
from tests.training.pose_files import write_pose_folder
from training.evaluation import evaluate_pose
from training.pose_cameras import split_by_clip
from training.poses import load_poses
from training.recipes import RECIPES
from training.train_pose import train_pose_model, training_poses


def _tiny_recipe(epochs: int = 3):
    recipe = RECIPES["pose-mdn"]
    config = dataclasses.replace(recipe.config, width=16, blocks=1)
    data = {**recipe.data, "test_clips": ["walk"], "normalisation_views": 2, "test_views": 2}
    return dataclasses.replace(recipe, config=config, epochs=epochs, batch_size=16, data=data)


@pytest.fixture
def poses(tmp_path):
    return load_poses(write_pose_folder(tmp_path / "poses"))


def test_training_is_reproducible_for_a_seed(poses):
    recipe = _tiny_recipe()
    train = training_poses(split_by_clip(poses, ["walk"]), with_mirror=True)
    assert len(train) == 2 * (8 + 10 + 9)
    a, history_a = train_pose_model(recipe.config, recipe, train, show_progress=False)
    b, history_b = train_pose_model(recipe.config, recipe, train, show_progress=False)
    assert history_a == history_b
    for (name, p), q in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(p, q), name
    c, _ = train_pose_model(recipe.config, dataclasses.replace(recipe, seed=1), train, show_progress=False)
    assert not torch.equal(c.state_dict()["to_pi.weight"], a.state_dict()["to_pi.weight"])


def test_evaluation_reports_every_measure_against_the_unimodal_twin(poses):
    recipe = _tiny_recipe()
    train = training_poses(split_by_clip(poses, ["walk"]), with_mirror=True)
    model, _ = train_pose_model(recipe.config, recipe, train, show_progress=False)
    metrics, twin = evaluate_pose(model, recipe, poses, show_progress=False)
    assert twin.config.components == 1
    for name in ("best_of_k", "most_probable", "conditional_mean", "unimodal_baseline", "flat_zero_depth"):
        assert metrics[f"mpjpe_{name}_mm"] > 0
    assert metrics["mpjpe_best_of_k_mm"] <= metrics["mpjpe_most_probable_mm"]  # the oracle never loses
    assert metrics["n_test"] == 12 * 2 and set(metrics["per_clip_mpjpe_mm"]) == {"walk"}
    assert len(metrics["per_joint_mm"]["best_of_k"]) == 15 and len(metrics["reprojection_mm_by_rank"]) == 5
    # x, y come from the input: every hypothesis reprojects exactly (float32 rounding aside).
    assert max(metrics["reprojection_mm_by_rank"]) < 1e-3 and metrics["share_likely_hypotheses_within_tolerance"] == 1.0
    assert sum(metrics["pi_by_rank"]) == pytest.approx(1.0, abs=1e-5)


def test_pipeline_writes_a_servable_checkpoint(tmp_path, poses, monkeypatch):
    """`latent-explorer train pose-mdn --data poses=DIR`: weights with the normalisation, meta with
    the data's provenance and split, extras with one view of every held-out frame."""
    from training import pipeline

    monkeypatch.setitem(pipeline.RECIPES, "pose-mdn", _tiny_recipe(epochs=2))
    [out] = pipeline.train("pose-mdn", {"poses": tmp_path / "poses"}, checkpoints=tmp_path / "ck",
                           evaluators=tmp_path / "ev", show_progress=False)
    ckpt = load_checkpoint(out)
    meta, extras = ckpt.meta, ckpt.extras
    assert meta["kind"] == "pose" and meta["config"]["components"] == 5 and meta["training"]["dirichlet_lambda"] == 2.0
    assert meta["data"]["test_clips"] == ["walk"] and "walk" not in meta["data"]["train_clips"]
    assert meta["data"]["n_test_frames"] == 12 and "zlib" in meta["data"]["licence"]
    assert meta["data"]["cameras"]["elevation_deg"] == [-10.0, 30.0]
    assert meta["joints"][0] == "pelvis" and len(meta["bones"]) == 14
    assert meta["metrics"]["mpjpe_unimodal_baseline_mm"] > 0
    assert extras["test_joints2d"].shape == (12, 15, 2) and extras["test_joints3d"].shape == (12, 15, 3)
    assert extras["test_frame"].tolist() == list(range(12)) and set(extras["test_clip"].tolist()) == {0}
    assert torch.equal(extras["test_joints2d"], extras["test_joints3d"][..., :2])
    pi, joints = hypotheses(ckpt.model, extras["test_joints2d"][0].numpy())
    assert joints.shape == (5, 15, 3) and np.all(np.diff(pi) <= 0)


def test_train_without_the_pose_cache_says_what_to_run(tmp_path, monkeypatch, capsys):
    from latent_explorer.cli import main

    monkeypatch.setenv("LATENT_EXPLORER_DATA", str(tmp_path / "empty-cache"))
    assert main(["train", "pose-mdn", "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "latent-explorer data poses" in err
