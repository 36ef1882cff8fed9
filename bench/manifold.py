"""Where a 20×20 manifold request's time goes, in process (GET /api/models/vae-2d/manifold?n=20):
each step of the answer, the PNG writer's deflate against zlib's, and the whole request through the
hot path (app.hot_path) against FastAPI's route, the ASGI app called directly (no sockets).

    python bench/manifold.py [--seconds 0.4] [--rounds 3]

CPU µs per call (time.process_time, the minimum over 7 batches; 1 intra-op thread, so CPU time is the
work): on a shared machine other jobs stretch wall time but hardly the CPU a call takes. Rounds
alternate the steps; the table gives each step's median over rounds. Over HTTP:
    wrk -t1 -c1 -d5s -s bench/query.lua 'http://127.0.0.1:PORT/api/models/vae-2d/manifold?n=20' -- fixed
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

from latent_explorer.paths import REPO_ROOT


def cpu_us(fn, seconds: float, batches: int = 7) -> float:
    """CPU µs per call: the least disturbed of `batches` batches, together about `seconds` long."""
    fn()
    t0 = time.process_time()
    fn()
    once = max(time.process_time() - t0, 1e-6)
    calls = max(3, int(seconds / batches / once))
    samples = []
    for _ in range(batches):
        t0 = time.process_time()
        for _ in range(calls):
            fn()
        samples.append((time.process_time() - t0) / calls * 1e6)
    return min(samples)


def asgi_get(app, loop, path: str, query: bytes, headers=(), seen: dict | None = None):
    """A callable that sends one GET through the ASGI app and drops the answer (its headers go to
    `seen`, if given)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "", "query_string": query,
             "headers": [(b"host", b"bench"), *headers], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            assert message["status"] in (200, 304), message["status"]
            if seen is not None:
                seen.update(message["headers"])

    return lambda: loop.run_until_complete(app(dict(scope, state={}), receive, send))


def started(app, loop):
    """Run the app's lifespan start-up (models load), as uvicorn would."""
    async def start():
        inbox, outbox = asyncio.Queue(), asyncio.Queue()
        await inbox.put({"type": "lifespan.startup"})

        async def receive():
            return await inbox.get()

        asyncio.ensure_future(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, outbox.put))
        assert (await outbox.get())["type"] == "lifespan.startup.complete"

    loop.run_until_complete(start())
    return app


def hot_and_route_apps():
    """(an event loop, the app as served, the same app with every request through FastAPI's routes),
    both started, on 1 intra-op thread (the default)."""
    from app.main import create_app

    loop = asyncio.new_event_loop()
    hot = started(create_app(), loop)
    route = started(create_app(), loop)
    route.hot_path = None  # every request through FastAPI
    return loop, hot, route


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.4, help="per step and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from app import imaging, inference
    from app.imaging import png_bytes, tile, to_uint8

    loop, hot, route = hot_and_route_apps()
    served = hot.state.registry.models["vae-2d"]
    n = 20
    points = inference.manifold_points(served, n, "gaussian", 3.0, (0, 1), None)
    probabilities = inference.decode(served, points, None)
    levels = to_uint8(probabilities)
    image = tile(levels, n)

    def png_zlib(pixels) -> bytes:  # the writer's fallback without isal: its deflate before isal
        isal_zlib, imaging.isal_zlib = imaging.isal_zlib, None
        try:
            return png_bytes(pixels)
        finally:
            imaging.isal_zlib = isal_zlib

    path = "/api/models/vae-2d/manifold"
    headers: dict = {}
    asgi_get(hot, loop, path, b"n=20", seen=headers)()
    etag = headers[b"etag"]
    steps = {
        "manifold_points (lattice)": lambda: inference.manifold_points(served, n, "gaussian", 3.0, (0, 1), None),
        "inference.decode, 400 z (forward + sigmoid)": lambda: inference.decode(served, points, None),
        "to_uint8": lambda: to_uint8(probabilities),
        "tile": lambda: tile(levels, n),
        "png_bytes (560×560)": lambda: png_bytes(image),
        "png_bytes, zlib Z_RLE (without isal; before)": lambda: png_zlib(image),
        "whole request, hot path": asgi_get(hot, loop, path, b"n=20"),
        "whole request, FastAPI route": asgi_get(route, loop, path, b"n=20"),
        "304, hot path": asgi_get(hot, loop, path, b"n=20", [(b"if-none-match", etag)]),
        "304, FastAPI route": asgi_get(route, loop, path, b"n=20", [(b"if-none-match", etag)]),
    }
    figures: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.rounds):
        for name, fn in steps.items():
            figures[name].append(cpu_us(fn, args.seconds))
    print(f"PNG: {len(png_bytes(image)):,} bytes with isal, {len(png_zlib(image)):,} with zlib's Z_RLE")
    print("| step | CPU µs (median of rounds) |\n|---|---:|")
    for name, values in figures.items():
        print(f"| {name} | {statistics.median(values):,.0f} |")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    main()
