"""The shipped checkpoints: what each one is and how it is trained. One table, read by the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.classifier import ClassifierConfig
from models.kinematics import ArmGeometry
from models.mdn import MDNConfig
from models.vae import VAEConfig


@dataclass
class Recipe:
    id: str
    title: str
    description: str
    config: VAEConfig | MDNConfig | ClassifierConfig
    epochs: int
    batch_size: int
    lr: float
    seed: int
    weight_decay: float = 0.0
    dirichlet_lambda: float = 1.0  # MDN only: Dirichlet prior on π (1 = off)
    data: dict = field(default_factory=dict)  # MDN only: how the toy data is generated

    @property
    def kind(self) -> str:
        return self.config.kind


CLASSIFIER_ID = "digit-classifier"

RECIPES: dict[str, Recipe] = {
    r.id: r
    for r in [
        # Not served: it judges generated digits (CVAE label accuracy, classes on the 2-D manifold).
        Recipe(
            id=CLASSIFIER_ID,
            title="Digit classifier (evaluation only)",
            description="Two conv layers and a linear read-out; reads generated digits for the metrics.",
            config=ClassifierConfig(channels=16),
            epochs=15, batch_size=64, lr=1e-3, seed=0,
        ),
        Recipe(
            id="vae-2d",
            title="VAE, 2-D latent",
            description="MLP VAE with a two-dimensional latent space: the whole space fits on one map.",
            config=VAEConfig(latent_dim=2, hidden=[512, 256]),
            epochs=60, batch_size=64, lr=1e-3, seed=0,
        ),
        Recipe(
            id="vae-8d",
            title="VAE, 8-D latent",
            description="MLP VAE with eight latent dimensions, one slider each: sharper digits, more to explore.",
            config=VAEConfig(latent_dim=8, hidden=[512, 256]),
            epochs=60, batch_size=64, lr=1e-3, seed=0,
        ),
        Recipe(
            id="cvae",
            title="Conditional VAE",
            description="The label is given to encoder and decoder; z holds the style (slant, width, stroke).",
            config=VAEConfig(latent_dim=4, hidden=[512, 256], n_labels=10),
            epochs=60, batch_size=64, lr=1e-3, seed=0,
        ),
        Recipe(
            id="mdn-toy",
            title="MDN: Bishop's inverse problem",
            description="p(t|x) for t ~ U(0,1), x = t + 0.3 sin(2πt) + U(−0.1, 0.1): up to three answers per x.",
            config=MDNConfig(input_dim=1, output_dim=1, components=5, hidden=[32, 32]),
            # A little weight decay switches spare kernels off instead of letting one turn into a
            # narrow spike (σ ≈ 0.01, π ≈ 0.02) that adds a spurious mode; the test NLL is unchanged.
            epochs=400, batch_size=100, lr=3e-3, seed=0, weight_decay=1e-4,
            data={"generator": "inverse_sine", "n_train": 1000, "n_test": 1000, "train_seed": 1, "test_seed": 2},
        ),
        Recipe(
            id="mdn-arm",
            title="MDN: two-link robot arm",
            description="Joint angles (θ1, θ2) from the end-effector position: elbow up and elbow down both fit.",
            config=MDNConfig(input_dim=2, output_dim=2, components=6, hidden=[64, 64]),
            epochs=300, batch_size=128, lr=3e-3, seed=0,
            data={
                "generator": "robot_arm", "n_train": 4000, "n_test": 1000, "train_seed": 1, "test_seed": 2,
                "arm": ArmGeometry().to_dict(),
            },
        ),
    ]
}

# Training order matters: the classifier judges the digit models.
TRAIN_ORDER = [CLASSIFIER_ID, "vae-2d", "vae-8d", "cvae", "mdn-toy", "mdn-arm"]
