"""Training of the digit models (VAE, CVAE, classifier) on an MNIST split."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from models.checkpoint import Checkpoint
from models.classifier import DigitClassifier
from models.vae import IMAGE_SHAPE, VAE, label_input, negative_elbo
from training.datasets import DATASETS
from training.loop import train_epochs
from training.mnist import MnistSplit
from training.recipes import Recipe


def _vae_loss(kl_weight: float):
    """The −ELBO with its KL term weighted by β (Higgins et al. 2017); β = 1 is the plain −ELBO."""
    def loss(model: VAE, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        _, rec, kl = negative_elbo(model, x, label_input(model, y))
        return (rec + kl_weight * kl).mean()
    return loss


def _classifier_loss(model: DigitClassifier, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(model(x), y)


def train_digit_model(recipe: Recipe, data: MnistSplit, show_progress: bool = True) -> tuple[Checkpoint, list[float]]:
    """Train a VAE, CVAE or classifier from scratch. → (checkpoint without metrics, loss per epoch)"""
    torch.manual_seed(recipe.seed)  # the initial weights
    if recipe.kind == "classifier":
        model, loss_fn = DigitClassifier(recipe.config), _classifier_loss
    else:
        model, loss_fn = VAE(recipe.config), _vae_loss(recipe.kl_weight)
    history = train_epochs(
        model, loss_fn, (data.train_x, data.train_y),
        epochs=recipe.epochs, batch_size=recipe.batch_size, lr=recipe.lr, seed=recipe.seed,
        weight_decay=recipe.weight_decay, desc=recipe.id, show_progress=show_progress,
    )
    names = list(DATASETS[recipe.dataset].label_names)
    meta = {"image_shape": list(IMAGE_SHAPE), "dataset": recipe.dataset, "label_names": names}
    extras = {}
    if recipe.kind in ("vae", "cvae"):
        meta["latent_dim"] = recipe.config.latent_dim
        if recipe.kind == "cvae":
            meta["labels"] = list(range(recipe.config.n_labels))
        extras = held_out_embedding(model, data)
    return Checkpoint(model=model, meta=meta, extras=extras), history


EMBEDDING_PER_CLASS = 200  # test images per class on the page's latent map: enough to show each cluster


@torch.no_grad()
def held_out_embedding(model: VAE, data: MnistSplit) -> dict[str, torch.Tensor]:
    """Encoder means of test images (the first EMBEDDING_PER_CLASS of each class, in test-set order),
    for the server's scatter plot: it has no data set."""
    picked = torch.cat([torch.nonzero(data.test_y == k).flatten()[:EMBEDDING_PER_CLASS]
                        for k in data.test_y.unique().tolist()]).sort().values
    x, y = data.test_x[picked], data.test_y[picked]
    mu, _ = model.encode(x, label_input(model, y))
    return {"embedding_mu": mu.float(), "embedding_labels": y.to(torch.int64)}
