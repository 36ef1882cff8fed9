"""The ceiling: the same FastAPI/uvicorn stack answering a constant PNG from an `async def` route.

Its PNG has the size of a decode answer (a 28×28 greyscale digit), so the only difference from
GET /api/models/{id}/decode is the work the real endpoint does: parsing, inference, encoding.

    uvicorn bench.baseline_app:app --port 8001
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, Response

# Written by bench/run.py: the bytes of a real decode answer, so the sizes match exactly.
_PNG_PATH = os.environ.get("BASELINE_PNG")


def _constant_png() -> bytes:
    if _PNG_PATH and Path(_PNG_PATH).is_file():
        return Path(_PNG_PATH).read_bytes()
    import numpy as np

    from app.imaging import png_bytes

    return png_bytes(np.zeros((28, 28), dtype=np.uint8))


PNG = _constant_png()

app = FastAPI(title="baseline")


@app.get("/png")
async def constant_png() -> Response:
    """A constant PNG: no parsing, no inference, no encoding."""
    return Response(content=PNG, media_type="image/png")
