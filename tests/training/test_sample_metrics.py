"""The metrics that judge what a VAE draws: confident samples, the map's confident cells per class,
whether a reconstruction keeps its class. Judged here by stand-in evaluators whose answers are known."""

from types import SimpleNamespace

import torch
from torch import nn

from models.vae import VAE, VAEConfig
from training.evaluation import (
    CONFIDENT,
    _confident_samples,
    _manifold_classes,
    _reconstruction_keeps_class,
)


class SureOf(nn.Module):
    """Reads every image as `label`, with probability `p`; the rest spread over the other nine."""

    def __init__(self, label: int, p: float):
        super().__init__()
        self.config = SimpleNamespace(n_labels=10)
        rest = (1 - p) / 9
        self.logits = torch.full((10,), rest).log()
        self.logits[label] = torch.tensor(p).log()

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.logits.expand(len(pixels), 10)


def _model(latent_dim: int) -> VAE:
    torch.manual_seed(0)
    return VAE(VAEConfig(latent_dim=latent_dim, hidden=[8]))


def test_a_sample_counts_as_confident_only_above_the_threshold():
    images, labels = torch.rand(50, 784), torch.arange(50) % 10
    sure = _confident_samples(SureOf(3, CONFIDENT + 0.05), images, images, labels)
    assert sure["confident_samples"] == 1.0 and sure["confident_test_images_per_class"] == [1.0] * 10
    unsure = _confident_samples(SureOf(3, CONFIDENT - 0.05), images, images, labels)
    assert unsure["confident_samples"] == 0.0 and unsure["confident_test_images"] == 0.0


def test_the_map_counts_confident_cells_per_class():
    sure = _manifold_classes(_model(2), SureOf(7, 0.95))
    assert sure["manifold_confident_cells_per_class"] == [0] * 7 + [400] + [0, 0]
    assert sure["manifold_classes_shown_confidently"] == 1
    faint = _manifold_classes(_model(2), SureOf(7, 0.5))
    # Every cell still reads as a 7, but none with confidence: the class is present, not shown.
    assert faint["manifold_class_counts"][7] == 400 and faint["manifold_classes_present"] == 1
    assert faint["manifold_confident_cells_per_class"] == [0] * 10
    assert faint["manifold_classes_shown_confidently"] == 0


def test_a_reconstruction_keeps_its_class_when_the_evaluator_reads_the_true_label():
    data = SimpleNamespace(test_x=torch.rand(20, 784), test_y=torch.tensor([4] * 15 + [2] * 5))
    kept = _reconstruction_keeps_class(_model(4), SureOf(4, 0.9), data)["reconstruction_keeps_class"]
    assert kept == 0.75
