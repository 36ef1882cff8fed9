"""Train and evaluate shipped checkpoints by name: what `latent-explorer train/evaluate` runs."""

from __future__ import annotations

import dataclasses
import platform
import time
from pathlib import Path

import torch
from torch import nn

from latent_explorer.paths import CHECKPOINTS
from latent_explorer.paths import EVALUATORS as EVALUATOR_DIR
from models.checkpoint import Checkpoint, load_checkpoint, save_checkpoint, write_meta
from models.classifier import DigitClassifier
from training.evaluation import evaluate_classifier, evaluate_digit_model, evaluate_mdn, evaluate_pose
from training.mnist import MnistSplit, load_dataset
from training.poses import Poses, load_poses
from training.recipes import EVALUATORS, RECIPES, Recipe, checkpoint_dir, names
from training.train_digits import train_digit_model
from training.train_mdn import train_mdn
from training.train_pose import BASELINE_ID, train_pose

# Reproducibility is per seed *and* thread count (float sums are ordered per thread): training
# always uses this many, whatever the machine has, so a rerun on the same machine gives the same
# bytes. Another CPU model may pick other float kernels and drift apart (docs/training.md).
TRAIN_THREADS = 2

DataDirs = dict[str, Path]  # data set name → folder of its files (else the verified cache)


def datasets_needed(name: str) -> list[str]:
    return sorted({RECIPES[n].dataset for n in names(name) if RECIPES[n].dataset})


class _DataCache:
    """Load each data set once per command, whichever models need it."""

    def __init__(self, data_dirs: DataDirs | None):
        self.dirs, self._loaded = dict(data_dirs or {}), {}

    def get(self, dataset: str) -> MnistSplit | Poses:
        if dataset not in self._loaded:
            load = load_poses if dataset == "poses" else lambda d: load_dataset(dataset, d)
            self._loaded[dataset] = load(self.dirs.get(dataset))
        return self._loaded[dataset]


def train(name: str, data_dirs: DataDirs | None = None, checkpoints: Path = CHECKPOINTS,
          evaluators: Path = EVALUATOR_DIR, show_progress: bool = True, seed: int | None = None) -> list[Path]:
    """Train (then evaluate) each named model from scratch and write its checkpoint folder; `seed`
    replaces each recipe's own (initial weights and batch order) to see what a figure owes to luck."""
    torch.set_num_threads(TRAIN_THREADS)
    data = _DataCache(data_dirs)
    written = []
    for n in names(name):
        recipe = RECIPES[n] if seed is None else dataclasses.replace(RECIPES[n], seed=seed)
        started = time.perf_counter()
        if recipe.kind == "mdn":
            ckpt, history = train_mdn(recipe, show_progress)
            data_meta = recipe.data
        elif recipe.kind == "pose":
            ckpt, history, data_meta = train_pose(recipe, data.get("poses"), show_progress)
        else:
            split = data.get(recipe.dataset)
            ckpt, history = train_digit_model(recipe, split, show_progress)
            data_meta = split.info
        seconds = time.perf_counter() - started
        ckpt.meta = _meta(recipe, ckpt.meta, data_meta, history, seconds)
        out = checkpoint_dir(n, checkpoints, evaluators)
        save_checkpoint(out, ckpt)
        evaluate(n, data_dirs, checkpoints, evaluators, show_progress, _data=data)
        written.append(out)
    return written


def cpu_model() -> str:
    """The CPU's model name (Linux: /proc/cpuinfo; platform.processor() is empty there): which
    machine the bytes are reproducible on."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


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
            "dirichlet_lambda": recipe.dirichlet_lambda if recipe.kind in ("mdn", "pose") else None,
            "kl_weight": recipe.kl_weight if recipe.kind in ("vae", "cvae") else None,
            "seed": recipe.seed,
            "seconds": round(seconds, 2),
            "seconds_per_epoch": round(seconds / recipe.epochs, 4),
            "final_train_loss": history[-1],
            "loss_every_10_epochs": [round(h, 4) for h in history[::10]],
            "torch": torch.__version__,
            "torch_threads": torch.get_num_threads(),
            "machine": f"{platform.machine()}, {cpu_model()}",
        },
        "metrics": {},
    }


def evaluate(name: str, data_dirs: DataDirs | None = None, checkpoints: Path = CHECKPOINTS,
             evaluators: Path = EVALUATOR_DIR, show_progress: bool = True, _data: _DataCache | None = None) -> dict:
    """Compute test-set metrics for each named checkpoint, store them in its meta.json, return them."""
    torch.set_num_threads(TRAIN_THREADS)
    data = _data or _DataCache(data_dirs)
    results = {}
    for n in names(name):
        directory = checkpoint_dir(n, checkpoints, evaluators)
        ckpt = load_checkpoint(directory)
        kind = ckpt.meta["kind"]
        if kind == "mdn":
            metrics = evaluate_mdn(ckpt.model, RECIPES[n], ckpt.meta["data"], show_progress)
        elif kind == "pose":
            metrics, baseline = evaluate_pose(ckpt.model, RECIPES[n], data.get("poses"), show_progress)
            save_checkpoint(directory.parent / BASELINE_ID, baseline_checkpoint(ckpt, baseline, metrics))
        else:
            split = data.get(RECIPES[n].dataset)
            if kind == "classifier":
                metrics = evaluate_classifier(ckpt.model, split)
            else:
                metrics = evaluate_digit_model(ckpt.model, split, _load_classifier(evaluators, RECIPES[n].dataset))
        ckpt.meta["metrics"] = metrics
        write_meta(directory, ckpt.meta)
        results[n] = metrics
    return results


def _load_classifier(evaluators: Path, dataset: str) -> DigitClassifier | None:
    path = evaluators / EVALUATORS[dataset]
    if not path.exists():
        return None
    ckpt: Checkpoint = load_checkpoint(path)
    return ckpt.model


def baseline_checkpoint(ckpt: Checkpoint, baseline: nn.Module, metrics: dict) -> Checkpoint:
    """The pose model's unimodal twin as a checkpoint of its own, which the page shows beside the
    hypotheses: the same facts and held-out frames, its one answer's held-out errors as its metrics."""
    meta = {key: value for key, value in ckpt.meta.items() if key != "baseline"}
    meta.update(id=BASELINE_ID, title="Unimodal twin of the pose MDN (K = 1)", components=1,
                description="The same network, data and schedule with one Gaussian and no prior: the average "
                            "pose the mixture's hypotheses are compared with.",
                config=baseline.config.to_dict(),
                metrics={k: v for k, v in metrics.items() if "unimodal" in k or k == "n_test"})
    return Checkpoint(model=baseline, meta=meta, extras=ckpt.extras)
