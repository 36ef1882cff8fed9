"""Response and request schemas: what /docs and /openapi.json promise."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt


class ModelInfo(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str = Field(description="vae | cvae | mdn")
    title: str
    description: str
    metrics: dict[str, Any]
    latent_dim: int | None = None
    image_shape: list[int] | None = None
    labels: list[int] | None = None
    input_dim: int | None = None
    output_dim: int | None = None
    components: int | None = None
    input_range: list[list[float]] | None = Field(None, description="Training domain per input dimension")
    output_range: list[list[float]] | None = Field(None, description="Range of the training targets per output dimension")
    arm: dict[str, Any] | None = Field(None, description="Robot arm: link lengths l1, l2 and the sampled joint ranges")
    training: dict[str, Any] = Field(default_factory=dict, description="Epochs, optimiser, seed, seconds, …")
    data: dict[str, Any] = Field(default_factory=dict, description="Data source and split")
    config: dict[str, Any] = Field(default_factory=dict, description="Architecture hyper-parameters")


class FailedCheckpoint(BaseModel):
    path: str
    reason: str


class Health(BaseModel):
    status: str
    models: int
    failed: list[FailedCheckpoint]


class ImageJSON(BaseModel):
    shape: list[int]
    pixels: list[list[float]] = Field(description="Rows of pixel values in [0, 1]")


class GenerateJSON(BaseModel):
    z: list[list[float]]
    images: list[ImageJSON]


class Embedding(BaseModel):
    mu: list[list[float]] = Field(description="Encoder means of held-out digits")
    labels: list[int]


class EncodeRequest(BaseModel):
    # Strict: JSON true/false or "0.5" are not pixels.
    model_config = ConfigDict(extra="forbid")
    pixels: list[list[StrictFloat | StrictInt]] = Field(description="28 rows of 28 values in [0, 1], white ink on black")
    label: StrictInt | None = Field(None, description="Required for a cvae")


class Encoding(BaseModel):
    mu: list[float]
    sigma: list[float]


class Density(BaseModel):
    model_config = ConfigDict(extra="allow")
    x: list[float]
    pi: list[float]
    mu: list[list[float]]
    sigma: list[float]
    mean: list[float]
    variance: list[float] = Field(description="Per output dimension: Σ_k π_k (σ_k² + (μ_kl − mean_l)²)")
    most_probable: list[float]
    modes: list[list[float]]
    extrapolating: bool
    t: list[float] | None = None
    density: list[float] | None = None


class Sweep(BaseModel):
    model_config = ConfigDict(extra="allow")
    x: list[float]
    pi: list[list[float]]
    mu: list[list[list[float]]]
    sigma: list[list[float]]
    mean: list[list[float]]
    t: list[float] | None = None
    density: list[list[float]] | None = None


class TrainingData(BaseModel):
    x: list[list[float]]
    t: list[list[float]]
