"""The PNG writer (app.imaging.png_bytes) read back by Pillow: every IDAT branch, stored blocks for
small images and above STORED_MAX_BYTES ISA-L's deflate (zlib's Z_RLE where isal is missing), gives
exactly the pixels that went in, in chunks whose CRCs hold."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from app import imaging
from app.imaging import STORED_MAX_BYTES, png_bytes, to_uint8


@pytest.fixture(params=["isal", "zlib"])
def deflate(request, monkeypatch):
    """Each test below runs with ISA-L's deflate (what the server uses) and with zlib's fallback."""
    if request.param == "zlib":
        monkeypatch.setattr(imaging, "isal_zlib", None)
    return request.param


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """(type, data) of every chunk, each CRC checked against zlib's CRC-32 of type and data."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        chunks.append((kind, data))
        at += 12 + length
    return chunks


def _round_trip(pixels: np.ndarray) -> np.ndarray:
    png = png_bytes(pixels)
    assert [kind for kind, _ in _chunks(png)] == [b"IHDR", b"IDAT", b"IEND"]
    image = Image.open(io.BytesIO(png))
    image.load()  # decompresses the IDAT and checks its zlib checksum
    assert image.mode == "L"
    return np.asarray(image)


def test_the_server_deflates_with_isal():
    # A runtime dependency: without it every grid silently takes several times as long to encode.
    assert imaging.isal_zlib is not None


@pytest.mark.parametrize(("height", "width", "branch"), [
    (28, 28, "stored"),  # a digit: 28 · 29 = 812 bytes of scanlines
    (1, 1, "stored"),
    (56, 56, "stored"),  # scale 2: 3,192 bytes
    (64, 63, "stored"),  # exactly STORED_MAX_BYTES
    (64, 64, "deflate"),  # one byte over
    (560, 560, "deflate"),  # a 20×20 manifold
    (2240, 2240, "deflate"),  # the largest manifold: over one 64 KiB stored block if it were stored
])
def test_pillow_reads_back_the_same_pixels(height, width, branch, deflate):
    assert (height * (width + 1) <= STORED_MAX_BYTES) == (branch == "stored")
    rng = np.random.default_rng(height * 10_000 + width)
    pixels = rng.integers(0, 256, (height, width), dtype=np.uint8)
    pixels[: height // 2] = 0  # runs of black, as in a digit, for the run-length branch
    assert np.array_equal(_round_trip(pixels), pixels)


def test_same_pixels_same_bytes_and_reasonably_compressed(deflate):
    # ETags name an answer's bytes; and a grid travels over real networks, so it must stay compressed.
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (560, 560), dtype=np.uint8)
    pixels[:, :280] = 0
    png = png_bytes(pixels)
    assert png == png_bytes(pixels.copy())
    assert len(png) < 0.6 * pixels.size


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


def test_to_uint8_rounds_half_up_and_clips():
    pixels = np.array([-0.5, 0.0, 0.2, 0.5, 1.0, 1.5], dtype=np.float32)
    assert to_uint8(pixels).tolist() == [0, 0, 51, 128, 255, 255]  # 0.2·255 = 51.0, 0.5·255 = 127.5 → 128
