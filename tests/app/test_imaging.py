"""The PNG writer (app.imaging.png_bytes) read back by Pillow: both IDAT branches, stored blocks for
small images and Z_RLE deflate above STORED_MAX_BYTES, give exactly the pixels that went in."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from app import imaging
from app.imaging import STORED_MAX_BYTES, png_bytes


def _round_trip(pixels: np.ndarray) -> np.ndarray:
    image = Image.open(io.BytesIO(png_bytes(pixels)))
    image.load()  # decompresses the IDAT and checks its CRC and zlib checksum
    assert image.mode == "L"
    return np.asarray(image)


@pytest.mark.parametrize(("height", "width", "branch"), [
    (28, 28, "stored"),  # a digit: 28 · 29 = 812 bytes of scanlines
    (1, 1, "stored"),
    (56, 56, "stored"),  # scale 2: 3,192 bytes
    (64, 63, "stored"),  # exactly STORED_MAX_BYTES
    (64, 64, "deflate"),  # one byte over
    (560, 560, "deflate"),  # a 20×20 manifold
    (2240, 2240, "deflate"),  # the largest manifold: over one 64 KiB stored block if it were stored
])
def test_pillow_reads_back_the_same_pixels(height, width, branch):
    assert (height * (width + 1) <= STORED_MAX_BYTES) == (branch == "stored")
    rng = np.random.default_rng(height * 10_000 + width)
    pixels = rng.integers(0, 256, (height, width), dtype=np.uint8)
    pixels[: height // 2] = 0  # runs of black, as in a digit, for the run-length branch
    assert np.array_equal(_round_trip(pixels), pixels)


def test_stored_blocks_span_more_than_one_block(monkeypatch):
    # A stored deflate block holds at most 65,535 bytes: check the splitting with the threshold raised.
    monkeypatch.setattr(imaging, "STORED_MAX_BYTES", 10**6)
    pixels = np.arange(300 * 300, dtype=np.uint32).astype(np.uint8).reshape(300, 300)  # 90,300 bytes of scanlines
    assert np.array_equal(_round_trip(pixels), pixels)


def test_refuses_what_is_not_a_2d_uint8_array():
    with pytest.raises(ValueError):
        png_bytes(np.zeros((2, 28, 28), dtype=np.uint8))
    with pytest.raises(ValueError):
        png_bytes(np.zeros((28, 28), dtype=np.float32))
