"""A 10×10 grid of samples per shipped image model, for people to look at (README, model cards).

    python -m training.sample_grids [--out docs/samples]

VAE: 100 draws z ~ N(0, I). CVAE: one row per label, the same ten style draws in every row, so a
column shows one style across labels. Seeded: the same checkpoint gives the same picture."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from latent_explorer.paths import CHECKPOINTS, REPO_ROOT
from models.checkpoint import load_checkpoint
from models.vae import VAE, label_input

GRID = 10


@torch.no_grad()
def sample_grid(model: VAE, seed: int = 0) -> np.ndarray:
    """→ (280, 280) uint8: a 10×10 grid of decoded 28×28 samples."""
    g = torch.Generator().manual_seed(seed)
    d = model.config.latent_dim
    if model.config.n_labels:
        labels = torch.arange(GRID).repeat_interleave(GRID)  # row = label
        z = torch.randn(GRID, d, generator=g).repeat(GRID, 1)  # column = style
    else:
        labels = torch.zeros(GRID * GRID, dtype=torch.int64)
        z = torch.randn(GRID * GRID, d, generator=g)
    pixels = model.decode(z, label_input(model, labels)).view(GRID, GRID, 28, 28)
    grid = pixels.permute(0, 2, 1, 3).reshape(GRID * 28, GRID * 28)
    return (grid * 255).round().clamp(0, 255).to(torch.uint8).numpy()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(REPO_ROOT / "docs" / "samples"))
    parser.add_argument("--scale", type=int, default=2, help="pixels per image pixel")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for folder in sorted(CHECKPOINTS.iterdir()):
        ckpt = load_checkpoint(folder)
        if ckpt.meta["kind"] not in ("vae", "cvae"):
            continue
        image = Image.fromarray(sample_grid(ckpt.model), mode="L")
        image = image.resize((image.width * args.scale, image.height * args.scale), Image.Resampling.NEAREST)
        path = out / f"{folder.name}.png"
        image.save(path, optimize=True)
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
