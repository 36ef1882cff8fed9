"""Which checkpoints exist and where, without torch: `metrics` and `export` read this, and the
recipes (training/recipes.py, which builds torch configs) are checked against it in tests."""

from __future__ import annotations

from pathlib import Path

from latent_explorer.paths import CHECKPOINTS
from latent_explorer.paths import EVALUATORS as EVALUATOR_DIR

# data set → the classifier that judges its image models (evaluators/, never served)
EVALUATORS = {"mnist": "digit-classifier", "fashion": "fashion-classifier"}
# Training order matters: the classifiers judge the image models.
TRAIN_ORDER = [*EVALUATORS.values(), "vae-2d", "vae-8d", "cvae", "fashion-vae-2d", "fashion-cvae", "mdn-toy", "mdn-arm",
               "pose-mdn"]


def names(name: str) -> list[str]:
    """'all' or one recipe id → the ids, in training order; KeyError naming the choices otherwise."""
    if name == "all":
        return list(TRAIN_ORDER)
    if name not in TRAIN_ORDER:
        raise KeyError(f"unknown checkpoint {name!r}; choose from: all, {', '.join(TRAIN_ORDER)}")
    return [name]


def checkpoint_dir(name: str, checkpoints: Path = CHECKPOINTS, evaluators: Path = EVALUATOR_DIR) -> Path:
    """Where a recipe's checkpoint lives: evaluators (never served) apart from the served ones."""
    return (evaluators if name in EVALUATORS.values() else checkpoints) / name
