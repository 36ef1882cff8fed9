"""GET /api/models/{id}/hypotheses, written once: from a validated HypothesesQuery to the response
(the route in app.routes.poses and app.hot_path both call `check` and `answer`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from starlette.responses import Response
from starlette.types import Scope

from app.params import parse_vector
from app.registry import ServedModel
from app.responses import cached
from app.schemas import HypothesesQuery
from runtime import skeleton
from runtime.pose import hypotheses as kernel_poses

MAX_ABS_METRES = 10.0  # a joint ten metres from another is no human pose


@dataclass(slots=True)
class Hypotheses:
    """One checked hypotheses query."""

    served: ServedModel
    joints: list[float]  # (2·joints,): x1, y1, …, metres


def check(served: ServedModel, query: HypothesesQuery) -> Hypotheses:
    """The 2-D joints: exactly two numbers per joint of the model's skeleton, each within ±10 m. A
    422 (HTTPException) naming the field otherwise."""
    return Hypotheses(served, parse_vector(query.joints, "joints", 2 * len(served.facts.joints), MAX_ABS_METRES))


def answer(hypotheses: Hypotheses, scope: Scope, state: dict, pairs: list[tuple[str, str]] | None = None) -> Response:
    """304 when the client holds this answer already, else the hypotheses as JSON. `state`: app.state's
    dict; `pairs`: the query string already parsed, if the caller has it."""
    h = hypotheses
    return cached(scope, h.served, state["settings"].cache_max_age, "application/json",
                  lambda: pose_hypotheses(h.served, h.joints), pairs=pairs)


def pose_hypotheses(served: ServedModel, joints: list[float]) -> dict:
    """Every kernel's 3-D pose for one 2-D skeleton, most probable first (runtime.pose.hypotheses),
    how far each reprojects from the input, and the bones whose depth sign differs between the two
    most probable: the front/back ambiguity an orthographic camera cannot resolve."""
    xy = np.asarray(joints, dtype=np.float32).reshape(-1, 2)
    xy = xy - xy[skeleton.ROOT]
    mix = served.mixture(xy.reshape(1, -1))
    pi, poses = kernel_poses(mix.log_pi[0], mix.mu[0], xy, served.target)  # (K,), (K, J, 3)
    reprojection = np.linalg.norm(poses[..., :2] - xy, axis=-1).mean(-1)
    flips = []
    if len(poses) > 1:
        parents, children = (list(side) for side in zip(*skeleton.BONES))
        depth_change = poses[:2, children, 2] - poses[:2, parents, 2]  # (2, bones)
        flips = [{"bone": skeleton.BONE_NAMES[b], "joints": list(skeleton.BONES[b])}
                 for b in np.flatnonzero(np.sign(depth_change[0]) * np.sign(depth_change[1]) < 0)]
    return {
        "joints2d": xy.tolist(),
        "hypotheses": [{"pi": float(p), "joints": pose.tolist(), "reprojection_error": float(e)}
                       for p, pose, e in zip(pi, poses, reprojection)],
        "depth_flips": flips,
    }

