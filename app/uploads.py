"""Turning an uploaded digit into the 28×28 pixels the encoder expects, defensively."""

from __future__ import annotations

import io
import math

import numpy as np

from app.params import invalid

MAX_DECLARED_PIXELS = 4096 * 4096  # refuse "PNG bombs" from their header, before decompressing


def pixels_from_rows(rows: list[list[float]]) -> np.ndarray:
    """JSON rows → (784,) float32 array; 28 rows of 28 finite values in [0, 1]."""
    if len(rows) != 28 or any(len(r) != 28 for r in rows):
        raise invalid("pixels", f"expected 28 rows of 28 values, got {len(rows)} rows")
    try:
        flat = [float(v) for r in rows for v in r]
    except OverflowError:  # a JSON integer such as 10**400 has no float
        raise invalid("pixels", "every value must be a finite number in [0, 1]") from None
    if not all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in flat):
        raise invalid("pixels", "every value must be a finite number in [0, 1]")
    return np.array(flat, dtype=np.float32)


def pixels_from_png(data: bytes) -> np.ndarray:
    """PNG bytes → (784,) in [0, 1]. Transparent areas count as background; a mostly light image
    (dark ink on white paper) is inverted to MNIST's white-on-black; other sizes are resized."""
    from PIL import Image  # here, not at start-up: only PNG uploads need Pillow

    try:
        image = Image.open(io.BytesIO(data))
        if image.format != "PNG":
            raise invalid("image", f"expected a PNG, got {image.format or 'unknown format'}")
        width, height = image.size
        if width * height > MAX_DECLARED_PIXELS:
            raise invalid("image", f"declared size {width}×{height} exceeds {MAX_DECLARED_PIXELS} pixels")
        image.load()
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            background = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
            image = Image.alpha_composite(background, rgba)
        grey = image.convert("L")
        if grey.size != (28, 28):
            grey = grey.resize((28, 28), Image.Resampling.BILINEAR)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as e:
        raise invalid("image", f"not a readable PNG ({type(e).__name__})") from None
    pixels = np.frombuffer(grey.tobytes(), dtype=np.uint8).astype(np.float32) / np.float32(255.0)
    if pixels.mean() > 0.5:
        pixels = 1.0 - pixels
    return pixels
