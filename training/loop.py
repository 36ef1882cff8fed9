"""A seeded mini-batch training loop shared by every model, with a progress bar."""

from __future__ import annotations

import random
from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from tqdm import tqdm

LossFn = Callable[..., torch.Tensor]  # (model, *batch tensors) → mean loss of the batch


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train_epochs(
    model: nn.Module,
    loss_fn: LossFn,
    tensors: tuple[torch.Tensor, ...],
    *,
    epochs: int,
    batch_size: int,
    lr: float,
    seed: int,
    desc: str,
    weight_decay: float = 0.0,
    show_progress: bool = True,
) -> list[float]:
    """Adam with cosine learning-rate decay over shuffled mini-batches of `tensors` (indexed along
    dim 0). → mean loss per epoch.

    Reproducible for a given seed and torch thread count: the shuffling has its own generator and
    every random draw inside the model (ε of the reparameterisation) follows torch.manual_seed."""
    seed_everything(seed)
    shuffle = torch.Generator().manual_seed(seed)
    # fused: one kernel for all parameters instead of a loop over them; the same arithmetic, faster.
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay, fused=True)
    # Cosine decay to zero: the last epochs settle instead of bouncing at the full step size,
    # which matters most for the MDNs' noisy likelihood.
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    n = tensors[0].shape[0]
    history: list[float] = []
    model.train()
    bar = tqdm(range(epochs), desc=desc, unit="epoch", disable=not show_progress, leave=True)
    for _ in bar:
        order = torch.randperm(n, generator=shuffle)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            loss = loss_fn(model, *(t[idx] for t in tensors))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(idx)
        schedule.step()
        history.append(total / n)
        bar.set_postfix(loss=f"{history[-1]:.4g}")
    model.eval()
    return history
