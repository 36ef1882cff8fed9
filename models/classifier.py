"""A small convolutional image classifier, one per data set (evaluators/digit-classifier for MNIST,
evaluators/fashion-classifier for Fashion-MNIST). It is not served: it judges generated images — how
often an image generated for label k is read as k (a CVAE's label accuracy), which classes a 2-D
latent map shows, and, through its penultimate features, a Fréchet distance between generated and
real images (FID's recipe, Heusel et al. 2017, with a network that knows the data set instead of
Inception)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass
class ClassifierConfig:
    channels: int = 16  # filters in the first conv layer (doubled in the second)
    hidden: int = 128  # width of the penultimate layer: the feature space of the Fréchet distance
    n_labels: int = 10

    kind = "classifier"

    def to_dict(self) -> dict:
        return asdict(self)


class DigitClassifier(nn.Module):
    def __init__(self, config: ClassifierConfig):
        super().__init__()
        self.config = config
        c = config.channels
        self.convolutions = nn.Sequential(
            nn.Conv2d(1, c, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # (B, c, 14, 14)
            nn.Conv2d(c, 2 * c, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # (B, 2c, 7, 7)
            nn.Flatten(), nn.Dropout(0.3), nn.Linear(2 * c * 49, config.hidden), nn.ReLU(),
        )
        self.head = nn.Sequential(nn.Dropout(0.3), nn.Linear(config.hidden, config.n_labels))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, 784) in [0, 1] → penultimate activations (B, hidden)."""
        return self.convolutions(x.view(-1, 1, 28, 28))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, 784) in [0, 1] → logits (B, n_labels)."""
        return self.head(self.features(x))
