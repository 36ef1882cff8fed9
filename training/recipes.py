"""The shipped checkpoints: what each one is and how it is trained. One table, read by the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from latent_explorer.paths import CHECKPOINTS
from latent_explorer.paths import EVALUATORS as EVALUATOR_DIR
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
    dataset: str | None = None  # image models: "mnist" or "fashion" (training/datasets.py)

    @property
    def kind(self) -> str:
        return self.config.kind


# The classifier that judges each data set's generated images (label accuracy, manifold classes,
# Fréchet distance). Evaluators are trained first and never served.
EVALUATORS = {"mnist": "digit-classifier", "fashion": "fashion-classifier"}


def _classifier(dataset: str, title: str) -> Recipe:
    return Recipe(
        id=EVALUATORS[dataset], title=f"{title} classifier (evaluation only)",
        description="Two conv layers, a 128-wide feature layer and a linear read-out; judges generated images.",
        config=ClassifierConfig(channels=16, hidden=128),
        epochs=CLASSIFIER_EPOCHS, batch_size=128, lr=2e-3, seed=0, dataset=dataset,
    )


def _vae(id: str, dataset: str, title: str, description: str, config: VAEConfig) -> Recipe:
    return Recipe(id=id, title=title, description=description, config=config, dataset=dataset,
                  epochs=VAE_EPOCHS, batch_size=128, lr=2e-3, seed=0)


CLASSIFIER_EPOCHS = 4
VAE_EPOCHS = 25
# One hidden layer, as Kingma & Welling (500 units) and pytorch/examples (400): fewer multiply-adds per
# decode, on the server and in the page, than the earlier 512-256; and in pytorch/examples' own training
# time a lower test −ELBO than theirs (bench/training_comparison.py, README).
HIDDEN = [400]

RECIPES: dict[str, Recipe] = {
    r.id: r
    for r in [
        _classifier("mnist", "MNIST digit"),
        _classifier("fashion", "Fashion-MNIST"),
        _vae("vae-2d", "mnist", "VAE, 2-D latent",
             "MLP VAE with a two-dimensional latent space: the whole space fits on one map.",
             VAEConfig(latent_dim=2, hidden=HIDDEN)),
        _vae("vae-8d", "mnist", "VAE, 8-D latent",
             "MLP VAE with eight latent dimensions, one slider each: sharper digits, more to explore.",
             VAEConfig(latent_dim=8, hidden=HIDDEN)),
        _vae("cvae", "mnist", "Conditional VAE",
             "The label is given to encoder and decoder; z holds the style (slant, width, stroke).",
             VAEConfig(latent_dim=4, hidden=HIDDEN, n_labels=10)),
        _vae("fashion-vae-2d", "fashion", "Fashion VAE, 2-D latent",
             "MLP VAE on Fashion-MNIST with a two-dimensional latent space: every garment on one map.",
             VAEConfig(latent_dim=2, hidden=HIDDEN)),
        _vae("fashion-cvae", "fashion", "Fashion conditional VAE",
             "The clothing class is given to encoder and decoder; z holds the style (shape, shade, pattern).",
             VAEConfig(latent_dim=4, hidden=HIDDEN, n_labels=10)),
        Recipe(
            id="mdn-toy",
            title="MDN: Bishop's inverse problem",
            description="p(t|x) for t ~ U(0,1), x = t + 0.3 sin(2πt) + U(−0.1, 0.1): up to three answers per x.",
            # p(t|x) is uniform on up to three intervals with sharp x-edges, and one Gaussian fits a box
            # only to within 0.18 nats: each interval needs several kernels placed as x moves, hence the
            # depth, the data and the epochs; the weight decay keeps spare kernels switched off rather
            # than spiking (bench/RESULTS.md, "Training choices").
            config=MDNConfig(input_dim=1, output_dim=1, components=10, hidden=[128, 128, 128, 128]),
            epochs=150, batch_size=256, lr=2e-3, seed=0, weight_decay=1e-4,
            data={"generator": "inverse_sine", "n_train": 50_000, "n_test": 10_000, "train_seed": 1, "test_seed": 2},
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

# Training order matters: the classifiers judge the image models.
TRAIN_ORDER = [*EVALUATORS.values(), "vae-2d", "vae-8d", "cvae", "fashion-vae-2d", "fashion-cvae", "mdn-toy", "mdn-arm"]


def names(name: str) -> list[str]:
    """'all' or one recipe id → the ids, in training order; KeyError naming the choices otherwise."""
    if name == "all":
        return list(TRAIN_ORDER)
    if name not in RECIPES:
        raise KeyError(f"unknown checkpoint {name!r}; choose from: all, {', '.join(TRAIN_ORDER)}")
    return [name]


def checkpoint_dir(name: str, checkpoints: Path = CHECKPOINTS, evaluators: Path = EVALUATOR_DIR) -> Path:
    """Where a recipe's checkpoint lives: evaluators (never served) apart from the served ones."""
    return (evaluators if RECIPES[name].kind == "classifier" else checkpoints) / name
