import dataclasses

import torch

from training.evaluation import evaluate_mdn
from training.recipes import RECIPES
from training.train_mdn import make_toy_data, train_mdn_model


def _tiny_recipe():
    recipe = RECIPES["mdn-toy"]
    data = {**recipe.data, "n_train": 200, "n_test": 200}
    config = dataclasses.replace(recipe.config, hidden=[8], components=5)
    return dataclasses.replace(recipe, epochs=5, batch_size=50, data=data, config=config)


def test_training_is_reproducible_for_a_seed():
    recipe = _tiny_recipe()
    x, t = make_toy_data(recipe.data, "train")
    a, history_a = train_mdn_model(recipe.config, recipe, x, t, show_progress=False)
    b, history_b = train_mdn_model(recipe.config, recipe, x, t, show_progress=False)
    assert history_a == history_b
    for (name, p), q in zip(a.state_dict().items(), b.state_dict().values()):
        assert torch.equal(p, q), name
    c, _ = train_mdn_model(recipe.config, dataclasses.replace(recipe, seed=1), x, t, show_progress=False)
    assert not torch.equal(c.state_dict()["to_pi.weight"], a.state_dict()["to_pi.weight"])


def test_training_lowers_the_loss_and_evaluation_reports_the_baseline():
    recipe = dataclasses.replace(_tiny_recipe(), epochs=30)
    x, t = make_toy_data(recipe.data, "train")
    model, history = train_mdn_model(recipe.config, recipe, x, t, show_progress=False)
    assert history[-1] < history[0] - 0.3
    metrics = evaluate_mdn(model, recipe, recipe.data, show_progress=False)
    assert {"test_nll_nats", "train_nll_nats", "unimodal_baseline_test_nll_nats"} <= set(metrics)
    # No model beats the true conditional density on its own test points.
    assert metrics["best_possible_test_nll_nats"] < metrics["test_nll_nats"]
    # S(x) is never three intervals (tests/training/test_toy_data.py), so there is no share to report.
    assert metrics["grid_x_with_three_intervals"] == 0 and metrics["three_modes_where_three_intervals"] is None
    assert metrics["grid_x_with_two_intervals"] > 0 and 0 <= metrics["grid_x_with_three_modes"] <= metrics["grid_points"]


def test_pipeline_writes_a_complete_checkpoint_from_idx_files(tmp_path, monkeypatch):
    """`latent-explorer train vae-2d --data DIR` on IDX files: weights, metadata with split and metrics."""

    from models.checkpoint import load_checkpoint
    from models.vae import VAEConfig
    from tests.training.idx_files import write_idx_set
    from training import pipeline

    idx = write_idx_set(tmp_path / "idx", 64, 16, gz=True)
    tiny = dataclasses.replace(RECIPES["vae-2d"], epochs=2, config=VAEConfig(latent_dim=2, hidden=[16]))
    monkeypatch.setitem(pipeline.RECIPES, "vae-2d", tiny)
    monkeypatch.setattr("training.evaluation.IW_SAMPLES", 5)

    [out] = pipeline.train("vae-2d", {"mnist": idx}, checkpoints=tmp_path / "ck",
                           evaluators=tmp_path / "ev", show_progress=False)
    ckpt = load_checkpoint(out)
    meta = ckpt.meta
    assert meta["kind"] == "vae" and meta["latent_dim"] == 2 and meta["training"]["epochs"] == 2
    assert meta["data"]["n_train"] == 64 and meta["data"]["n_test"] == 16 and meta["data"]["dataset"] == "mnist"
    assert meta["metrics"]["test_neg_elbo_nats"] > 0 and meta["metrics"]["iw_samples"] == 5
    assert ckpt.extras["embedding_mu"].shape == (16, 2)
