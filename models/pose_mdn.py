"""3-D human pose from 2-D joints as a mixture density network (Li & Lee, CVPR 2019, "Generating
multiple hypotheses for 3D human pose estimation with mixture density network").

Seen through an orthographic camera, each bone's depth change is fixed up to its sign, so a 2-D pose
has many 3-D answers. The network maps the 15 joints' (x, y) to a mixture of K isotropic Gaussians
over the 3-D pose, p(t|x) = Σ_k π_k N(t | μ_k, σ_k² I) (Bishop PRML §5.6), trained by the negative
log-likelihood with a Dirichlet prior on π (models/mdn.py's mdn_loss). Li & Lee's choices: K = 5,
every λ = 2, one σ per kernel with σ = ELU(a) + 1, Martinez et al.'s (ICCV 2017) residual MLP
(Linear → [Linear-BatchNorm-ReLU-Dropout ×2 + skip] × blocks), inputs and targets z-scored.

One change from the paper: the kernels are over depths only. An orthographic camera keeps x and y,
so each hypothesis takes them from the input and the network predicts the 14 joints' depths
relative to the pelvis (target "depth"), or each bone's depth change (target "bone": z_child −
z_parent, summed down the tree). Every hypothesis then reprojects exactly onto its input; predicting
all 45 coordinates gave hypotheses ~0.1 m off the input (bench/RESULTS.md, "3-D pose").

The normalisation statistics are buffers, saved with the weights: the model takes 2-D joints in
metres and `hypotheses` answers in metres, with no data set at hand."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from torch import nn

from models import skeleton
from models.mdn import mdn_loss
from models.mixture import Mixture

TARGETS = ("depth", "bone")
SCALINGS = ("coordinate", "shared")


@dataclass
class PoseMDNConfig:
    components: int = 5  # kernels (K); 1 is the unimodal baseline
    width: int = 512  # units in every hidden layer (Martinez et al.: 1024)
    blocks: int = 2  # residual blocks, two Linear-BatchNorm-ReLU-Dropout layers each
    dropout: float = 0.0  # drop probability after every ReLU
    target: str = "depth"  # "depth": z_j − z_pelvis per joint; "bone": z_child − z_parent per bone
    # "coordinate": each target z-scored on its own (Li & Lee); "shared": one scale for all, so that
    # an isotropic kernel measures distance in metres, as MPJPE does, and a hip's few centimetres of
    # depth do not weigh as much as an ankle's half metre.
    target_scaling: str = "coordinate"
    # With target "bone": each kernel's mean depth change along bone b is tanh(a_b) · √(L_b² − |Δxy_b|²),
    # L_b the skeleton's length (a buffer, from the training poses) and Δxy_b the bone in the input:
    # the network chooses how far towards or away from the camera each bone points, the skeleton
    # fixes how far it can. Every hypothesis then keeps the bone lengths (where |Δxy_b| ≤ L_b).
    fixed_bone_lengths: bool = False
    # log σ (in z-scored target units) clamped from below: a kernel on one point would shrink σ → 0.
    log_sigma_min: float = -7.0
    joints: int = skeleton.N_JOINTS  # 15, models/skeleton.py's order

    kind = "pose"

    def __post_init__(self):
        if self.target not in TARGETS:
            raise ValueError(f"target {self.target!r}: choose from {', '.join(TARGETS)}")
        if self.target_scaling not in SCALINGS:
            raise ValueError(f"target_scaling {self.target_scaling!r}: choose from {', '.join(SCALINGS)}")
        if self.fixed_bone_lengths and self.target != "bone":
            raise ValueError("fixed_bone_lengths needs target 'bone'")
        if self.joints != skeleton.N_JOINTS:
            raise ValueError(f"joints={self.joints}: the skeleton has {skeleton.N_JOINTS}")

    @property
    def input_dim(self) -> int:
        return 2 * self.joints

    @property
    def output_dim(self) -> int:
        return self.joints - 1  # the pelvis is the origin

    def to_dict(self) -> dict:
        return asdict(self)


class ResidualBlock(nn.Module):
    """x + f(x), f = (Linear → BatchNorm → ReLU → Dropout) × 2 (Martinez et al. 2017, Fig. 1)."""

    def __init__(self, width: int, dropout: float):
        super().__init__()
        self.layers = nn.Sequential(*[m for _ in range(2) for m in (
            nn.Linear(width, width), nn.BatchNorm1d(width), nn.ReLU(), nn.Dropout(dropout))])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.layers(x)


class PoseMDN(nn.Module):
    def __init__(self, config: PoseMDNConfig):
        super().__init__()
        self.config = config
        w, k, l = config.width, config.components, config.output_dim
        self.stem = nn.Sequential(nn.Linear(config.input_dim, w), nn.BatchNorm1d(w), nn.ReLU(), nn.Dropout(config.dropout))
        self.blocks = nn.Sequential(*[ResidualBlock(w, config.dropout) for _ in range(config.blocks)])
        self.to_pi = nn.Linear(w, k)
        self.to_sigma = nn.Linear(w, k)
        self.to_mu = nn.Linear(w, k * l)
        # z-scoring of input and target, set from the training data (set_normalisation) and saved
        # with the weights so that the model answers in metres on its own.
        self.register_buffer("input_mean", torch.zeros(config.input_dim))
        self.register_buffer("input_std", torch.ones(config.input_dim))
        self.register_buffer("target_mean", torch.zeros(l))
        self.register_buffer("target_std", torch.ones(l))
        self.register_buffer("bone_length", torch.ones(l))  # (14,) metres, models.skeleton.BONES order

    def set_normalisation(self, joints2d: torch.Tensor, joints3d: torch.Tensor) -> None:
        """Per-coordinate mean and standard deviation of inputs and targets over example views."""
        x = centre(joints2d).flatten(1)
        t = raw_target(joints3d, self.config.target)
        self.input_mean.copy_(x.mean(0))
        self.input_std.copy_(x.std(0).clamp(min=1e-6))  # the pelvis is always 0
        self.target_mean.copy_(t.mean(0))
        std = t.std(0) if self.config.target_scaling == "coordinate" else t.std(0).square().mean().sqrt().expand(t.shape[1])
        self.target_std.copy_(std.clamp(min=1e-6))
        self.bone_length.copy_(bone_vectors(joints3d).norm(dim=-1).mean(0))

    def forward(self, joints2d: torch.Tensor) -> Mixture:
        """2-D joints (B, 15, 2), metres → mixture over the z-scored targets: π (B, K), σ (B, K), μ (B, K, 14)."""
        x = (centre(joints2d).flatten(1) - self.input_mean) / self.input_std
        h = self.blocks(self.stem(x))
        a_sigma = self.to_sigma(h)
        # σ = ELU(a) + 1 (Li & Lee), in log form: log σ = a for a < 0, log(1 + a) above.
        log_sigma = torch.where(a_sigma < 0, a_sigma, torch.log1p(a_sigma.clamp(min=0)))
        mu = self.to_mu(h).view(-1, self.config.components, self.config.output_dim)
        if self.config.fixed_bone_lengths:
            reach = (self.bone_length.square() - bone_vectors(joints2d).square().sum(-1)).clamp(min=0).sqrt()  # (B, 14)
            mu = (torch.tanh(mu) * reach[:, None] - self.target_mean) / self.target_std
        return Mixture(log_pi=torch.log_softmax(self.to_pi(h), dim=-1),
                       log_sigma=log_sigma.clamp(min=self.config.log_sigma_min), mu=mu)

    def target(self, joints3d: torch.Tensor) -> torch.Tensor:
        """3-D joints (B, 15, 3) → the z-scored targets the mixture is over (B, 14)."""
        return (raw_target(joints3d, self.config.target) - self.target_mean) / self.target_std

    def depths(self, t: torch.Tensor) -> torch.Tensor:
        """z-scored targets (…, 14) → each joint's depth relative to the pelvis (…, 15), metres."""
        return depths_from_target(t * self.target_std + self.target_mean, self.config.target)


def bone_vectors(joints: torch.Tensor) -> torch.Tensor:
    """(…, 15, D) → child minus parent for every bone (…, 14, D)."""
    parents, children = zip(*skeleton.BONES)
    return joints[..., list(children), :] - joints[..., list(parents), :]


def centre(joints: torch.Tensor) -> torch.Tensor:
    """Joints (…, 15, D) relative to the pelvis."""
    return joints - joints[..., skeleton.ROOT : skeleton.ROOT + 1, :]


def raw_target(joints3d: torch.Tensor, target: str) -> torch.Tensor:
    """(…, 15, 3) → depths relative to the pelvis (target "depth") or along each bone ("bone"): (…, 14)."""
    if target == "depth":
        return joints3d[..., 1:, 2] - joints3d[..., :1, 2]
    return bone_vectors(joints3d)[..., 2]


def depths_from_target(t: torch.Tensor, target: str) -> torch.Tensor:
    """Inverse of raw_target: (…, 14) → depth of every joint relative to the pelvis (…, 15)."""
    zero = torch.zeros_like(t[..., :1])
    if target == "depth":
        return torch.cat([zero, t], -1)
    z = [zero[..., 0]]
    for j in range(1, skeleton.N_JOINTS):  # parents first: the sum runs down the tree
        z.append(z[skeleton.PARENTS[j]] + t[..., j - 1])
    return torch.stack(z, -1)


def assemble(joints2d: torch.Tensor, depths: torch.Tensor) -> torch.Tensor:
    """x, y from the (pelvis-centred) input and the predicted depths → 3-D joints.
    joints2d (B, 15, 2), depths (B, K, 15) → (B, K, 15, 3)"""
    xy = centre(joints2d)[:, None].expand(-1, depths.shape[1], -1, -1)
    return torch.cat([xy, depths[..., None]], -1)


def pose_loss(model: PoseMDN, joints2d: torch.Tensor, joints3d: torch.Tensor, dirichlet_lambda: float = 1.0
              ) -> torch.Tensor:
    """Mean −log p(t|x) − (λ−1) Σ_k log π_k over the batch, t the z-scored depths of joints3d."""
    return mdn_loss(model(joints2d), model.target(joints3d), dirichlet_lambda)


@torch.no_grad()
def predict(model: PoseMDN, joints2d: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Every kernel's pose for a batch, in kernel order: (B, 15, 2) → π (B, K), joints (B, K, 15, 3),
    pelvis-centred metres in the camera frame (x right, y up, z towards the camera)."""
    mix = model(joints2d)
    return mix.pi, assemble(joints2d, model.depths(mix.mu))


@torch.no_grad()
def hypotheses(model: PoseMDN, joints2d) -> tuple[np.ndarray, np.ndarray]:
    """One 2-D pose (15, 2) in metres (x right, y up; any origin) → its K hypotheses, most probable
    first: π (K,) and 3-D joints (K, 15, 3), pelvis at the origin, z towards the camera."""
    x = torch.as_tensor(np.asarray(joints2d, dtype=np.float32)).reshape(1, skeleton.N_JOINTS, 2)
    pi, joints = predict(model, x)
    order = torch.argsort(pi[0], descending=True, stable=True)
    return pi[0, order].numpy(), joints[0, order].numpy()
