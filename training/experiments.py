"""Train a shipped recipe with some fields changed and print its test metrics; nothing is written to
checkpoints/. How docs/training.md's table of what was tried was made, and how to add a row to it:

    python -m training.experiments vae-8d hidden=512,512 epochs=40 kl_weight=1.5 seed=1
    python -m training.experiments mdn-toy components=20 --log bench/results/training_experiments.jsonl

A key is a recipe field (epochs, batch_size, lr, seed, weight_decay, kl_weight, dirichlet_lambda)
or a field of its model config (hidden, latent_dim, components, …); a list is written with commas.
An MDN is measured without retraining its unimodal baseline (only `evaluate` does that)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import torch

from latent_explorer.paths import EVALUATORS as EVALUATOR_DIR
from training import evaluation
from training.mnist import load_dataset
from training.pipeline import TRAIN_THREADS, _load_classifier
from training.recipes import RECIPES, Recipe
from training.train_digits import train_digit_model
from training.train_mdn import train_mdn


def _value(text: str):
    """'512,512' → [512, 512]; '1e-3' → 0.001; '40' → 40; 'true' → True."""
    if "," in text:
        return [_value(part) for part in text.split(",") if part]
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for parse in (int, float):
        try:
            return parse(text)
        except ValueError:
            pass
    return text


def variant(recipe: Recipe, changes: dict) -> Recipe:
    """The recipe with `changes` applied to it or to its model config; an unknown key is an error."""
    own = {f.name for f in dataclasses.fields(recipe)}
    config_fields = {f.name for f in dataclasses.fields(recipe.config)}
    unknown = set(changes) - own - config_fields
    if unknown:
        raise KeyError(f"no recipe or config field {', '.join(sorted(unknown))}; "
                       f"recipe: {', '.join(sorted(own - {'config', 'id', 'title', 'description'}))}; "
                       f"config: {', '.join(sorted(config_fields))}")
    config = dataclasses.replace(recipe.config, **{k: v for k, v in changes.items() if k in config_fields})
    return dataclasses.replace(recipe, config=config, **{k: v for k, v in changes.items() if k in own})


def run(recipe: Recipe, evaluators: Path = EVALUATOR_DIR) -> dict:
    """Train the recipe from scratch and measure it as `evaluate` would. → metrics and seconds"""
    torch.set_num_threads(TRAIN_THREADS)
    started = time.perf_counter()
    if recipe.kind == "mdn":
        ckpt, _ = train_mdn(recipe, show_progress=False)
        seconds = time.perf_counter() - started
        metrics = evaluation.evaluate_mdn(ckpt.model, recipe, recipe.data, show_progress=False, baseline=False)
    elif recipe.kind in ("vae", "cvae"):
        split = load_dataset(recipe.dataset, None)
        ckpt, _ = train_digit_model(recipe, split, show_progress=False)
        seconds = time.perf_counter() - started
        metrics = evaluation.evaluate_digit_model(ckpt.model, split, _load_classifier(evaluators, recipe.dataset))
    else:
        raise KeyError(f"{recipe.id}: experiments cover the VAEs and the toy MDNs")
    return {"seconds": round(seconds, 1), "metrics": metrics}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.experiments", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("id", choices=[r.id for r in RECIPES.values() if r.kind in ("vae", "cvae", "mdn")])
    parser.add_argument("changes", nargs="*", help="key=value")
    parser.add_argument("--evaluators", type=Path, default=EVALUATOR_DIR, help="folder of the evaluator classifiers")
    parser.add_argument("--log", type=Path, default=None, help="append the result as one JSON line to this file")
    args = parser.parse_args(argv)
    try:
        if bad := [c for c in args.changes if "=" not in c]:
            raise ValueError(f"{bad[0]!r}: write a change as key=value, e.g. epochs=40")
        changes = {key: _value(value) for key, value in (c.split("=", 1) for c in args.changes)}
        recipe = variant(RECIPES[args.id], changes)
    except (ValueError, KeyError) as e:
        print(f"training.experiments: {e.args[0]}", file=sys.stderr)
        return 2
    result = {"id": args.id, "changes": changes, **run(recipe, args.evaluators)}
    line = json.dumps(result)
    print(line)
    if args.log:
        args.log.parent.mkdir(parents=True, exist_ok=True)
        with args.log.open("a") as f:
            f.write(line + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
