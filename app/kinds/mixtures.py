"""The mdn kind: a mixture density network p(t|x) = Σ π_k N(t | μ_k, σ_k²) (Bishop 1994), on the toy
inverse problem or the two-link arm, whose facts then carry the arm's geometry."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from app import inference
from app.kind import Extra, FactError, Facts, FastAnswer, Kind, Operation
from app.networks import Network
from app.operations import density
from app.registry import ServedModel
from app.routes import mixtures
from app.schemas import DensityQuery
from runtime.mixture import Mixture

Range = list[float]  # [low, high]


class ArmFacts(BaseModel):
    """Robot arm: link lengths l1, l2 and the sampled joint ranges (models.kinematics.ArmGeometry)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)
    l1: float = Field(gt=0)
    l2: float = Field(gt=0)
    theta1_range: Range = Field(min_length=2, max_length=2)
    theta2_range: Range = Field(min_length=2, max_length=2)


class MdnFacts(Facts):
    model_config = ConfigDict(allow_inf_nan=False)
    input_dim: StrictInt = Field(description="mdn: the length of x")
    output_dim: StrictInt = Field(description="mdn: the length of t")
    components: StrictInt = Field(description="mdn: the number of kernels K")
    input_range: list[Range] = Field(description="Training domain per input dimension")
    output_range: list[Range] = Field(description="Range of the training targets per output dimension")
    arm: ArmFacts | None = Field(None, description="Robot arm: link lengths l1, l2 and the sampled joint ranges")

    @staticmethod
    def ordered(low: float, high: float) -> bool:
        """Whether [low, high] is a range this kind accepts: a non-empty interval."""
        return low < high

    def agree_with(self, networks: dict[str, Network]) -> None:
        mdn = networks["mdn"]
        mu = mdn.width("mu") or ()  # (K, L)
        shape = {"input_dim": mdn.inputs.get("x"), "output_dim": mu[1] if len(mu) == 2 else None,
                 "components": mu[0] if mu else None}
        for key, value in shape.items():
            if getattr(self, key) != value:
                raise FactError(key, f"{getattr(self, key)} does not match the model ({value})")
        for key, dim in (("input_range", self.input_dim), ("output_range", self.output_dim)):
            ranges = getattr(self, key)
            if len(ranges) != dim or not all(len(r) == 2 and self.ordered(r[0], r[1]) for r in ranges):
                raise FactError(key, f"must be {dim} pairs [low, high] of finite numbers, got {ranges!r}")
        if self.arm is not None and (self.input_dim != 2 or self.output_dim != 2):
            raise FactError("arm", "needs a model from (x1, x2) to (θ1, θ2)")


class MixtureModel(ServedModel):
    """A served mixture density network."""

    def mixture(self, x: np.ndarray) -> Mixture:
        """p(t|x) at x (B, input_dim) float32, in the units of the data (the graph's: models/onnx_export.py)."""
        log_pi, log_sigma, mu = self.networks["mdn"].run(x=x)
        return Mixture(log_pi=log_pi, log_sigma=log_sigma, mu=mu)


def warm_up(served: MixtureModel) -> None:
    inference.mixture_at(served, np.zeros((1, served.facts.input_dim), dtype=np.float32))


density_operation = Operation("density", mixtures.router, FastAnswer(DensityQuery, density.check, density.answer))

MDN_KIND = Kind(
    "mdn", MdnFacts, ("mdn",),
    operations=(
        density_operation,
        Operation("sweep", mixtures.router),
        Operation("training-data", mixtures.router),
    ),
    served=MixtureModel, warm_up=warm_up,
    extras=(Extra("data_x", 2, width_fact="input_dim"), Extra("data_t", 2, width_fact="output_dim")),
)
