"""Pixels → PNG bytes. Deterministic: the same pixels give the same bytes, so ETags hold."""

from __future__ import annotations

import functools
import math
import struct
import zlib

import numpy as np

try:
    # ISA-L's deflate: several times zlib's speed on a manifold grid, and smaller (bench/manifold.py).
    from isal import isal_zlib
except ImportError:  # a platform without its wheels: zlib, the same pixels in other bytes
    isal_zlib = None

# Level 1 for images above STORED_MAX_BYTES (grids, upscaled digits): several times faster than the
# default 6 and the files are only slightly larger (measured in bench/).
PNG_COMPRESS_LEVEL = 1
_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    """Probabilities in [0, 1] (float32), any shape → uint8 array of the same shape (round half up):
    ⌊clamp(p, 0, 1)·255 + 0.5⌋ in float32, as the page's decoder computes it."""
    values = np.clip(pixels, 0.0, 1.0)
    values *= 255
    values += 0.5
    return values.astype(np.uint8)


def upscale(image: np.ndarray, scale: int) -> np.ndarray:
    """Nearest-neighbour: every pixel becomes a scale × scale block, so digits stay crisp."""
    if scale == 1:
        return image
    return np.repeat(np.repeat(image, scale, axis=0), scale, axis=1)


def tile(images: np.ndarray, columns: int) -> np.ndarray:
    """(N, H, W) → one (rows·H, columns·W) image, row-major, empty cells black."""
    n, h, w = images.shape
    rows = math.ceil(n / columns)
    canvas = np.zeros((rows * columns, h, w), dtype=images.dtype)
    canvas[:n] = images
    return canvas.reshape(rows, columns, h, w).transpose(0, 2, 1, 3).reshape(rows * h, columns * w)


def grid_columns(n: int) -> int:
    """Columns of the most nearly square grid that holds n tiles."""
    return math.ceil(math.sqrt(n))


def _chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC-32 of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))


_IEND = _chunk(b"IEND", b"")
_IDAT_CRC = zlib.crc32(b"IDAT")  # the CRC of a chunk covers its type: start every IDAT's from here


@functools.lru_cache(maxsize=64)
def _header(width: int, height: int) -> bytes:
    """Signature and IHDR of an 8-bit greyscale image: the same bytes for every image of one size."""
    return _SIGNATURE + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))


# Up to this many bytes of scanlines (a 28×28 digit is 812, at scale 2 3,192) the IDAT is a zlib
# stream of stored (uncompressed) deflate blocks: setting up a compressor costs more than the rest of
# a slider request's PNG, to save a few hundred bytes.
STORED_MAX_BYTES = 4096


def _stored_zlib(data: bytes) -> bytes:
    """A valid zlib stream (RFC 1950) holding `data` in stored deflate blocks (RFC 1951 §3.2.4)."""
    if len(data) <= 65535:  # one final block: every image up to STORED_MAX_BYTES
        return b"".join((b"\x78\x01", _STORED_FINAL.pack(1, len(data), len(data) ^ 0xFFFF), data,
                         _U32.pack(zlib.adler32(data))))
    out = [b"\x78\x01"]  # deflate, 32 KiB window, no preset dictionary; header checksum holds
    for start in range(0, max(len(data), 1), 65535):
        block = data[start : start + 65535]
        final = 1 if start + 65535 >= len(data) else 0
        out.append(struct.pack("<BHH", final, len(block), len(block) ^ 0xFFFF) + block)
    out.append(struct.pack(">I", zlib.adler32(data)))
    return b"".join(out)


_STORED_FINAL = struct.Struct("<BHH")
_U32 = struct.Struct(">I")


def png_bytes(image: np.ndarray) -> bytes:
    """A 2-D uint8 array → 8-bit greyscale PNG (colour type 0), written directly.

    Every row gets filter type 0 (none); the IDAT is one zlib stream, of stored blocks for small
    images (STORED_MAX_BYTES) and deflate at PNG_COMPRESS_LEVEL above (ISA-L's, or zlib's Z_RLE
    without it): on one machine the same pixels always give the same bytes. Pillow's encoder tries
    five filters per row, which for a 28×28 digit costs more than the decoder's forward pass
    (bench/run.py measures both)."""
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError(f"expected a 2-D uint8 array, got {image.ndim}-D {image.dtype}")
    height, width = image.shape
    rows = np.zeros((height, width + 1), dtype=np.uint8)  # a leading 0 per row: filter type "none"
    rows[:, 1:] = image
    raw = rows.tobytes()
    crc32 = zlib.crc32
    if len(raw) <= STORED_MAX_BYTES:
        idat = _stored_zlib(raw)
    elif isal_zlib is not None:
        idat = isal_zlib.compress(raw, PNG_COMPRESS_LEVEL)
        crc32 = isal_zlib.crc32  # carry-less multiply: a fraction of zlib's time on a large image
    else:
        # Z_RLE: digits are runs of black with soft strokes; run-length matching compresses a 560×560
        # manifold grid 1.7× faster than the default strategy and slightly smaller (bench/ measured).
        deflate = zlib.compressobj(PNG_COMPRESS_LEVEL, zlib.DEFLATED, 15, 8, zlib.Z_RLE)
        idat = deflate.compress(raw) + deflate.flush()
    return b"".join((_header(width, height), _U32.pack(len(idat)), b"IDAT", idat, _U32.pack(crc32(idat, _IDAT_CRC)),
                     _IEND))
