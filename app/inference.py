"""From checked request values to arrays: the served models' forward passes (onnxruntime sessions,
app/networks.py), batched, and what is derived from them (runtime/, numpy). No HTTP here beyond the
values the routes hand over."""

from __future__ import annotations

import numpy as np

from app.registry import ServedModel
from runtime import mixture
from runtime.kinematics import ArmGeometry, elbow, forward_kinematics, in_training_domain, inverse_kinematics
from runtime.latent_grid import lattice

IMAGE_SHAPE = (28, 28)


def label_vector(served: ServedModel, label: int | None, to_label: int | None = None, morph: float = 0.0):
    """The decoder's label input: one-hot of `label`, or (1 − morph)·e_label + morph·e_to_label
    for a morph between two labels at fixed style. None for an unconditional VAE. → (1, n_labels)"""
    if not served.labels:
        return None
    n = len(served.labels)
    y = np.zeros((1, n), dtype=np.float32)
    y[0, served.labels.index(label)] = 1.0 - morph
    if to_label is not None:
        y[0, served.labels.index(to_label)] += morph
    return y


def decode(served: ServedModel, z: np.ndarray, y: np.ndarray | None) -> np.ndarray:
    """z (B, latent_dim), y (1 or B, n_labels) or None, float32 → pixel probabilities (B, 28, 28)."""
    feeds = {"z": np.ascontiguousarray(z, dtype=np.float32)}
    if y is not None:
        feeds["y"] = np.ascontiguousarray(np.broadcast_to(y, (len(z), y.shape[1])), dtype=np.float32)
    return served.networks["decoder"].run(**feeds)[0].reshape(-1, *IMAGE_SHAPE)


# Points are decoded in blocks of DECODE_BLOCK rows, zero-padded, where the GEMM's bits depend on
# the batch size (kernels differ in the last bits): a fixed block is what makes a row's pixels
# independent of how many requests shared its forward pass (app.operations.decode batches concurrent
# decodes). Where every batch size gives each row the same bits, as onnxruntime's MLAS does here
# (measured at start-up: decoding_plan), a block is one row and nothing is padded: a lone slider
# request then costs 27 µs instead of an 8-row block's 61 (bench/RESULTS.md).
DECODE_BLOCK = 8
# One call may take several blocks where that keeps every row's bits (rows_per_call): fewer calls
# pay the runtime's per-call cost fewer times.
MAX_ROWS_PER_CALL = 64
# (first row, rows) of the calls compared with 8-row blocks to decide whether a block may be one row.
_UNPADDED_CHECKS = ((0, 1), (5, 1), (0, 3), (3, 5), (0, 7), (9, 13), (1, 31), (30, 33), (0, 64))


def decode_points(served: ServedModel, z: np.ndarray, y: np.ndarray | None) -> np.ndarray:
    """Independent points: z (k, latent_dim), y (k, n_labels) or None → (k, 28, 28), each row the same
    bytes whatever else is decoded with it."""
    k = z.shape[0]
    block, step = decoding_plan(served)
    pad = (-k) % block
    if pad:
        z = np.concatenate([z, np.zeros((pad, z.shape[1]), dtype=z.dtype)])
        y = None if y is None else np.concatenate([y, np.zeros((pad, y.shape[1]), dtype=y.dtype)])
    parts = [decode(served, z[i : i + step], None if y is None else y[i : i + step]) for i in range(0, z.shape[0], step)]
    return (parts[0] if len(parts) == 1 else np.concatenate(parts))[:k]


def rows_per_call(served: ServedModel) -> int:
    """The most rows one decode call may take (decoding_plan)."""
    return decoding_plan(served)[1]


def decoding_plan(served: ServedModel) -> tuple[int, int]:
    """(block, rows per call): decode_points pads to a multiple of `block` rows and decodes at most
    `rows per call` (a multiple of the block, at most MAX_ROWS_PER_CALL) in one call, so that every
    row gets the bits an 8-row block gives it, with this model's session.

    Measured, not assumed, once per model: calls of several sizes and positions are compared bit for
    bit with 8-row blocks of the same rows (block 1 if all agree, else DECODE_BLOCK), then one call
    over 16, 24, … rows. A GEMM that disagrees keeps 8-row blocks: batching then costs more, never
    bytes (bench/RESULTS.md has what onnxruntime's MLAS gave here)."""
    if served.rows_per_call is None:
        served.decode_block, served.rows_per_call = _measure_decoding(served)
    return served.decode_block, served.rows_per_call


def _measure_decoding(served: ServedModel) -> tuple[int, int]:
    rng = np.random.default_rng(0)
    z = (rng.standard_normal((MAX_ROWS_PER_CALL, served.facts.latent_dim)) * 2).astype(np.float32)
    y = None
    if served.labels:  # one-hots and morphs between two labels, as requests send them
        y = rng.random((MAX_ROWS_PER_CALL, len(served.labels))).astype(np.float32)
        y = y * (y >= np.sort(y, axis=1)[:, -2:-1])
        y = (y / y.sum(axis=1, keepdims=True)).astype(np.float32)
    rows = lambda a, b: (z[a:b], None if y is None else y[a:b])  # noqa: E731
    blocks = np.concatenate([decode(served, *rows(i, i + DECODE_BLOCK)) for i in range(0, MAX_ROWS_PER_CALL, DECODE_BLOCK)])
    if all(np.array_equal(decode(served, *rows(a, a + m)), blocks[a : a + m]) for a, m in _UNPADDED_CHECKS):
        return 1, MAX_ROWS_PER_CALL  # the last check was one call over every row
    agreeing = DECODE_BLOCK
    for m in range(2 * DECODE_BLOCK, MAX_ROWS_PER_CALL + 1, DECODE_BLOCK):
        if not np.array_equal(decode(served, *rows(0, m)), blocks[:m]):
            break
        agreeing = m
    return DECODE_BLOCK, agreeing


def prior_samples(served: ServedModel, n: int, seed: int | None) -> np.ndarray:
    """n draws of z ~ N(0, I) from numpy's PCG64, reproducible when seeded. → (n, latent_dim) float32"""
    return np.random.default_rng(seed).standard_normal((n, served.facts.latent_dim), dtype=np.float32)


def manifold_points(served: ServedModel, n: int, grid: str, span: float, dims: tuple[int, int],
                    base: list[float] | None) -> np.ndarray:
    """The n×n lattice over latent dims (i, j), display order (top row = largest z_j), other dims
    from `base` or 0. → z (n·n, latent_dim) float32"""
    d = served.facts.latent_dim
    z = np.zeros((n * n, d), dtype=np.float32)
    if base is not None:
        z[:] = np.asarray(base, dtype=np.float32)
    z[:, list(dims)] = lattice(n, grid, span)
    return z


def encode(served: ServedModel, pixels: np.ndarray, y: np.ndarray | None) -> tuple[list[float], list[float]]:
    """pixels (784,) in [0, 1] → μ and σ of q(z|x)."""
    feeds = {"x": np.asarray(pixels, dtype=np.float32).reshape(1, -1)}
    if y is not None:
        feeds["y"] = y
    mu, logvar = served.networks["encoder"].run(**feeds)
    return mu[0].tolist(), np.exp(np.float32(0.5) * logvar[0]).tolist()


def mixture_at(served: ServedModel, x: np.ndarray) -> mixture.Mixture:
    """The MDN's mixture at x (B, input_dim), in the units of its data (served.mixture)."""
    return served.mixture(np.asarray(x, dtype=np.float32))


def density(served: ServedModel, x: list[float], points: int, t_min: float, t_max: float) -> dict:
    """Everything about p(t|x) at one x, as plain lists. The network's outputs are float32; what is
    derived from them is computed in float64 and reported, like the rest, in float32 precision."""
    x_t = np.array([x], dtype=np.float32)
    mix = mixture_at(served, x_t)
    one = mix.numpy()
    result = {
        "x": x,
        "pi": mix.pi[0].tolist(),
        "mu": mix.mu[0].tolist(),
        "sigma": mix.sigma[0].tolist(),
        "mean": _as_float32(mixture.mean(one)[0]),
        "variance": _as_float32(mixture.variance(one)[0]),
        "most_probable": mixture.most_probable_kernel_mean(one)[0].tolist(),  # a μ, widened exactly
        "modes": mixture.modes(one)[0].tolist(),
        "extrapolating": not all(lo <= v <= hi for v, (lo, hi) in zip(x, served.facts.input_range, strict=True)),
    }
    if served.facts.output_dim == 1:
        t, p = _density_on_t_grid(one, t_min, t_max, points)
        result.update(t=t, density=_as_float32(p[0]))
    if served.facts.arm is not None:
        result.update(arm_hypotheses(served, x_t, mix))
        result["extrapolating"] = result["extrapolating"] or not result["in_training_domain"]
    return result


def _as_float32(a: np.ndarray) -> list:
    """float64 results as the model's float32 values (what the routes always sent), as lists."""
    return a.astype(np.float32).tolist()


def arm_hypotheses(served: ServedModel, target: np.ndarray, mix: mixture.Mixture) -> dict:
    """Each kernel's joint angles pushed through the forward kinematics, so a client can check that
    every hypothesis reaches the target; whether the target is reachable at all; and whether any
    exact solution lies inside the sampled joint ranges (the training domain proper: the bounding
    box of the end-effector positions also holds targets no training pose reached)."""
    arm = ArmGeometry(**served.facts.arm.model_dump())
    theta = mix.mu[0]  # (K, 2)
    reach = forward_kinematics(theta, arm)
    solutions, reachable = inverse_kinematics(target, arm)  # (1, 2, 2), (1,)
    in_domain = bool(reachable[0]) and bool(in_training_domain(solutions[0], arm).any())
    return {
        "kernel_end_effector": reach.tolist(),
        "kernel_elbow": elbow(theta, arm).tolist(),
        "kernel_reach_error": np.linalg.norm(reach - target[0], axis=-1).tolist(),
        "reachable": bool(reachable[0]),
        "in_training_domain": in_domain,
    }


def sweep(served: ServedModel, x_points: int, t_points: int) -> dict:
    """The mixture's parameters across the training domain of a 1-D input, and for a 1-D output the
    density p(t|x) on an x × t grid (the heatmap)."""
    (x_lo, x_hi), = served.facts.input_range
    pad = 0.05 * (x_hi - x_lo)
    x = np.linspace(x_lo - pad, x_hi + pad, x_points).astype(np.float32)
    mix = mixture_at(served, x[:, None])
    result = {
        "x": x.tolist(),
        "pi": mix.pi.tolist(),
        "mu": mix.mu.tolist(),
        "sigma": mix.sigma.tolist(),
        "mean": mixture.mean(mix).tolist(),
    }
    if served.facts.output_dim == 1:
        t, p = _density_on_t_grid(mix.numpy(), *default_t_range(served), t_points)
        result.update(t=t, density=_as_float32(p))  # (x_points, t_points)
    return result


def _density_on_t_grid(mix: mixture.Mixture, t_min: float, t_max: float, points: int) -> tuple[list[float], np.ndarray]:
    """For a 1-D output: `points` values of t from t_min to t_max (float32, as always sent), and
    p(t|x) there for each x of the mixture, in float64. → (t (points,), density (B, points))"""
    t = np.linspace(t_min, t_max, points).astype(np.float32)
    return t.tolist(), np.exp(mixture.log_density(mix, t[:, None]))


def default_t_range(served: ServedModel) -> tuple[float, float]:
    lo, hi = served.facts.output_range[0]
    pad = 0.1 * (hi - lo)
    return lo - pad, hi + pad

