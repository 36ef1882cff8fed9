import numpy as np
from PIL import Image

from training.sample_grids import main


def test_every_image_model_gets_a_grid_of_100_samples(tmp_path):
    assert main(["--out", str(tmp_path), "--scale", "1"]) == 0
    grids = sorted(p.name for p in tmp_path.iterdir())
    assert grids == ["cvae.png", "fashion-cvae.png", "fashion-vae-2d.png", "vae-2d.png", "vae-8d.png"]
    image = Image.open(tmp_path / "vae-8d.png")
    assert image.size == (280, 280) and image.mode == "L"
    mean = np.asarray(image).mean()
    assert 0 < mean < 128  # digits: mostly dark, not blank
