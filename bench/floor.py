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
    """µs per decode straight through the torch module (what training built; 1 z, a 400-z batch) and
    through the serving path (the ONNX graph on onnxruntime), and of PNG encoding; each at 1 and 2
    threads (torch's and the session's intra-op threads)."""
    import numpy as np
    import torch

    from app import inference
    from app.imaging import tile, to_uint8
    from app.registry import load_registry
    from models.checkpoint import load_checkpoint

    model = load_checkpoint(REPO_ROOT / "checkpoints" / "vae-2d").model
    z1, z400 = np.zeros((1, 2), np.float32), np.random.default_rng(0).standard_normal((400, 2), dtype=np.float32)
    t1, t400 = torch.from_numpy(z1), torch.from_numpy(z400)
    seconds = 0.3 if quick else 1.0
    floor: dict = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        served = load_registry(REPO_ROOT / "checkpoints", threads=threads).models["vae-2d"]

        def module(z):
            with torch.inference_mode():
                return model.decode(z)

        floor[threads] = {
            "torch_module_1z_us": per_call_us(lambda: module(t1), seconds),
            "torch_module_400z_us": per_call_us(lambda: module(t400), seconds),
            "serving_1z_us": per_call_us(lambda s=served: inference.decode(s, z1, None), seconds),
            "serving_400z_us": per_call_us(lambda s=served: inference.decode(s, z400, None), seconds),
        }
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


def slider_forward_us(repeats: int = 200) -> dict:
    """µs for the forward pass one slider request pays at 1 connection (inference.decode_points of one
    z: one row where the decoding plan allows, else an 8-row block), with the CPU caches warm (calls
    back to back, as in model_floor) and cold (after touching 64 MB, as in a server between two
    requests: the decoder's 1.25 MB of weights exceed a 1 MB L2 and are read again from memory).
    Medians; the cold figure is the floor a request's latency at 1 connection cannot go below."""
    import numpy as np

    from app import inference
    from app.registry import load_registry

    served = load_registry(REPO_ROOT / "checkpoints").models["vae-2d"]
    z = np.random.default_rng(0).standard_normal((1, 2), dtype=np.float32)
    evict = np.ones(64 * 1024 * 1024 // 8)
    result = {}
    for name, cold in (("warm", False), ("cold", True)):
        samples = []
        for _ in range(repeats):
            if cold:
                evict += 1.0  # read and write every line of 64 MB
            t0 = time.perf_counter()
            inference.decode_points(served, z, None)
            samples.append((time.perf_counter() - t0) * 1e6)
        result[f"decode_1z_{name}_us"] = float(np.median(samples))
    return result


def import_seconds(module: str, times: int = 3) -> list[float]:
    """Seconds to import `module` in a fresh interpreter, `times` times (start-up's floor)."""
    import subprocess
    import sys

    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
            for _ in range(times)]


if __name__ == "__main__":
    import json
    import sys

    sys.path.insert(0, str(REPO_ROOT))
    print(json.dumps(model_floor(quick="--quick" in sys.argv), indent=2))
