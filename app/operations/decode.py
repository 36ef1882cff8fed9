"""GET /api/models/{id}/decode, written once: from a validated DecodeQuery to the response
(the route in app.routes.images and app.hot_path both call `check` and `answer`).

Decodes that arrive together share forward passes (DecodeBatcher): on onnxruntime one call over
32 rows costs about 200 µs against 27 µs for each of 32 calls of one row (bench/RESULTS.md). A
row's bits never depend on its companions (inference.decode_points), so batching never changes a
response's bytes."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass

import numpy as np
from starlette.responses import Response
from starlette.types import Scope

from app import inference
from app.deps import label_input
from app.http_cache import cache_control, revalidate
from app.imaging import png_bytes, to_uint8, upscale
from app.params import MAX_ABS_Z, parse_vector
from app.registry import ServedModel
from app.responses import PNG, as_bytes, pixels_json
from app.schemas import DecodeQuery


@dataclass(slots=True)
class Decode:
    """One checked decode query: what the decoder takes and how the answer is written."""

    served: ServedModel
    z: list[float]  # (latent_dim,)
    y: np.ndarray | None  # (1, n_labels): the label input, or None for a vae
    scale: int
    format: str


def check(served: ServedModel, query: DecodeQuery) -> Decode:
    """The checks that depend on the model (a digit model: the caller has checked its kind): the
    length of z, the labels. A 422 (HTTPException) naming the field when one fails."""
    y = label_input(served, query.label, query.to_label, query.morph)
    z = parse_vector(query.z, "z", served.facts.latent_dim, MAX_ABS_Z)
    return Decode(served, z, y, query.scale, query.format)


async def answer(decode: Decode, scope: Scope, state: dict, pairs: list[tuple[str, str]] | None = None) -> Response:
    """304 when the client holds this answer already (revalidate), else the digit as PNG or JSON.
    `state`: app.state's dict; `pairs`: the query string already parsed, if the caller has it."""
    etag, unchanged = revalidate(scope, decode.served.version, pairs)
    headers = [(b"etag", etag.encode()), _cache_control(state["settings"].cache_max_age)]
    if unchanged:
        return _Prepared(304, headers, b"")
    images, digits, row = await state["decode_batcher"].decode(decode.served, decode.z, decode.y)
    if decode.format == "json":
        body, media = as_bytes(pixels_json(images[row])), b"application/json"
    else:
        body, media = png_bytes(upscale(digits[row], decode.scale)), PNG_BYTES
    return _Prepared(200, [*headers, (b"content-length", str(len(body)).encode()), (b"content-type", media)], body)


PNG_BYTES = PNG.encode()


@functools.cache
def _cache_control(max_age: int) -> tuple[bytes, bytes]:
    return b"cache-control", cache_control(max_age).encode()


class _Prepared(Response):
    """A Response whose raw headers are already built: Starlette would re-encode each header on
    every request, and a slider drag is most of the traffic."""

    def __init__(self, status_code: int, raw_headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status_code, self.raw_headers, self.body, self.background = status_code, raw_headers, body, None


MAX_WAIT_TURNS = 3


class DecodeBatcher:
    """Decodes that arrive together share forward passes.

    Under load many slider requests are parsed in one turn of the event loop; each one's z waits
    (without blocking the loop) until the turn ends, then they are decoded together with
    inference.decode_points, which makes every row's pixels independent of its companions: batching
    changes the cost, never the bytes. While requests are still arriving (the queue grew during the
    last turn) the batch waits up to MAX_WAIT_TURNS more turns: a row in a shared call costs a
    fraction of a call of its own (bench/RESULTS.md). A lone request waits for nothing
    but the end of its own turn."""

    def __init__(self) -> None:
        self.queue: list[tuple[ServedModel, list[float], np.ndarray | None, asyncio.Future]] = []
        self.seen = 0  # the queue's length when flush last looked
        self.waited = 0  # turns flush has waited for this batch

    def decode(self, served: ServedModel, z_values: list[float], y: np.ndarray | None) -> asyncio.Future:
        """→ a future of (the batch's pixel probabilities (k, 28, 28), the same as uint8 (imaging.to_uint8, a
        numpy array), this request's row in both)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if not self.queue:
            self.seen, self.waited = 1, 0
            loop.call_soon(self.flush)
        self.queue.append((served, z_values, y, future))
        return future

    def flush(self) -> None:
        if len(self.queue) > self.seen and self.waited < MAX_WAIT_TURNS and len(self.queue) < inference.MAX_ROWS_PER_CALL:
            # Requests are still arriving: one more turn lets them share this forward pass.
            self.seen, self.waited = len(self.queue), self.waited + 1
            asyncio.get_running_loop().call_soon(self.flush)
            return
        queue, self.queue = self.queue, []
        by_model: dict[int, list] = {}
        for item in queue:
            by_model.setdefault(id(item[0]), []).append(item)
        for items in by_model.values():
            served = items[0][0]
            try:
                z = np.array([z_values for _, z_values, _, _ in items], dtype=np.float32)
                y = None if items[0][2] is None else np.concatenate([y for _, _, y, _ in items])
                images = inference.decode_points(served, z, y)
                # Elementwise, so one call for the batch gives each row the bytes a call for the row
                # would; numpy's per-call cost is most of a single row's conversion.
                digits = to_uint8(images)
            except Exception as e:  # noqa: BLE001 - handed to each waiting request, which raises it
                for *_, future in items:
                    if not future.done():
                        future.set_exception(e)
                continue
            for i, (*_, future) in enumerate(items):
                if not future.done():  # a client that went away cancelled its future
                    future.set_result((images, digits, i))
