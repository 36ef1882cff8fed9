"""Held-out metrics, computed the same way at every evaluation (seeded Monte-Carlo draws)."""

from __future__ import annotations

import dataclasses

import torch

from models import mixture
from models.classifier import DigitClassifier
from models.kinematics import ArmGeometry, forward_kinematics, in_training_domain, inverse_kinematics
from models.latent_grid import lattice
from models.mdn import MDN, mixture_log_density
from models.pose_mdn import PoseMDN, predict
from models.vae import VAE, importance_weighted_log_likelihood, label_input, negative_elbo
from training.frechet import frechet_distance
from training.mnist import MnistSplit
from training.pose_cameras import CameraRanges, held_out_views, split_by_clip
from training.pose_metrics import pose_metrics
from training.poses import Poses
from training.recipes import Recipe
from training.toy_data import inverse_sine_best_nll, inverse_sine_interval_counts
from training.train_mdn import make_toy_data, train_mdn_model
from training.train_pose import train_pose_model, training_poses

ELBO_DRAWS = 10  # one-sample ELBO averaged over this many draws of ε
IW_SAMPLES = 200  # importance samples per digit for the log-likelihood estimate
GENERATED = 10_000  # samples judged by the classifier: label accuracy and the Fréchet distance
TRAIN_SUBSET = 10_000  # training digits the train −ELBO is measured on (as many as the test set)
MANIFOLD_N = 20
# An image is read "with confidence" when the evaluator gives its top class this probability: the
# line between a sample that is clearly some digit (or garment) and a blot between several.
CONFIDENT = 0.8
MANIFOLD_CELLS_PER_CLASS = 3  # the map "shows" a class when at least this many cells read as it confidently


@torch.no_grad()
def _elbo_parts(model: VAE, x: torch.Tensor, y: torch.Tensor) -> dict[str, float]:
    labels = label_input(model, y)
    sums = torch.zeros(3)
    for _ in range(ELBO_DRAWS):
        loss, rec, kl = negative_elbo(model, x, labels)
        sums += torch.stack([loss.mean(), rec.mean(), kl.mean()])
    loss, rec, kl = (sums / ELBO_DRAWS).tolist()
    return {"neg_elbo": loss, "reconstruction": rec, "kl": kl}


@torch.no_grad()
def _iw_log_likelihood(model: VAE, x: torch.Tensor, y: torch.Tensor, batch: int = 50) -> float:
    total = 0.0
    for s in range(0, len(x), batch):
        xb, yb = x[s : s + batch], y[s : s + batch]
        labels = label_input(model, yb)
        total += importance_weighted_log_likelihood(model, xb, labels, k=IW_SAMPLES).sum().item()
    return total / len(x)


@torch.no_grad()
def classify(classifier: DigitClassifier, pixels: torch.Tensor) -> torch.Tensor:
    return classifier(pixels).argmax(dim=1)


@torch.no_grad()
def top_class(classifier: DigitClassifier, pixels: torch.Tensor, batch: int = 1000) -> tuple[torch.Tensor, torch.Tensor]:
    """The evaluator's reading of each image. → (class (N,), its probability (N,))"""
    probabilities = torch.cat([classifier(pixels[s : s + batch]).softmax(dim=1) for s in range(0, len(pixels), batch)])
    p, k = probabilities.max(dim=1)
    return k, p


def evaluate_digit_model(model: VAE, data: MnistSplit, classifier: DigitClassifier | None) -> dict:
    """VAE/CVAE: test (and train) −ELBO with its parts and the importance-weighted log-likelihood,
    in nats per digit; with a classifier, what the generated digits look like."""
    torch.manual_seed(0)
    test = _elbo_parts(model, data.test_x, data.test_y)
    train = _elbo_parts(model, data.train_x[:TRAIN_SUBSET], data.train_y[:TRAIN_SUBSET])
    metrics = {
        "test_neg_elbo_nats": test["neg_elbo"],
        "test_reconstruction_nats": test["reconstruction"],
        "test_kl_nats": test["kl"],
        "train_neg_elbo_nats": train["neg_elbo"],
        "train_neg_elbo_digits": min(TRAIN_SUBSET, len(data.train_y)),
        "test_iw_log_likelihood_nats": _iw_log_likelihood(model, data.test_x, data.test_y),
        "iw_samples": IW_SAMPLES,
        "n_test": len(data.test_y),
    }
    if classifier is None:
        return metrics
    cfg = model.config
    labels, samples = _generate(model, len(data.test_y))
    metrics.update(_frechet(classifier, samples, data.test_x))
    metrics.update(_confident_samples(classifier, samples, data.test_x, data.test_y))
    if cfg.latent_dim >= 4:
        metrics.update(_reconstruction_keeps_class(model, classifier, data))
    if cfg.n_labels:
        metrics.update(_label_accuracy(classifier, labels, samples))
    elif cfg.latent_dim == 2:
        metrics.update(_manifold_classes(model, classifier))
    return metrics


def _confident_samples(classifier: DigitClassifier, samples: torch.Tensor, test_x: torch.Tensor,
                       test_y: torch.Tensor) -> dict:
    """Share of samples the evaluator reads as some class with probability ≥ CONFIDENT, beside the
    same share of real test images, overall and per class: the evaluator's own ceiling (lower on
    clothes than on digits, lowest on shirts), which no model's samples can be expected to pass."""
    _, p_samples = top_class(classifier, samples)
    _, p_real = top_class(classifier, test_x)
    real_confident = (p_real >= CONFIDENT).float()
    per_class = [real_confident[test_y == k].mean().item() for k in range(classifier.config.n_labels)]
    return {"confident_samples": (p_samples >= CONFIDENT).float().mean().item(),
            "confident_test_images": real_confident.mean().item(),
            "confident_test_images_per_class": per_class,
            "confident_threshold": CONFIDENT}


@torch.no_grad()
def _reconstruction_keeps_class(model: VAE, classifier: DigitClassifier, data: MnistSplit) -> dict:
    """Share of test images that, encoded (the posterior mean) and decoded, the evaluator still reads
    as their true class: does the code keep what the image is?"""
    labels = label_input(model, data.test_y)
    mu, _ = model.encode(data.test_x, labels)
    read, _ = top_class(classifier, model.decode(mu, labels))
    return {"reconstruction_keeps_class": (read == data.test_y).float().mean().item()}


@torch.no_grad()
def _generate(model: VAE, n: int = GENERATED) -> tuple[torch.Tensor, torch.Tensor]:
    """n images decoded from z ~ N(0, I) (pixel means, as the server shows them); a CVAE gets
    every label equally often. → labels (n,), images (n, 784)"""
    g = torch.Generator().manual_seed(0)
    n_labels = model.config.n_labels
    labels = torch.arange(n) % n_labels if n_labels else torch.zeros(n, dtype=torch.int64)
    z = torch.randn(n, model.config.latent_dim, generator=g)
    return labels, model.decode(z, label_input(model, labels))


@torch.no_grad()
def _features(classifier: DigitClassifier, images: torch.Tensor, batch: int = 1000) -> torch.Tensor:
    return torch.cat([classifier.features(images[s : s + batch]) for s in range(0, len(images), batch)])


def _frechet(classifier: DigitClassifier, samples: torch.Tensor, test_x: torch.Tensor) -> dict:
    """Fréchet distance in the evaluator's penultimate features between the samples and the test
    images, beside the floor: the same distance between the two halves of the test set. The
    distance grows as samples shrink, so the model is also measured at the floor's sample size."""
    real, fake = _features(classifier, test_x), _features(classifier, samples)
    # Halves drawn at random (seeded): MNIST's test set is ordered by writer group (its first
    # 5,000 digits came from other writers than its last 5,000), so a first/last split measures
    # that difference, not the sampling noise a floor is for.
    order = torch.randperm(len(real), generator=torch.Generator().manual_seed(0))
    half_a, half_b = real[order[: len(real) // 2]], real[order[len(real) // 2 :]]
    return {
        "frechet_distance": frechet_distance(fake, real),
        "frechet_samples": len(fake),
        "frechet_floor_test_halves": frechet_distance(half_a, half_b),
        "frechet_distance_at_half": frechet_distance(fake[: len(half_b)], half_b),
        "frechet_features": f"evaluator penultimate layer ({real.shape[1]} features)",
    }


@torch.no_grad()
def _label_accuracy(classifier: DigitClassifier, labels: torch.Tensor, samples: torch.Tensor) -> dict:
    """Share of images generated for label k (z ~ N(0, I)) that the evaluator reads as k."""
    predicted = torch.cat([classify(classifier, samples[s : s + 1000]) for s in range(0, len(samples), 1000)])
    n_labels = int(labels.max()) + 1
    per_label = [(predicted[labels == k] == k).float().mean().item() for k in range(n_labels)]
    return {
        "generated_label_accuracy": (predicted == labels).float().mean().item(),
        "generated_label_accuracy_per_label": per_label,
        "generated_per_label": int((labels == 0).sum()),
    }


@torch.no_grad()
def _manifold_classes(model: VAE, classifier: DigitClassifier) -> dict:
    """Which classes the decoded 20×20 manifold grid shows, according to the evaluator: every cell's
    top class, and the cells read with confidence (a faint, ambiguous cell is not a class shown)."""
    predicted, p = top_class(classifier, model.decode(lattice(MANIFOLD_N)))
    n_labels = classifier.config.n_labels
    counts = torch.bincount(predicted, minlength=n_labels).tolist()
    confident = torch.bincount(predicted[p >= CONFIDENT], minlength=n_labels).tolist()
    return {"manifold_grid": f"{MANIFOLD_N}x{MANIFOLD_N}, inverse Gaussian CDF",
            "manifold_class_counts": counts,
            "manifold_classes_present": sum(c > 0 for c in counts),
            "manifold_confident_cells_per_class": confident,
            "manifold_classes_shown_confidently": sum(c >= MANIFOLD_CELLS_PER_CLASS for c in confident)}


@torch.no_grad()
def evaluate_classifier(model: DigitClassifier, data: MnistSplit) -> dict:
    return {"test_accuracy": (classify(model, data.test_x) == data.test_y).float().mean().item(),
            "n_test": len(data.test_y)}


@torch.no_grad()
def _mean_nll(model: MDN, x: torch.Tensor, t: torch.Tensor) -> float:
    return -mixture_log_density(model(x), t).mean().item()


def evaluate_mdn(model: MDN, recipe: Recipe, data: dict, show_progress: bool = True, baseline: bool = True) -> dict:
    """Test NLL per point next to a unimodal Gaussian regression (the same network with K = 1,
    trained on the same data with the same schedule): the mixture must win on an inverse problem.
    baseline=False skips training that twin (training/experiments.py: a variant measured quickly)."""
    x_train, t_train = make_toy_data(data, "train")
    x_test, t_test = make_toy_data(data, "test")
    metrics = {
        "test_nll_nats": _mean_nll(model, x_test, t_test),
        "train_nll_nats": _mean_nll(model, x_train, t_train),
        "n_test": len(t_test),
    }
    if baseline:
        unimodal_config = dataclasses.replace(model.config, components=1)
        unimodal_recipe = dataclasses.replace(recipe, dirichlet_lambda=1.0)
        twin, _ = train_mdn_model(unimodal_config, unimodal_recipe, x_train, t_train, show_progress,
                                  desc=f"{recipe.id} unimodal baseline")
        metrics["unimodal_baseline_test_nll_nats"] = _mean_nll(twin, x_test, t_test)
    if data["generator"] == "inverse_sine":
        metrics["best_possible_test_nll_nats"] = inverse_sine_best_nll(x_test)
        metrics.update(_toy_modes(model))
    if "arm" in data:
        metrics.update(_arm_metrics(model, x_test, ArmGeometry(**data["arm"])))
    return metrics


@torch.no_grad()
def _toy_modes(model: MDN, n: int = 1201) -> dict:
    """On a fine grid of x over the data's range: where S(x) (the exact p(t|x)'s support) is three
    intervals, does `modes` find three? Also how many modes the page shows elsewhere."""
    x = torch.linspace(-0.1, 1.1, n)
    intervals = inverse_sine_interval_counts(x)
    modes = torch.tensor([len(found) for found in mixture.modes(model(x[:, None]))])
    three = intervals == 3
    return {
        "grid_x_with_three_intervals": int(three.sum()),
        "three_modes_where_three_intervals": (modes[three] == 3).float().mean().item() if three.any() else None,
        "grid_x_with_two_intervals": int((intervals == 2).sum()),
        "grid_x_with_three_modes": int((modes == 3).sum()),
        "grid_points": n,
    }


@torch.no_grad()
def _arm_metrics(model: MDN, targets: torch.Tensor, arm: ArmGeometry, pi_min: float = 0.1,
                 tolerance: float = 0.1) -> dict:
    """How well the kernels' means solve the inverse kinematics of held-out targets."""
    mix = model(targets)
    reach_error = lambda theta: (forward_kinematics(theta, arm) - targets).norm(dim=-1).mean().item()  # noqa: E731
    solutions, reachable = inverse_kinematics(targets, arm)  # (N, 2, 2)
    both = reachable & in_training_domain(solutions, arm).all(dim=1)
    # A solution is found when some kernel with π ≥ pi_min has its mean within `tolerance` rad of it.
    distance = (mix.mu[:, None, :, :] - solutions[:, :, None, :]).norm(dim=-1)  # (N, 2 solutions, K)
    distance = distance.masked_fill((mix.pi < pi_min)[:, None, :], float("inf"))
    found = (distance.min(dim=2).values < tolerance).all(dim=1)
    return {
        "reach_error_most_probable_kernel": reach_error(mixture.most_probable_kernel_mean(mix)),
        "reach_error_conditional_mean": reach_error(mixture.mean(mix)),
        "both_elbows_found": found[both].float().mean().item(),
        "targets_with_two_solutions_in_domain": int(both.sum()),
        "both_elbows_criterion": f"a kernel with pi >= {pi_min} within {tolerance} rad of each analytic solution",
    }


def evaluate_pose(model: PoseMDN, recipe: Recipe, poses: Poses, show_progress: bool = True) -> tuple[dict, PoseMDN]:
    """MPJPE on the held-out clips, each frame through recipe.data["test_views"] seeded cameras: the
    best of the K hypotheses, the most probable one and the conditional mean, beside the unimodal
    twin (the same network with K = 1 and no prior, trained on the same data with the same schedule).
    → (the metrics, the twin)."""
    split = split_by_clip(poses, recipe.data["test_clips"])
    train = training_poses(split, recipe.data["mirror"])
    unimodal_config = dataclasses.replace(model.config, components=1)
    unimodal_recipe = dataclasses.replace(recipe, dirichlet_lambda=1.0)
    baseline, _ = train_pose_model(unimodal_config, unimodal_recipe, train, show_progress,
                                   desc=f"{recipe.id} unimodal baseline")
    ranges = CameraRanges(**{k: tuple(v) for k, v in recipe.data["cameras"].items()})
    views = held_out_views(split, ranges, recipe.data["test_views"], recipe.data["test_seed"])
    pi, hyps = predict(model, views.joints2d)
    _, single = predict(baseline, views.joints2d)
    return pose_metrics(pi, hyps, views.joints2d, views.joints3d, single[:, 0], views.clip, split.test_clips), baseline
