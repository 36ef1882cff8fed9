"""Training of mixture density networks on their seeded toy data."""

from __future__ import annotations

import torch

from models.checkpoint import Checkpoint
from models.kinematics import ArmGeometry
from models.mdn import MDN, MDNConfig, mdn_loss
from training.loop import train_epochs
from training.recipes import Recipe
from training.toy_data import inverse_sine, robot_arm

DATA_SAMPLE_SIZE = 500  # points of the training data shipped for the page's scatter plot


def make_toy_data(data: dict, split: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The recipe's data spec → (x, t) of the "train" or "test" split, regenerated from its seed."""
    n, seed = data[f"n_{split}"], data[f"{split}_seed"]
    if data["generator"] == "inverse_sine":
        return inverse_sine(n, seed)
    if data["generator"] == "robot_arm":
        return robot_arm(n, seed, ArmGeometry(**data["arm"]))
    raise ValueError(f"unknown toy data generator {data['generator']!r}")


def train_mdn_model(
    config: MDNConfig, recipe: Recipe, x: torch.Tensor, t: torch.Tensor, show_progress: bool = True,
    desc: str | None = None,
) -> tuple[MDN, list[float]]:
    torch.manual_seed(recipe.seed)
    model = MDN(config)
    history = train_epochs(
        model, lambda m, xb, tb: mdn_loss(m(xb), tb, recipe.dirichlet_lambda), (x, t),
        epochs=recipe.epochs, batch_size=recipe.batch_size, lr=recipe.lr, seed=recipe.seed,
        weight_decay=recipe.weight_decay, desc=desc or recipe.id, show_progress=show_progress,
    )
    return model, history


def train_mdn(recipe: Recipe, show_progress: bool = True) -> tuple[Checkpoint, list[float]]:
    x, t = make_toy_data(recipe.data, "train")
    model, history = train_mdn_model(recipe.config, recipe, x, t, show_progress)
    cfg = recipe.config
    meta = {
        "input_dim": cfg.input_dim,
        "output_dim": cfg.output_dim,
        "components": cfg.components,
        # The training domain per input dimension: outside it the network extrapolates.
        "input_range": [[float(x[:, i].min()), float(x[:, i].max())] for i in range(cfg.input_dim)],
        "output_range": [[float(t[:, i].min()), float(t[:, i].max())] for i in range(cfg.output_dim)],
    }
    if "arm" in recipe.data:
        meta["arm"] = recipe.data["arm"]
    extras = {"data_x": x[:DATA_SAMPLE_SIZE].clone(), "data_t": t[:DATA_SAMPLE_SIZE].clone()}
    return Checkpoint(model=model, meta=meta, extras=extras), history
