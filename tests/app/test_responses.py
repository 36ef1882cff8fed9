import json
import math

import numpy as np
import pytest

from app.responses import as_bytes


def _same_value(a, b) -> bool:
    """Equal as parsed JSON, floats bit for bit (so -0.0 differs from 0.0)."""
    if isinstance(a, float) or isinstance(b, float):
        return type(a) is type(b) and (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(_same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and list(a) == list(b) and all(_same_value(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def _random_floats(n: int, seed: int) -> list[float]:
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2**64, size=n, dtype=np.uint64).view(np.float64)  # every exponent, subnormals too
    widened = rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32).view(np.float32)
    widened = widened[np.isfinite(widened)]  # what the routes send
    spread = 10.0 ** rng.uniform(-12, 3, size=n) * rng.choice([-1.0, 1.0], size=n)  # the magnitudes densities take
    values = np.concatenate([bits, widened.astype(np.float64), spread])
    return values[np.isfinite(values)].tolist()


def test_numbers_parse_back_to_the_same_float64():
    floats = _random_floats(20_000, seed=0) + [5e-324, 1e-300, -0.0, 0.0, 1e-5, -1e-7, 1e-4, 1e16, 1e300, 3.4028234663852886e38]
    body = {"x": [0.25], "density": floats, "nested": [[1.5, -2], [True, False, None]], "n": 7, "s": "mdn-toy"}
    written = as_bytes(body)
    assert _same_value(json.loads(written), body)
    assert written != json.dumps(body, separators=(",", ":")).encode()  # orjson wrote it: "1e-7", not "1e-07"


@pytest.mark.parametrize("body", [
    {"a": [1, -2, 3.5, True, False, None], "b": {"c": [[0.1, 1e-4, 2.5e-3], []], "d": "text"}},
    [0.0, -0.0, 1.0, 123456.789, 1e16, 1.2345678901234568e17, 5e-324, 1e-300, 2**63 - 1],
    {"pixels": np.round(np.random.default_rng(1).random((28, 28)), 4).tolist()},  # decode?format=json rows
])
def test_bytes_equal_compact_json_dumps_outside_the_small_magnitudes(body):
    assert as_bytes(body) == json.dumps(body, separators=(",", ":")).encode()


def test_what_orjson_refuses_is_still_written():
    body = {"big": 2**70, 1: "int key"}
    assert as_bytes(body) == json.dumps(body, separators=(",", ":")).encode()


def test_bytes_pass_through():
    assert as_bytes(b"\x89PNG") == b"\x89PNG"
