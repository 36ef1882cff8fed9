"""A small convolutional digit classifier. It is not served: it judges the CVAE, by how often
a digit generated for label k is read as k (the "label accuracy" in the CVAE's metrics)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn


@dataclass
class ClassifierConfig:
    channels: int = 16  # filters in the first conv layer (doubled in the second)
    n_labels: int = 10

    kind = "classifier"

    def to_dict(self) -> dict:
        return asdict(self)


class DigitClassifier(nn.Module):
    def __init__(self, config: ClassifierConfig):
        super().__init__()
        self.config = config
        c = config.channels
        self.features = nn.Sequential(
            nn.Conv2d(1, c, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # (B, c, 14, 14)
            nn.Conv2d(c, 2 * c, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),  # (B, 2c, 7, 7)
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(2 * c * 49, config.n_labels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, 784) in [0, 1] → logits (B, n_labels)."""
        return self.head(self.features(x.view(-1, 1, 28, 28)))
