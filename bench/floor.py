"""The model-side floor: µs per decode straight through the module, the serving path and PNG encoding
(ours against Pillow's).

    python bench/floor.py [--quick]      # JSON; bench/run.py prints the same figures as a table
"""

from __future__ import annotations

import time

from latent_explorer.paths import REPO_ROOT


def per_call_us(fn, seconds: float = 0.5, min_calls: int = 20) -> float:
    """Median-of-5 µs per call, each batch running about seconds/5."""
    fn()
    t0 = time.perf_counter()
    fn()
    once = max(time.perf_counter() - t0, 1e-7)
    calls = max(min_calls // 5, int(seconds / 5 / once))
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        samples.append((time.perf_counter() - t0) / calls * 1e6)
    return sorted(samples)[2]


def model_floor(quick: bool) -> dict:
    """µs per decode straight through the module (1 z, a 400-z batch), through the serving path, and
    of PNG encoding; each at 1 and 2 torch threads."""
    import torch

    from app import inference
    from app.imaging import tile, to_uint8
    from app.registry import load_registry

    registry = load_registry(REPO_ROOT / "checkpoints")
    served = registry.models["vae-2d"]
    model = served.model
    z1, z400 = torch.randn(1, 2), torch.randn(400, 2)
    seconds = 0.3 if quick else 1.0
    floor: dict = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)

        def module(z):
            with torch.inference_mode():
                return model.decode(z)

        floor[threads] = {
            "module_1z_us": per_call_us(lambda: module(z1), seconds),
            "module_400z_us": per_call_us(lambda: module(z400), seconds),
            "serving_1z_us": per_call_us(lambda: inference.decode(served, z1, None), seconds),
            "serving_400z_us": per_call_us(lambda: inference.decode(served, z400, None), seconds),
        }
    torch.set_num_threads(1)
    digit = to_uint8(inference.decode(served, z1, None)[0])
    grid = tile(to_uint8(inference.decode(served, z400, None)), 20)
    floor.update(png_comparison(digit, grid, seconds))
    return floor


def png_comparison(digit, grid, seconds: float) -> dict:
    """Our PNG writer (app.imaging.png_bytes) against Pillow's encoder on the same pixels: a 28×28
    digit (stored blocks) and a 560×560 manifold grid (Z_RLE). The reason the writer exists."""
    import io

    from PIL import Image

    from app.imaging import png_bytes

    def pillow(pixels, level: int) -> bytes:
        out = io.BytesIO()
        Image.fromarray(pixels).save(out, "PNG", compress_level=level)
        return out.getvalue()

    result = {}
    for name, pixels in (("28x28", digit), ("560x560", grid)):
        result[f"png_{name}_us"] = per_call_us(lambda p=pixels: png_bytes(p), seconds)
        result[f"png_{name}_bytes"] = len(png_bytes(pixels))
        for level in (0, 1):
            result[f"pillow_level{level}_{name}_us"] = per_call_us(lambda p=pixels, lv=level: pillow(p, lv), seconds)
            result[f"pillow_level{level}_{name}_bytes"] = len(pillow(pixels, level))
    return result


if __name__ == "__main__":
    import json
    import sys

    sys.path.insert(0, str(REPO_ROOT))
    print(json.dumps(model_floor(quick="--quick" in sys.argv), indent=2))
