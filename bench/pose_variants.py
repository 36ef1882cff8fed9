"""The pose MDN against its unimodal twin, for variants of the shipped recipe: what docs/pose.md's
table of tried choices comes from.

    python bench/pose_variants.py                                   # the shipped recipe (pose-mdn)
    python bench/pose_variants.py '{"epochs": 100, "config": {"target": "depth", "fixed_bone_lengths": false}}'
    python bench/pose_variants.py '{"dirichlet_lambda": 1.0}'

The argument is JSON: recipe fields (epochs, lr, dirichlet_lambda, …), "config" (PoseMDNConfig
fields) and "data" (the recipe's data entries) replace the shipped recipe's. The variant and its
unimodal twin (K = 1, λ = 1, everything else the same) are trained as `latent-explorer train
pose-mdn` trains them (seeded, 2 threads), scored on the same held-out views, and one JSON line is
printed. Needs `latent-explorer data poses`."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: the repository root on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def variant(changes: dict) -> dict:
    import torch

    from models.pose_mdn import predict
    from training.pipeline import TRAIN_THREADS
    from training.pose_cameras import CameraRanges, held_out_views, split_by_clip
    from training.pose_metrics import pose_metrics
    from training.poses import load_poses
    from training.recipes import RECIPES
    from training.train_pose import train_pose_model, training_poses

    torch.set_num_threads(TRAIN_THREADS)
    changes = dict(changes)
    recipe = RECIPES["pose-mdn"]
    config = dataclasses.replace(recipe.config, **changes.pop("config", {}))
    recipe = dataclasses.replace(recipe, config=config, data={**recipe.data, **changes.pop("data", {})}, **changes)
    split = split_by_clip(load_poses(), recipe.data["test_clips"])
    train = training_poses(split, recipe.data["mirror"])
    ranges = CameraRanges(**{k: tuple(v) for k, v in recipe.data["cameras"].items()})
    views = held_out_views(split, ranges, recipe.data["test_views"], recipe.data["test_seed"])

    started = time.perf_counter()
    model, history = train_pose_model(config, recipe, train, show_progress=False)
    seconds = time.perf_counter() - started
    unimodal, _ = train_pose_model(dataclasses.replace(config, components=1),
                                   dataclasses.replace(recipe, dirichlet_lambda=1.0), train, show_progress=False)
    pi, hyps = predict(model, views.joints2d)
    single = predict(unimodal, views.joints2d)[1][:, 0]
    m = pose_metrics(pi, hyps, views.joints2d, views.joints3d, single, views.clip, split.test_clips)
    keep = ("mpjpe_best_of_k_mm", "mpjpe_most_probable_mm", "mpjpe_conditional_mean_mm", "mpjpe_unimodal_baseline_mm",
            "best_of_k_over_unimodal", "bone_length_error_best_of_k_mm", "bone_length_error_unimodal_baseline_mm",
            "reprojection_mm_max_pi_ge_min", "pi_by_rank")
    return {"config": config.to_dict(), "epochs": recipe.epochs, "dirichlet_lambda": recipe.dirichlet_lambda,
            "train_seconds": round(seconds, 1), "final_loss": history[-1], **{k: m[k] for k in keep},
            "per_clip_mpjpe_mm": m["per_clip_mpjpe_mm"]}


if __name__ == "__main__":
    print(json.dumps(variant(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
