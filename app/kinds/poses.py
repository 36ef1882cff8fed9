"""The pose kind: a mixture density network from a 2-D skeleton to its 3-D poses (Li & Lee, CVPR
2019), each kernel one pose that the camera could have seen; its facts carry the skeleton, the
cameras it was trained for and the held-out clips."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from app.kind import Extra, FactError, FastAnswer, Kind, Operation
from app.kinds.mixtures import MdnFacts, MixtureModel, density_operation, warm_up
from app.networks import Network
from app.operations import hypotheses
from app.routes import poses
from app.schemas import HypothesesQuery
from runtime import skeleton


class Cameras(BaseModel):
    """The orthographic cameras the model was trained for: azimuth about the vertical axis, elevation."""

    model_config = ConfigDict(strict=True, frozen=True, allow_inf_nan=False)
    azimuth_deg: list[float] = Field(min_length=2, max_length=2)
    elevation_deg: list[float] = Field(min_length=2, max_length=2)
    projection: StrictStr = "orthographic"


class PoseFacts(MdnFacts):
    joints: list[StrictStr] = Field(description="pose: the skeleton's joints, in the order of every pose")
    parents: list[int] = Field(description="pose: each joint's parent index (−1 for the root, the pelvis)")
    bones: list[list[int]] = Field(description="pose: the bones as [parent, child] joint indices")
    cameras: Cameras = Field(description="pose: the camera ranges the model was trained for")
    test_clips: list[StrictStr] = Field(description="pose: the held-out clips (GET …/test-poses)")
    baseline: StrictStr | None = Field(None, description="pose: the id of its unimodal twin (K = 1, same network and "
                                       "data), whose one answer is the average the mixture avoids")

    @staticmethod
    def ordered(low: float, high: float) -> bool:
        return low <= high  # the pelvis is the origin of every training input: its range is [0, 0]

    def agree_with(self, networks: dict[str, Network]) -> None:
        super().agree_with(networks)
        expected = {"joints": list(skeleton.JOINTS), "parents": list(skeleton.PARENTS),
                    "bones": [list(b) for b in skeleton.BONES]}
        for key, value in expected.items():
            if getattr(self, key) != value:
                raise FactError(key, f"is not the skeleton the model was built for ({value!r})")


class PoseModel(MixtureModel):
    """A served pose MDN: its graph answers in metres (the conversion from its z-scored targets is
    inside it, models/onnx_export.pose_graph), so the density needs nothing more."""

    @property
    def target(self) -> str:
        """What the kernels are over: "depth" (each joint's, relative to the pelvis) or "bone"."""
        return self.meta["config"].get("target", "depth")


def _warm_up(served: PoseModel) -> None:
    if served.target not in ("depth", "bone"):
        raise ValueError(f"config target {served.target!r}: the server knows depth and bone")
    warm_up(served)


POSE_KIND = Kind(
    "pose", PoseFacts, ("mdn",),
    operations=(
        Operation("hypotheses", poses.router, FastAnswer(HypothesesQuery, hypotheses.check, hypotheses.answer)),
        Operation("test-poses", poses.router),
        density_operation,
    ),
    served=PoseModel, warm_up=_warm_up,
    extras=(Extra("test_joints2d", 3), Extra("test_joints3d", 3), Extra("test_clip", 1), Extra("test_frame", 1),
            Extra("test_camera_deg", 2)),
)
