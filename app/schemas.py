"""Response and request schemas: what /docs and /openapi.json promise."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, create_model
from pydantic.json_schema import SkipJsonSchema

if TYPE_CHECKING:
    from app.kind import Kind


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: str = Field(description="The query parameter or body field, e.g. z, label, pixels.3")
    message: str


class Error(BaseModel):
    """The body of every 4xx answer."""
    model_config = ConfigDict(extra="forbid")  # the document says exactly what is sent
    detail: str = Field(description="<field>: <what is wrong and what is allowed>")
    # Sent only when FastAPI's parameter validation failed (422); never null, so not nullable here.
    errors: list[FieldError] | SkipJsonSchema[None] = Field(None, description="Each invalid field, at most 20")


class LinearLayer(BaseModel):
    op: Literal["linear"] = Field(description="h ← W·h + b")
    weight: str = Field(description="Tensor name of W, (out, in) row-major")
    bias: str = Field(description="Tensor name of b, (out,)")
    in_: int = Field(alias="in")
    out: int


class Activation(BaseModel):
    op: Literal["relu", "sigmoid"] = Field(description="Elementwise: max(h, 0), or 1 / (1 + exp(−h))")


class DecoderInput(BaseModel):
    latent_dim: int = Field(description="z comes first, these many values")
    labels: int = Field(description="Then one weight per label in the model's `labels` order (0 for a vae): 1 at the "
                        "label, or 1 − morph and morph for a morph between two labels")


class DecoderInfo(BaseModel):
    """How to run a VAE/CVAE decoder without the server: GET /api/models/{id}/decoder?version=… holds
    its tensors; apply `layers` in order to [z, label weights]; grey levels are
    floor(clamp(p, 0, 1)·255 + 0.5) in float32, as in the server's PNGs."""
    model_config = ConfigDict(extra="allow")
    format: str = Field(description="safetensors: 8-byte little-endian header length, JSON header, raw buffers")
    version: str = Field(description="Changes with the weights; the ETag of GET …/decoder and its `version` parameter")
    bytes: int = Field(description="Size of the download")
    input: DecoderInput
    layers: list[Annotated[LinearLayer | Activation, Field(discriminator="op")]]
    output_shape: list[int]


class ModelInfoBase(BaseModel):
    """What GET /api/models says of every model; model_info() adds each kind's facts."""
    model_config = ConfigDict(extra="allow")
    id: str
    kind: str
    title: str
    description: str
    metrics: dict[str, Any]
    training: dict[str, Any] = Field(default_factory=dict, description="Epochs, optimiser, seed, seconds, …")
    data: dict[str, Any] = Field(default_factory=dict, description="Data source and split")
    config: dict[str, Any] = Field(default_factory=dict, description="Architecture hyper-parameters")


def model_info(kinds: Iterable[Kind]) -> type[BaseModel]:
    """ModelInfo for these kinds: the common fields, and every kind's facts and info fields as
    optional fields (a model has those of its kind)."""
    kinds = list(kinds)
    fields: dict[str, tuple[Any, Any]] = {}
    for kind in kinds:
        for name, info in kind.facts.model_fields.items():
            fields.setdefault(name, (info.annotation | None, Field(None, description=info.description)))
        for name, spec in kind.info_fields.items():
            fields.setdefault(name, spec)
    names = " | ".join(k.name for k in kinds)
    return create_model("ModelInfo", __base__=ModelInfoBase,
                        kind=(str, Field(description=names)), **fields)


class FailedCheckpoint(BaseModel):
    path: str
    reason: str


class Health(BaseModel):
    status: str
    models: int
    failed: list[FailedCheckpoint]
    event_loop: str | None = Field(
        default=None, description='The event loop this process serves on: "uvloop", or "asyncio" (the pure-Python fallback)',
        examples=["uvloop"])
    http_parser: str | None = Field(
        default=None, description='The HTTP parser: "httptools", or "h11" (the pure-Python fallback); '
                                  "null when not served by uvicorn", examples=["httptools"])


class DecodeJSONQuery(BaseModel):
    """GET /api/models/{id}/decode.json's query: decode's without scale and format."""

    z: str = Field(description="latent_dim comma-separated numbers, each within ±10", max_length=4096)
    label: int | None = Field(None, description="Digit label: required for a cvae, not allowed for a vae")
    to_label: int | None = Field(None, description="cvae morph: the label reached at morph=1")
    morph: float = Field(0.0, ge=0, le=1, description="cvae morph weight on to_label")


class DecodeQuery(DecodeJSONQuery):
    """GET /api/models/{id}/decode's query: the route declares it (`Annotated[DecodeQuery, Query()]`)
    and app.hot_path validates the same model, so both read a query alike. What depends on the
    model (the length of z, which labels exist) is checked by app.operations.decode."""

    scale: int = Field(1, ge=1, le=16, description="Upscaling factor, nearest neighbour")
    format: Literal["png", "json"] = Field("png", description="png (default) or json")


class ManifoldQuery(BaseModel):
    """GET /api/models/{id}/manifold's query: the route declares it (`Annotated[ManifoldQuery, Query()]`)
    and app.hot_path validates the same model, so both read a query alike. What depends on the
    model (dims, the length of z, which labels exist) is checked by app.operations.manifold."""

    n: int = Field(20, ge=2, le=40, description="Grid side")
    grid: Literal["gaussian", "linear"] | None = Field(
        None, description="gaussian: unit-square lattice through the inverse Gaussian CDF (Kingma & Welling "
        "Fig. 4), the default; linear: evenly over [−span, span], the default when span is given")
    span: float | None = Field(None, gt=0, le=10, description="Half-width of the linear grid (default 3)")
    dims: str = Field("0,1", description="The two latent dimensions on the axes (x, y)", max_length=20)
    z: str | None = Field(None, description="Values of the other dimensions (default 0)", max_length=4096)
    scale: int = Field(1, ge=1, le=4)
    label: int | None = Field(None, description="Digit label: required for a cvae, not allowed for a vae")


class DensityQuery(BaseModel):
    """GET /api/models/{id}/density's query: the route declares it (`Annotated[DensityQuery, Query()]`)
    and app.hot_path validates the same model, so both read a query alike. What depends on the
    model (the length of x, the t range) is checked by app.operations.density."""

    x: str = Field(description="input_dim comma-separated numbers", max_length=4096)
    points: int = Field(200, ge=2, le=2000, description="Grid points for t (1-D outputs)")
    t_min: float | None = Field(None, description="Lower end of the t grid (1-D outputs)")
    t_max: float | None = Field(None, description="Upper end of the t grid (1-D outputs)")


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


class EncodeUpload(BaseModel):
    """The multipart form of POST …/encode."""
    image: bytes = Field(description="A PNG of a digit; any size, dark ink on white is inverted")
    label: int | SkipJsonSchema[None] = Field(None, description="Required for a cvae")


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


class HypothesesQuery(BaseModel):
    """GET /api/models/{id}/hypotheses's query: the route declares it and app.hot_path validates the
    same model. The count of numbers depends on the model's skeleton: app.operations.hypotheses checks it."""

    joints: str = Field(description="The 2-D skeleton as the camera sees it: x1,y1,…,x15,y15 in metres (x right, "
                        "y up), in the model's `joints` order; any origin", max_length=4096)


class PoseHypothesis(BaseModel):
    pi: float = Field(description="The mixture's weight on this pose")
    joints: list[list[float]] = Field(description="15 × (x, y, z), metres, pelvis at the origin, z towards the camera")
    reprojection_error: float = Field(description="Mean distance over the joints between this pose's x, y and the "
                                      "input's (pelvis-centred), metres")


class DepthFlip(BaseModel):
    bone: str = Field(description="parent-child, as in the model's `joints`")
    joints: list[int] = Field(description="[parent, child] joint indices")


class PoseHypotheses(BaseModel):
    joints2d: list[list[float]] = Field(description="The input, pelvis-centred: 15 × (x, y)")
    hypotheses: list[PoseHypothesis] = Field(description="Every kernel's pose, most probable first")
    depth_flips: list[DepthFlip] = Field(description="Bones that point towards the camera in one of the two most "
                                         "probable poses and away from it in the other")


class TestPoses(BaseModel):
    clips: list[str] = Field(description="The held-out clips")
    clip: list[str] = Field(description="Each frame's clip")
    frame: list[int] = Field(description="Each frame's index within its clip")
    camera_deg: list[list[float]] = Field(description="Each frame's camera: azimuth, elevation in degrees")
    joints2d: list[list[list[float]]] = Field(description="What the camera saw: 15 × (x, y), metres, pelvis-centred")
    joints3d: list[list[list[float]]] = Field(description="The truth in the camera frame: 15 × (x, y, z), metres")
