"""Batched decodes give every request the bytes it would get alone (app.operations.decode batches the
decodes that arrive in one turn of the event loop)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from app import inference
from app.imaging import to_uint8
from app.operations.decode import DecodeBatcher
from app.registry import load_registry
from tests.conftest import SHIPPED


@pytest.fixture(scope="module")
def registry():
    return load_registry(SHIPPED)


@pytest.fixture(scope="module")
def registry_2_threads():
    return load_registry(SHIPPED, threads=2)


def _label(served, k: int, rng: np.random.Generator):
    if served.kind != "cvae":
        return None
    return np.eye(10, dtype=np.float32)[rng.integers(0, 10, k)]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("model_id", ["vae-2d", "vae-8d", "cvae"])
def test_a_row_does_not_depend_on_its_companions(registry, registry_2_threads, model_id, threads):
    served = (registry if threads == 1 else registry_2_threads).models[model_id]
    rng = np.random.default_rng(0)
    d = served.meta["latent_dim"]
    for k in (2, 5, 8, 13, 32, 64, 100):
        z = (rng.standard_normal((k, d)) * 2).astype(np.float32)
        y = _label(served, k, rng)
        together = inference.decode_points(served, z, y)
        for i in range(k):
            alone = inference.decode_points(served, z[i : i + 1], None if y is None else y[i : i + 1])
            assert np.array_equal(alone[0], together[i]), (k, i)


def test_batcher_answers_each_request_with_its_own_digit(registry):
    served = {m: registry.models[m] for m in ("vae-2d", "cvae")}

    async def run():
        batcher = DecodeBatcher()
        requests = [(served["vae-2d"], [0.1 * i, -0.2 * i], None) for i in range(11)]
        requests += [(served["cvae"], [0.1 * i, 0, 0, 0], inference.label_vector(served["cvae"], i % 10)) for i in range(5)]
        futures = [batcher.decode(*r) for r in requests]  # same turn: one flush
        results = await asyncio.gather(*futures)
        return requests, results

    # A fresh thread owns its own event loop: Playwright's sync API (tests/browser) keeps one running
    # on the main thread for the rest of the session, where asyncio.run() would refuse to start.
    with ThreadPoolExecutor(1) as pool:
        requests, results = pool.submit(asyncio.run, run()).result()
    for (s, z, y), (images, digits, row) in zip(requests, results):
        alone = inference.decode_points(s, np.array([z], dtype=np.float32), y)[0]
        assert np.array_equal(images[row], alone)
        assert np.array_equal(digits[row], to_uint8(alone))  # the batch's uint8 conversion, row by row


def test_a_blas_whose_bits_change_with_the_batch_keeps_smaller_calls(registry, monkeypatch):
    """rows_per_call measures: where one call over more rows would change a row's bits, decode_points
    keeps to the largest call that does not (here 16 rows), and still gives every row its own bits."""
    served = registry.models["vae-2d"]
    exact = inference.decode

    def decode_changing_above_16_rows(s, z, y):
        out = exact(s, z, y)
        return out + 1e-6 if z.shape[0] > 16 else out

    monkeypatch.setattr(inference, "decode", decode_changing_above_16_rows)
    monkeypatch.setattr(served, "rows_per_call", None)
    monkeypatch.setattr(served, "decode_block", 0)
    assert inference.decoding_plan(served) == (8, 16)
    z = np.random.default_rng(1).standard_normal((40, 2), dtype=np.float32)
    together = inference.decode_points(served, z, None)
    for i in (0, 17, 39):
        assert np.array_equal(together[i], exact(served, np.repeat(z[i : i + 1], 8, axis=0), None)[0])


def test_decoded_together_in_one_call_where_the_bits_allow(registry, monkeypatch):
    """Where every multiple of 8 agrees, a flush of 21 rows is one forward pass, not three; where every
    batch size agrees (onnxruntime's MLAS here), it is not even padded to 24."""
    served = registry.models["vae-2d"]
    block, step = inference.decoding_plan(served)
    if step < 24:
        pytest.skip("this GEMM changes a row's bits with the batch size: 8-row blocks are kept")
    calls = []
    exact = inference.decode
    monkeypatch.setattr(inference, "decode", lambda s, z, y: calls.append(z.shape[0]) or exact(s, z, y))
    inference.decode_points(served, np.zeros((21, 2), dtype=np.float32), None)
    assert calls == [21 if block == 1 else 24]


def test_mlas_needs_no_padding_here(registry):
    """What the start-up measurement found on this machine's onnxruntime (bench/RESULTS.md): one-row
    blocks and 64 rows per call. A runtime or CPU where it does not hold fails here, not in a response."""
    assert inference.decoding_plan(registry.models["vae-2d"]) == (1, 64)


def _in_own_loop(coroutine):
    # A fresh thread owns its own event loop (see test_batcher_answers_each_request_with_its_own_digit).
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_requests_still_arriving_share_the_forward_pass(registry, monkeypatch):
    """Requests that keep arriving over the next turns of the loop join the batch (one forward pass
    for all, each its own row); a lone request is answered in the first turn after it arrived."""
    served = registry.models["vae-2d"]
    passes = []
    exact = inference.decode_points
    monkeypatch.setattr(inference, "decode_points", lambda s, z, y: passes.append(z.shape[0]) or exact(s, z, y))

    async def run():
        batcher = DecodeBatcher()
        lone = batcher.decode(served, [0.5, 0.5], None)
        await asyncio.sleep(0)
        assert lone.done() and passes == [1]
        futures = [batcher.decode(served, [0.1, 0.2], None), batcher.decode(served, [0.3, 0.4], None)]
        await asyncio.sleep(0)  # the batch grew in its first turn: it waits a turn for more
        futures.append(batcher.decode(served, [0.5, 0.6], None))
        await asyncio.sleep(0)
        futures.append(batcher.decode(served, [0.7, 0.8], None))
        return await asyncio.gather(*futures)

    results = _in_own_loop(run())
    assert passes == [1, 4]
    for (images, _, row), z in zip(results, ([0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8])):
        assert np.array_equal(images[row], exact(served, np.array([z], dtype=np.float32), None)[0])
