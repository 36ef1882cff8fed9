"""The ceiling: a bare ASGI callable, no framework at all, answering the same constant PNG as
bench/baseline_app.py. Under the same uvicorn it is the most requests/s this stack (event loop,
HTTP parser, one Python process) can serve; everything an app does costs a fraction of it.

    BASELINE_PNG=bench/results/baseline.png uvicorn bench.ceiling_app:app --port 8003
"""

from __future__ import annotations

import os
from pathlib import Path


def _constant_png() -> bytes:
    path = os.environ.get("BASELINE_PNG")  # written by bench/: a real decode answer's bytes
    if path and Path(path).is_file():
        return Path(path).read_bytes()
    import numpy as np

    from app.imaging import png_bytes

    return png_bytes(np.zeros((28, 28), dtype=np.uint8))


PNG = _constant_png()
_START = {"type": "http.response.start", "status": 200,
          "headers": [(b"content-type", b"image/png"), (b"content-length", str(len(PNG)).encode())]}
_BODY = {"type": "http.response.body", "body": PNG}


async def app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":  # nothing to set up; say so, so uvicorn does not log a warning
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await send(_START)
    await send(_BODY)
