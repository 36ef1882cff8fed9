"""The shipped checkpoints: what each one is and how it is trained. One table, read by the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.classifier import ClassifierConfig
from models.kinematics import ArmGeometry
from models.mdn import MDNConfig
from models.pose_mdn import PoseMDNConfig
from models.vae import VAEConfig
from training.order import EVALUATORS, TRAIN_ORDER, checkpoint_dir, names  # noqa: F401 - re-exported for training


@dataclass
class Recipe:
    id: str
    title: str
    description: str
    config: VAEConfig | MDNConfig | PoseMDNConfig | ClassifierConfig
    epochs: int
    batch_size: int
    lr: float
    seed: int
    weight_decay: float = 0.0
    dirichlet_lambda: float = 1.0  # MDNs only: Dirichlet prior on π (1 = off)
    # VAEs only: β on the KL term while training (1 = the plain −ELBO). Above 1 the posterior stays
    # nearer the prior, so more of what the decoder sees when sampling z ~ N(0, I) was trained on.
    kl_weight: float = 1.0
    data: dict = field(default_factory=dict)  # MDNs only: how the toy data is generated, or the pose split and cameras
    dataset: str | None = None  # "mnist", "fashion" or "poses" (training/datasets.py)

    @property
    def kind(self) -> str:
        return self.config.kind


# The classifier that judges each data set's generated images (label accuracy, manifold classes,
# Fréchet distance). Evaluators are trained first and never served.
CLASSIFIER_ID = EVALUATORS["mnist"]


def _classifier(dataset: str, title: str) -> Recipe:
    return Recipe(
        id=EVALUATORS[dataset], title=f"{title} classifier (evaluation only)",
        description="Two conv layers, a 128-wide feature layer and a linear read-out; judges generated images.",
        config=ClassifierConfig(channels=16, hidden=128),
        epochs=CLASSIFIER_EPOCHS, batch_size=128, lr=2e-3, seed=0, dataset=dataset,
    )


def _vae(id: str, dataset: str, title: str, description: str, config: VAEConfig,
         epochs: int | None = None, kl_weight: float = 1.0) -> Recipe:
    return Recipe(id=id, title=title, description=description, config=config, dataset=dataset,
                  epochs=epochs or VAE_EPOCHS, batch_size=128, lr=2e-3, seed=0, kl_weight=kl_weight)


CLASSIFIER_EPOCHS = 4
POSE_EPOCHS = 100
VAE_EPOCHS = 25
# One hidden layer, as Kingma & Welling (500 units) and pytorch/examples (400): at equal training
# time it reached the lowest test −ELBO (bench/training_comparison.py) and decodes in the fewest
# multiply-adds. But the −ELBO does not measure samples: where those fell short (the 8-d model's
# blots, faint classes on the 2-d digit map, garments of the wrong class) two hidden layers and a
# KL weight above 1 fixed them; docs/training.md has what was tried and what each gave.
HIDDEN = [400]
TWO_LAYERS = [512, 512]

RECIPES: dict[str, Recipe] = {
    r.id: r
    for r in [
        _classifier("mnist", "MNIST digit"),
        _classifier("fashion", "Fashion-MNIST"),
        _vae("vae-2d", "mnist", "VAE, 2-D latent",
             "MLP VAE with a two-dimensional latent space: the whole space fits on one map.",
             VAEConfig(latent_dim=2, hidden=[256, 256])),
        _vae("vae-8d", "mnist", "VAE, 8-D latent",
             "MLP VAE with eight latent dimensions, one slider each: sharper digits, more to explore.",
             VAEConfig(latent_dim=8, hidden=TWO_LAYERS), epochs=40, kl_weight=1.5),
        _vae("cvae", "mnist", "Conditional VAE",
             "The label is given to encoder and decoder; z holds the style (slant, width, stroke).",
             VAEConfig(latent_dim=4, hidden=HIDDEN, n_labels=10), kl_weight=2.0),
        _vae("fashion-vae-2d", "fashion", "Fashion VAE, 2-D latent",
             "MLP VAE on Fashion-MNIST with a two-dimensional latent space: every garment on one map.",
             VAEConfig(latent_dim=2, hidden=[256, 256]), epochs=50),
        _vae("fashion-cvae", "fashion", "Fashion conditional VAE",
             "The clothing class is given to encoder and decoder; z holds the style (shape, shade, pattern).",
             VAEConfig(latent_dim=4, hidden=TWO_LAYERS, n_labels=10), kl_weight=2.0),
        Recipe(
            id="mdn-toy",
            title="MDN: Bishop's inverse problem",
            description="p(t|x) for t ~ U(0,1), x = t + 0.3 sin(2πt) + U(−0.1, 0.1): up to three answers per x.",
            # p(t|x) is uniform on up to three intervals; one Gaussian kernel fits a box only to within
            # 0.18 nats, so each interval needs several kernels placed as x moves, and the x-edges of
            # the branches are sharp: a deeper net, 50 × the data and 150 epochs brought the test NLL
            # from 0.29 to under 0.1 nats above the best possible (32-32, K = 5, 1,000 points before).
            # The weight decay keeps spare kernels switched off rather than spiking (K = 20 without
            # it let two kernels take everything, one spanning two branches).
            config=MDNConfig(input_dim=1, output_dim=1, components=10, hidden=[128, 128, 128, 128]),
            epochs=150, batch_size=256, lr=2e-3, seed=0, weight_decay=1e-4,
            data={"generator": "inverse_sine", "n_train": 50_000, "n_test": 10_000, "train_seed": 1, "test_seed": 2},
        ),
        Recipe(
            id="mdn-arm",
            title="MDN: two-link robot arm",
            description="Joint angles (θ1, θ2) from the end-effector position: elbow up and elbow down both fit.",
            # Two layers of 128 (not 64): on this machine 64-64 found both elbows for 77.8 % of the
            # targets, 128-128 for 91.0 % over three seeds (docs/training.md), in about the same time.
            config=MDNConfig(input_dim=2, output_dim=2, components=6, hidden=[128, 128]),
            epochs=300, batch_size=128, lr=3e-3, seed=0,
            data={
                "generator": "robot_arm", "n_train": 4000, "n_test": 1000, "train_seed": 1, "test_seed": 2,
                "arm": ArmGeometry().to_dict(),
            },
        ),
        Recipe(
            id="pose-mdn",
            title="MDN: 3-D pose from 2-D joints",
            description="Real motion capture seen by an orthographic camera: from the 15 joints' x, y, five "
                        "3-D poses that all fit, each with its probability (Li & Lee 2019).",
            # Li & Lee's K = 5, λ = 2, one σ per kernel, Martinez's residual MLP (half as wide) with
            # z-scored inputs and targets; the kernels are over each bone's depth change, bounded by
            # the skeleton's bone lengths (models/pose_mdn.py): docs/pose.md has what else was tried.
            config=PoseMDNConfig(components=5, width=512, blocks=2, dropout=0.0, target="bone", fixed_bone_lengths=True,
                                 target_scaling="shared"),
            epochs=POSE_EPOCHS, batch_size=256, lr=1e-3, seed=0, dirichlet_lambda=2.0, dataset="poses",
            data={
                # Held out whole: a common gait, a fast whole-body move and a long dance (239 of 1,620 frames).
                "test_clips": ["dance_b", "kick", "walk"],
                "cameras": {"azimuth_deg": [0.0, 360.0], "elevation_deg": [-10.0, 30.0]},
                "mirror": True,  # training poses also mirrored left-right: twice the poses
                "normalisation_views": 16,  # seeded views of each training pose for the z-scoring
                "test_views": 8, "test_seed": 2,  # cameras per held-out frame for the metrics
            },
        ),
    ]
}

assert set(TRAIN_ORDER) == set(RECIPES), "training/order.py lists the recipes"
