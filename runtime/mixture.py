"""What one can ask of a Gaussian mixture p(t) = Σ_k π_k N(t | μ_k, σ_k² I) once an MDN has
produced it (Bishop PRML §5.6.2): its density, mean, variance, most probable kernel and true modes.
Every function takes a batch: shapes (B, K) for π and σ, (B, K, L) for μ. The training
loss lives beside the model (models/mdn.py, torch, differentiable); the queries run here, in numpy
only, for the torch-free server (models/mixture.py hands torch mixtures to them)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np


@dataclass
class Mixture:
    """As the network made it (float32 arrays), or widened to float64 (`numpy()`) for the queries below."""

    log_pi: np.ndarray  # (B, K) log mixing coefficients
    log_sigma: np.ndarray  # (B, K) log of each kernel's isotropic standard deviation
    mu: np.ndarray  # (B, K, L) kernel centres

    @property
    def pi(self) -> np.ndarray:
        return np.exp(self.log_pi)

    @property
    def sigma(self) -> np.ndarray:
        return np.exp(self.log_sigma)

    def numpy(self) -> Mixture:
        """A float64 numpy copy (float32 network outputs widen exactly)."""
        return Mixture(*(_float64(a) for a in (self.log_pi, self.log_sigma, self.mu)))


def _float64(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def log_density(mix: Mixture, points: np.ndarray) -> np.ndarray:
    """log p(t) of every row's mixture at shared points, in float64: points (P, L) → (B, P)."""
    m = mix.numpy()
    return _log_density(_float64(points), _Kernels.of(m.mu, m.log_sigma, m.log_pi))


class _Kernels(NamedTuple):
    """What log p(t) needs of each kernel, computed once per mixture: a query may evaluate the
    density several times, and each numpy call on K numbers costs a few µs."""

    mu: np.ndarray  # (B, K, L)
    log_scale: np.ndarray  # (B, K) log π_k − (L/2) log 2π − L log σ_k
    half_inv_var: np.ndarray  # (B, K) 1 / (2 σ_k²)

    @staticmethod
    def of(mu: np.ndarray, log_sigma: np.ndarray, log_pi: np.ndarray) -> _Kernels:
        l = mu.shape[-1]
        return _Kernels(mu, log_pi - 0.5 * l * math.log(2 * math.pi) - l * log_sigma, 0.5 * np.exp(-2 * log_sigma))


def _log_density(points: np.ndarray, kernels: _Kernels) -> np.ndarray:
    """log_density on float64 arrays: points (P, L) → (B, P)."""
    # Kernels on axis 1, points last: numpy reduces across rows of P far faster than along rows of K
    # (half the time for the 400-point grid: bench/density.py, bench/RESULTS.md).
    a = _sq_dist(points, kernels.mu)  # (B, K, P)
    a *= -kernels.half_inv_var[:, :, None]
    a += kernels.log_scale[:, :, None]  # log π_k N(t | μ_k, σ_k²)
    top = a.max(axis=1)
    a -= top[:, None, :]
    return top + np.log(np.exp(a, out=a).sum(axis=1))


def _sq_dist(points: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """‖t − μ_k‖² for points (P, L) and μ (B, K, L) → (B, K, P)."""
    if mu.shape[2] == 1:  # no sum over a single coordinate: one numpy call fewer (the toy MDN's case)
        return np.square(points[:, 0] - mu)
    return np.square(points.T - mu[:, :, :, None]).sum(2)


def mean(mix: Mixture) -> np.ndarray:
    """Conditional mean E[t|x] = Σ_k π_k μ_k (PRML 5.158). → (B, L)"""
    return (mix.pi[:, :, None] * mix.mu).sum(1)


def variance(mix: Mixture) -> np.ndarray:
    """Per-dimension conditional variance Σ_k π_k {σ_k² + (μ_kl − E[t_l|x])²}. → (B, L)

    Summed over l it is PRML's s²(x) = Σ_k π_k {L σ_k² + ‖μ_k − Σ_l π_l μ_l‖²} (5.160, with the
    isotropic kernel's L dimensions counted)."""
    m = mean(mix)[:, None, :]
    return (mix.pi[:, :, None] * (mix.sigma[:, :, None] ** 2 + (mix.mu - m) ** 2)).sum(1)


def most_probable_kernel_mean(mix: Mixture) -> np.ndarray:
    """μ of the kernel with the largest π: an approximation to the most probable t. → (B, L)"""
    k = mix.log_pi.argmax(1)
    return mix.mu[range(len(k)), k]


# Points per segment when looking for a valley between two maxima (modes' `valley` rule).
VALLEY_STEPS = 33
_FRACTIONS = np.linspace(0, 1, VALLEY_STEPS)[None, :, None]  # (1, steps, 1)


def modes(mix: Mixture, iterations: int = 200, tol: float = 1e-7, min_relative_density: float = 1e-2,
          valley: float = 0.5) -> list[np.ndarray]:
    """The local maxima of each row's mixture density, highest first. → B float32 arrays (M, L).

    Maxima whose density is below `min_relative_density` times the highest are dropped: a kernel
    the network has switched off (π ≈ 0) can leave a bump far out in the tails that no answer lives in.
    A maximum counts as its own answer only if, on the straight path to each higher one kept, the
    density falls below `valley` times its own: several kernels that tile one flat-topped branch
    (Bishop's toy p(t|x) is uniform on each branch) ripple, and a ripple is not a second answer.

    Fixed-point (mean-shift) iteration from every kernel centre (Carreira-Perpiñán 2000):
        t ← Σ_k w_k(t) μ_k / Σ_k w_k(t),  w_k(t) = π_k N(t|μ_k, σ_k²) / σ_k²,
    which climbs the density monotonically and stops at a stationary point. Starting points that
    land on the same maximum are merged.

    Computed in float64: the arrays are K × K (K ≈ 10)."""
    m = mix.numpy()
    return [_row_modes(m.mu[i], m.log_sigma[i], m.log_pi[i], iterations, tol, min_relative_density, valley)
            for i in range(m.mu.shape[0])]


def _row_modes(mu: np.ndarray, log_sigma: np.ndarray, log_pi: np.ndarray, iterations: int, tol: float,
               min_relative_density: float, valley: float) -> np.ndarray:
    """modes() for one mixture: μ (K, L), log σ (K,), log π (K,) → float32 maxima (M, L)."""
    kernels = _Kernels.of(mu[None], log_sigma[None], log_pi[None])
    # Reported in the model's precision; ranked and compared at the points reported.
    maxima = _climb_from_centres(mu, log_sigma, log_pi, iterations, tol).astype(np.float32)  # (K, L)
    points = maxima.astype(np.float64)
    log_p = _log_density(points, kernels)[0]  # (K,)
    ranked = _ranked_above_floor(log_p, min_relative_density)
    # Distinct maxima of Gaussian kernels lie at least about one σ apart; converged copies of
    # one maximum lie far closer than a tenth of it.
    same_radius = 0.1 * np.exp(log_sigma).min()
    kept = _distinct_maxima(points[ranked], log_p[ranked], same_radius, valley, kernels)
    return maxima[ranked[kept]]


def _climb_from_centres(mu: np.ndarray, log_sigma: np.ndarray, log_pi: np.ndarray, iterations: int,
                        tol: float) -> np.ndarray:
    """Mean-shift from every kernel centre until no start moves by `tol` (or `iterations` pass).
    μ (K, L), log σ (K,), log π (K,) → where each start stopped, (K, L) float64."""
    l = mu.shape[1]
    log_w, neg_half_inv_var, shifted_once = _mean_shift_weights(log_sigma, log_pi, l)
    mu1 = np.concatenate([mu, np.ones((len(mu), 1))], axis=1)  # Σ_k w_k μ_k and Σ_k w_k in one product
    t = mu.copy()
    for _ in range(iterations):
        # In place: on (K, K) arrays each numpy call costs a few µs whatever it computes.
        a = _sq_dist(t, mu[None])[0]  # (K, starts)
        a *= neg_half_inv_var
        a += log_w  # log w_k(t), shifted
        if not shifted_once:
            a -= a.max(axis=0)
        r = np.exp(a, out=a).T @ mu1  # (starts, L + 1)
        new_t = r[:, :l] / r[:, l:]
        moved = np.abs(new_t - t).max()
        t = new_t
        if moved < tol:
            break
    return t


def _mean_shift_weights(log_sigma: np.ndarray, log_pi: np.ndarray, l: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """What log w_k(t) = log π_k − L log σ_k − 2 log σ_k − ‖t − μ_k‖² / 2σ_k² (less a constant) needs:
    the t-free part (K, 1), −1 / 2σ_k² (K, 1), and whether that part already holds the softmax's shift.

    The softmax needs a shift against overflow. A start's largest log-weight never falls below `lowest`
    on its climb (the density only grows, and the largest weight holds at least a K-th of it), so when
    that stays far above exp's underflow one shift for all, the largest constant, serves every
    iteration and saves two numpy calls each; else each iteration shifts by each start's own maximum."""
    inv_var = np.exp(-2 * log_sigma)
    log_inv_var = np.log(inv_var)
    log_w_const = log_pi - l * log_sigma + log_inv_var
    lowest = (log_w_const - log_inv_var).min() + log_inv_var.min() - math.log(len(log_pi))
    shifted_once = lowest - log_w_const.max() > -650
    log_w = (log_w_const - log_w_const.max() if shifted_once else log_w_const)[:, None]
    return log_w, -0.5 * inv_var[:, None], shifted_once


def _ranked_above_floor(log_p: np.ndarray, min_relative_density: float) -> np.ndarray:
    """Indices of the points whose density is at least min_relative_density × the highest, highest first."""
    order = np.argsort(-log_p, kind="stable")
    floor = log_p[order[0]] + math.log(min_relative_density) if min_relative_density > 0 else -math.inf
    return order[: int(np.count_nonzero(log_p[order] >= floor))]


def _distinct_maxima(points: np.ndarray, log_p: np.ndarray, same_radius: float, valley: float,
                     kernels: _Kernels) -> list[int]:
    """Which of the points (C, L), highest density first, are answers of their own: not within
    `same_radius` of a higher one kept (a copy of it) and, when valley > 0, with the density falling below
    `valley` × its own on the path to each higher one kept (else a ripple on its branch)."""
    # Python lists: the loop looks at single entries, where indexing a numpy array costs more than the comparison.
    close = (np.sqrt(np.square(points[:, None, :] - points[None]).sum(-1)) <= same_radius).tolist()
    kept: list[int] = []
    dips: dict[tuple[int, int], bool] = {}  # (i, j): a valley between points[j] and the higher points[i]
    compared = 0  # kept[:compared] have their dips to every later point that was not yet a copy
    for j in range(len(points)):
        if any(close[i][j] for i in kept):
            continue
        if valley > 0:
            if compared < len(kept):
                # The newly kept against this and every later point still in the running, in one
                # numpy pass rather than one per point (a branch tiled by ripples gives up to K).
                later = [k for k in range(j, len(points)) if not any(close[i][k] for i in kept)]
                pairs = [(i, k) for i in kept[compared:] for k in later]
                dips.update(zip(pairs, _dips(points, log_p, pairs, valley, kernels).tolist()))
                compared = len(kept)
            if not all(dips[i, j] for i in kept):
                continue
        kept.append(j)
    return kept


def _dips(points: np.ndarray, log_p: np.ndarray, pairs: list[tuple[int, int]], valley: float,
          kernels: _Kernels) -> np.ndarray:
    """For each pair (higher, lower) of indices into points (C, L): whether log p falls below
    log(valley) + log_p[lower] somewhere on the segment between the two points. → (N,) bool"""
    higher, lower = [i for i, _ in pairs], [k for _, k in pairs]
    start, end = points[lower], points[higher]
    paths = start[:, None, :] + _FRACTIONS * (end - start)[:, None, :]  # (N, steps, L)
    along = _log_density(paths.reshape(-1, points.shape[1]), kernels)[0].reshape(len(pairs), VALLEY_STEPS)
    return along.min(axis=1) < log_p[lower] + math.log(valley)
