"""A small client for notebooks and scripts: a running Latent Explorer's answers as numpy arrays.

    from latent_explorer.client import Explorer

    explorer = Explorer("http://127.0.0.1:8000")
    digit = explorer.decode("vae-2d", [0.5, -1.2])   # (28, 28) array in [0, 1]; digit.png is the PNG
    p = explorer.density("mdn-toy", [0.5])           # a Mixture: p.pdf(t), p.modes, p.mean

Every failure the server reports raises ExplorerError carrying its status and message. Needs httpx:
`pip install 'latent-explorer[client]'`. Imports nothing of the server (no torch)."""

from __future__ import annotations

import io
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import numpy as np
from PIL import Image as PILImage

__all__ = ["Encoding", "Explorer", "ExplorerError", "Image", "Mixture", "PoseHypotheses", "Samples"]


class ExplorerError(Exception):
    """The server refused a request (status, its message), or could not be reached (status None)."""

    def __init__(self, status: int | None, detail: str, errors: list[dict] | None = None):
        super().__init__(f"{status}: {detail}" if status else detail)
        self.status, self.detail, self.errors = status, detail, errors or []

    @property
    def field(self) -> str | None:
        """The parameter or body field the server named ("z", "label", "model_id", …)."""
        head, sep, _ = self.detail.partition(":")
        return head if sep else None


class Image(np.ndarray):
    """A greyscale image as float32 values in [0, 1] (what the PNG shows, 8-bit precision), with the
    server's PNG bytes as `.png`. Arrays derived from it (slices, arithmetic) carry no PNG."""

    png: bytes | None

    @classmethod
    def from_png(cls, png: bytes) -> Image:
        pixels = np.asarray(PILImage.open(io.BytesIO(png)).convert("L"), dtype=np.float32) / 255.0
        image = pixels.view(cls)
        image.png = png
        return image

    def __array_finalize__(self, obj: Any) -> None:
        self.png = None

    def _repr_png_(self) -> bytes | None:  # Jupyter shows the digit itself
        return self.png


class Samples(np.ndarray):
    """Digits drawn from the prior: (n, 28, 28) float32 in [0, 1], with their latent codes `.z`
    (n, latent_dim), the `.seed` that repeats them and the server's grid PNG of the same draw `.png`."""

    z: np.ndarray | None
    seed: int | None
    png: bytes | None

    def __array_finalize__(self, obj: Any) -> None:
        self.z = self.seed = self.png = None


@dataclass(frozen=True)
class Encoding:
    """q(z|x) = N(mu, diag(sigma²)) of one digit."""

    mu: np.ndarray  # (latent_dim,)
    sigma: np.ndarray  # (latent_dim,)


@dataclass(frozen=True)
class Mixture:
    """p(t|x) = Σ_k π_k N(t | μ_k, σ_k² I) at one x, as the server computed it."""

    x: np.ndarray  # (input_dim,)
    pi: np.ndarray  # (K,) mixing coefficients
    mu: np.ndarray  # (K, L) kernel centres
    sigma: np.ndarray  # (K,) each kernel's isotropic standard deviation
    mean: np.ndarray  # (L,) E[t|x]
    variance: np.ndarray  # (L,) per output dimension
    modes: np.ndarray  # (M, L) the density's local maxima, highest first
    most_probable: np.ndarray  # (L,) μ of the kernel with the largest π
    extrapolating: bool  # x lies outside the training domain
    raw: dict  # the whole answer (the arm's kernel reach, the t grid and density for 1-D outputs)

    @property
    def output_dim(self) -> int:
        return self.mu.shape[1]

    def pdf(self, t: Any) -> np.ndarray:
        """The density at t: for a 1-D output any array of points (or a scalar) → the same shape;
        for L-D outputs an array (..., L) → (...)."""
        t = np.asarray(t, dtype=np.float64)
        points = t[..., None] if self.output_dim == 1 else t  # (..., L)
        if points.shape[-1] != self.output_dim:
            raise ValueError(f"t: expected points with {self.output_dim} coordinates, got shape {t.shape}")
        sq = ((points[..., None, :] - self.mu) ** 2).sum(-1)  # (..., K) squared distance to each centre
        var = self.sigma.astype(np.float64) ** 2
        kernels = np.exp(-0.5 * sq / var) / (2 * math.pi * var) ** (self.output_dim / 2)
        return (kernels * self.pi).sum(-1)


@dataclass(frozen=True)
class PoseHypotheses:
    """A pose model's answer: K poses (K, joints, 3), pelvis at the origin, z towards the camera."""

    pi: np.ndarray  # (K,), most probable first
    joints: np.ndarray  # (K, joints, 3)
    reprojection_error: np.ndarray  # (K,) metres
    joints2d: np.ndarray  # (joints, 2): the input, pelvis-centred
    depth_flips: list[tuple[int, int]]  # bones (parent, child) whose depth order differs between the first two


class Explorer:
    """A client of one server: `Explorer("http://127.0.0.1:8000")`. Use it as a context manager, or
    call close(), to release its connections."""

    def __init__(self, url: str = "http://127.0.0.1:8000", *, timeout: float = 30.0, http: httpx.Client | None = None):
        self.url = url.rstrip("/")
        self._http = http or httpx.Client(base_url=self.url, timeout=timeout)

    def __enter__(self) -> Explorer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # The catalogue.

    def models(self) -> list[dict]:
        """Every served model: id, kind, title, metrics and shape facts."""
        return self._get("/api/models").json()

    def model(self, model_id: str) -> dict:
        return self._get(f"/api/models/{_segment(model_id)}").json()

    def health(self) -> dict:
        return self._get("/healthz").json()

    # Digits.

    def decode(self, model_id: str, z: Sequence[float], label: int | None = None, *, to_label: int | None = None,
               morph: float | None = None, scale: int = 1) -> Image:
        """One latent point → its digit, (28·scale, 28·scale). A cvae needs a label; to_label and
        morph blend towards a second one."""
        params = {"z": _vector(z), "label": label, "to_label": to_label, "morph": morph, "scale": scale}
        return Image.from_png(self._get(f"/api/models/{_segment(model_id)}/decode", params).content)

    def generate(self, model_id: str, n: int = 16, label: int | None = None, *, seed: int | None = None) -> Samples:
        """n digits decoded from z ~ N(0, I). Without a seed one is drawn here, so that the pixels,
        the codes and the PNG grid all show the same draw (and `.seed` repeats it)."""
        seed = secrets.randbelow(2**63) if seed is None else seed
        path, params = f"/api/models/{_segment(model_id)}/generate", {"n": n, "label": label, "seed": seed}
        answer = self._get(path, {**params, "format": "json"}).json()
        samples = np.array([image["pixels"] for image in answer["images"]], dtype=np.float32).view(Samples)
        samples.z, samples.seed = np.array(answer["z"], dtype=np.float32), seed
        samples.png = self._get(path, params).content
        return samples

    def manifold(self, model_id: str, n: int = 20, label: int | None = None, *, dims: tuple[int, int] = (0, 1),
                 z: Sequence[float] | None = None, span: float | None = None, scale: int = 1) -> Image:
        """An n×n grid of digits over two latent dimensions, as one image (n·28·scale square). The
        default lattice covers the prior evenly (inverse Gaussian CDF); a span gives a linear one."""
        params = {"n": n, "label": label, "dims": f"{dims[0]},{dims[1]}", "z": None if z is None else _vector(z),
                  "span": span, "scale": scale}
        return Image.from_png(self._get(f"/api/models/{_segment(model_id)}/manifold", params).content)

    def encode(self, model_id: str, digit: np.ndarray | bytes, label: int | None = None) -> Encoding:
        """q(z|x) of a digit: a 28×28 array of values in [0, 1] (white ink on black), or PNG bytes."""
        path = f"/api/models/{_segment(model_id)}/encode"
        if isinstance(digit, bytes | bytearray):
            answer = self._send("POST", path, params={"label": label}, content=bytes(digit),
                                headers={"content-type": "image/png"})
        else:
            pixels = np.asarray(digit, dtype=np.float64)
            if pixels.shape != (28, 28):
                raise ValueError(f"digit: expected a 28×28 array or PNG bytes, got shape {pixels.shape}")
            body = {"pixels": pixels.tolist(), **({"label": label} if label is not None else {})}
            answer = self._send("POST", path, json=body)
        encoding = answer.json()
        return Encoding(np.array(encoding["mu"]), np.array(encoding["sigma"]))

    def embedding(self, model_id: str, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The encoder's means of held-out digits (N, latent_dim) and their labels (N,)."""
        answer = self._get(f"/api/models/{_segment(model_id)}/embedding", {"limit": limit}).json()
        return np.array(answer["mu"]), np.array(answer["labels"])

    # Mixture density networks.

    def density(self, model_id: str, x: Sequence[float] | float, *, points: int | None = None,
                t_min: float | None = None, t_max: float | None = None) -> Mixture:
        """The mixture p(t|x) at one x (a number, or input_dim numbers)."""
        x = np.atleast_1d(np.asarray(x, dtype=np.float64))
        params = {"x": _vector(x), "points": points, "t_min": t_min, "t_max": t_max}
        d = self._get(f"/api/models/{_segment(model_id)}/density", params).json()
        arrays = {k: np.array(d[k], dtype=np.float64) for k in ("x", "pi", "mu", "sigma", "mean", "variance",
                                                                 "most_probable")}
        modes = np.array(d["modes"], dtype=np.float64).reshape(-1, arrays["mu"].shape[1])
        return Mixture(**arrays, modes=modes, extrapolating=d["extrapolating"], raw=d)

    def sweep(self, model_id: str, x_points: int | None = None, t_points: int | None = None) -> dict[str, np.ndarray]:
        """π_k(x), μ_k(x), σ_k(x) and the mean across the input's training domain (and p(t|x) on a grid)."""
        answer = self._get(f"/api/models/{_segment(model_id)}/sweep", {"x_points": x_points, "t_points": t_points}).json()
        return {k: np.array(v) for k, v in answer.items() if v is not None}

    def training_data(self, model_id: str, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """A sample of the MDN's training data: inputs (N, input_dim) and targets (N, output_dim)."""
        answer = self._get(f"/api/models/{_segment(model_id)}/training-data", {"limit": limit}).json()
        return np.array(answer["x"]), np.array(answer["t"])

    def hypotheses(self, model_id: str, joints2d: Sequence[Sequence[float]] | np.ndarray) -> PoseHypotheses:
        """Every 3-D pose a pose model proposes for one 2-D skeleton ((joints, 2) in metres, x right,
        y up), most probable first."""
        flat = np.asarray(joints2d, dtype=np.float64).reshape(-1)
        d = self._get(f"/api/models/{_segment(model_id)}/hypotheses", {"joints": _vector(flat)}).json()
        hyps = d["hypotheses"]
        return PoseHypotheses(pi=np.array([h["pi"] for h in hyps]), joints=np.array([h["joints"] for h in hyps]),
                              reprojection_error=np.array([h["reprojection_error"] for h in hyps]),
                              joints2d=np.array(d["joints2d"]), depth_flips=[tuple(f["joints"]) for f in d["depth_flips"]])

    def test_poses(self, model_id: str, clip: str | None = None, limit: int | None = None) -> dict[str, Any]:
        """Held-out frames of a pose model: clip and frame per row, the 2-D input (N, joints, 2) and
        the 3-D truth (N, joints, 3) as arrays."""
        d = self._get(f"/api/models/{_segment(model_id)}/test-poses", {"clip": clip, "limit": limit}).json()
        return {**d, **{k: np.array(d[k]) for k in ("frame", "camera_deg", "joints2d", "joints3d")}}

    # HTTP.

    def _get(self, path: str, params: dict | None = None) -> httpx.Response:
        return self._send("GET", path, params=params)

    def _send(self, method: str, path: str, params: dict | None = None, **kwargs: Any) -> httpx.Response:
        params = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            response = self._http.request(method, path, params=params, **kwargs)
        except httpx.TransportError as e:
            raise ExplorerError(None, f"no answer from {self.url} ({type(e).__name__}: {e}); "
                                "is the server running (`latent-explorer serve`)?") from e
        if response.is_error:
            raise _error(response)
        return response


def _error(response: httpx.Response) -> ExplorerError:
    try:
        body = response.json()
        detail, errors = str(body["detail"]), body.get("errors")
    except (ValueError, KeyError, TypeError):  # not the server's JSON error body (a proxy's page, say)
        detail, errors = response.text[:500] or response.reason_phrase, None
    return ExplorerError(response.status_code, detail, errors)


def _vector(values: Sequence[float] | np.ndarray) -> str:
    """[0.5, -1.2] → "0.5,-1.2": repr() keeps every float's digits, so the server decodes this very point."""
    return ",".join(repr(float(v)) for v in np.asarray(values, dtype=np.float64).ravel())


def _segment(model_id: str) -> str:
    """A model id as one path segment: a "/" or "?" in it must not change the URL's shape."""
    return quote(model_id, safe="")
