"""3-D poses from a 2-D skeleton (Li & Lee 2019): every hypothesis of a pose MDN, and the held-out
poses it is measured on."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter, Query, Request, Response

from app.deps import OperationModel, SettingsDep, app_state
from app.operations import hypotheses
from app.params import invalid
from app.registry import ServedModel
from app.responses import ERRORS, RowLimit, cached
from app.schemas import HypothesesQuery, PoseHypotheses, TestPoses

router = APIRouter(prefix="/api/models/{model_id}", tags=["3-D pose"])


@router.get("/hypotheses", response_model=PoseHypotheses, responses=ERRORS)
async def pose_hypotheses(request: Request, served: OperationModel, query: Annotated[HypothesesQuery, Query()]) -> Response:
    """Every 3-D pose the mixture proposes for one 2-D skeleton, most probable first, each with its
    probability π and how far it reprojects from the input; and the bones whose depth order differs
    between the two most probable."""
    return hypotheses.answer(hypotheses.check(served, query), request.scope, app_state(request.app))


@router.get("/test-poses", response_model=TestPoses, responses=ERRORS)
async def held_out_poses(
    request: Request, served: OperationModel, settings: SettingsDep,
    clip: Annotated[str | None, Query(max_length=100, description="One held-out clip (default: all of them)")] = None,
    limit: RowLimit = None,
) -> Response:
    """Held-out frames (never trained on), each as the camera saw it (2-D input) and the truth (3-D),
    in clip and frame order; at most `limit` frames, spread evenly."""
    clips = served.facts.test_clips
    if clip is not None and clip not in clips:
        raise invalid("clip", f"unknown clip {clip[:40]!r}; the held-out clips are {', '.join(clips)}")
    return cached(request.scope, served, settings.cache_max_age, "application/json",
                  lambda: _test_poses(served, clip, limit))


def _test_poses(served: ServedModel, clip: str | None, limit: int | None) -> dict:
    """The held-out frames shipped with the checkpoint, of one clip or all, at most `limit` spread evenly."""
    extras, clips = served.extras, served.facts.test_clips
    rows = np.arange(len(extras["test_clip"]))
    if clip is not None:
        rows = rows[extras["test_clip"] == clips.index(clip)]
    if limit is not None and limit < len(rows):
        rows = rows[(np.arange(limit) * len(rows)) // limit]
    rounded = lambda name: np.round(extras[name][rows].astype(np.float64), 5).tolist()  # noqa: E731
    return {
        "clips": clips,
        "clip": [clips[i] for i in extras["test_clip"][rows].tolist()],
        "frame": extras["test_frame"][rows].tolist(),
        "camera_deg": rounded("test_camera_deg"),
        "joints2d": rounded("test_joints2d"),
        "joints3d": rounded("test_joints3d"),
    }

