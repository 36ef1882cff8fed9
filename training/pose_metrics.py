"""Held-out measures of 3-D pose hypotheses, in millimetres.

MPJPE (mean per-joint position error; Ionescu et al., Human3.6M, protocol 1): the mean over the
15 joints of the Euclidean distance to the truth, both poses pelvis-centred (the pelvis's own error
is 0 and counts in the mean, as Human3.6M's root does). With several hypotheses, "best of K" takes
the one closest to the truth (Li & Lee's measure: an oracle picks), "most probable" the largest π,
and "conditional mean" the pose Σ_k π_k μ_k."""

from __future__ import annotations

import torch

from models import skeleton
from models.pose_mdn import bone_vectors

MM = 1000.0


def joint_errors(pred: torch.Tensor, truth: torch.Tensor) -> torch.Tensor:
    """Per-joint distance after aligning the pelvises, mm: (…, 15, 3) → (…, 15)."""
    centred = lambda j: j - j[..., skeleton.ROOT : skeleton.ROOT + 1, :]  # noqa: E731
    return (centred(pred) - centred(truth)).norm(dim=-1) * MM


def bone_length_error(pred: torch.Tensor, truth: torch.Tensor) -> torch.Tensor:
    """Mean |length − true length| over the 14 bones, mm: (…, 15, 3) → (…,)."""
    return (bone_vectors(pred).norm(dim=-1) - bone_vectors(truth).norm(dim=-1)).abs().mean(-1) * MM


def reprojection_errors(hyps: torch.Tensor, joints2d: torch.Tensor) -> torch.Tensor:
    """How far each hypothesis's x, y lie from its (pelvis-centred) input, mean over joints, mm:
    hyps (B, K, 15, 3), joints2d (B, 15, 2) → (B, K)."""
    xy = joints2d - joints2d[:, skeleton.ROOT : skeleton.ROOT + 1]
    return (hyps[..., :2] - xy[:, None]).norm(dim=-1).mean(-1) * MM


def _pick(hyps: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return hyps[torch.arange(len(k)), k]


def pose_metrics(pi: torch.Tensor, hyps: torch.Tensor, joints2d: torch.Tensor, truth: torch.Tensor,
                 unimodal: torch.Tensor, clip: torch.Tensor, clip_names: list[str], pi_min: float = 0.1,
                 reprojection_tolerance_mm: float = 10.0) -> dict:
    """The MDN's hypotheses pi (B, K), hyps (B, K, 15, 3) and the unimodal baseline's answer
    unimodal (B, 15, 3) against the truth (B, 15, 3) of inputs joints2d (B, 15, 2)."""
    errors = joint_errors(hyps, truth[:, None])  # (B, K, 15)
    per_hypothesis = errors.mean(-1)  # (B, K)
    best = per_hypothesis.argmin(1)
    probable = pi.argmax(1)
    mean_pose = (pi[:, :, None, None] * hyps).sum(1)
    flat = torch.cat([joints2d - joints2d[:, :1], torch.zeros_like(joints2d[..., :1])], -1)  # every depth 0
    estimates = {
        "best_of_k": _pick(hyps, best), "most_probable": _pick(hyps, probable), "conditional_mean": mean_pose,
        "unimodal_baseline": unimodal, "flat_zero_depth": flat,
    }
    per_joint = {name: joint_errors(pose, truth) for name, pose in estimates.items()}  # (B, 15) each
    metrics = {f"mpjpe_{name}_mm": e.mean().item() for name, e in per_joint.items()}
    metrics["best_of_k_over_unimodal"] = metrics["mpjpe_best_of_k_mm"] / metrics["mpjpe_unimodal_baseline_mm"]
    metrics.update({f"bone_length_error_{name}_mm": bone_length_error(pose, truth).mean().item()
                    for name, pose in estimates.items() if name != "flat_zero_depth"})
    metrics["per_joint_mm"] = {name: [round(v, 2) for v in per_joint[name].mean(0).tolist()]
                               for name in ("best_of_k", "most_probable", "unimodal_baseline")}
    metrics["per_joint_order"] = list(skeleton.JOINTS)
    metrics["per_clip_mpjpe_mm"] = {
        c: {name: per_joint[name][clip == i].mean().item() for name in ("best_of_k", "most_probable", "unimodal_baseline")}
        for i, c in enumerate(clip_names)}

    # Reprojection: each hypothesis by rank of π (0 = most probable), and those with π ≥ pi_min.
    reproj = reprojection_errors(hyps, joints2d)  # (B, K)
    order = pi.argsort(1, descending=True)
    ranked_pi = pi.gather(1, order)
    likely = pi >= pi_min
    metrics.update({
        "reprojection_mm_by_rank": reproj.gather(1, order).mean(0).tolist(),
        "reprojection_mm_max_pi_ge_min": reproj.masked_fill(~likely, 0).max(1).values.mean().item(),
        "share_likely_hypotheses_within_tolerance": (reproj[likely] <= reprojection_tolerance_mm).float().mean().item(),
        "reprojection_tolerance_mm": reprojection_tolerance_mm,
        "reprojection_mm_unimodal_baseline": reprojection_errors(unimodal[:, None], joints2d).mean().item(),
        "pi_min": pi_min,
        "pi_by_rank": ranked_pi.mean(0).tolist(),
        "hypotheses_with_pi_ge_min": likely.sum(1).float().mean().item(),
        "mpjpe_by_rank_mm": per_hypothesis.gather(1, order).mean(0).tolist(),
        "n_test": len(truth),
    })
    return metrics
