"""Where a 400-point density request's time goes, in process (GET /api/models/mdn-toy/density?points=400&x=…):
each step of the answer and the whole request through the hot path (app.hot_path) against FastAPI's
route, the ASGI app called directly (no sockets).

    python bench/density.py [--seconds 0.4] [--rounds 3]

CPU µs per call, as bench/manifold.py measures it (time.process_time, the least disturbed of 7
batches; 1 intra-op thread); each step runs over the same 50 random x in [0, 1] in turn, since the
mean-shift search for modes takes more iterations at some x than at others. Over HTTP:
    wrk -t1 -c1 -d5s -s bench/query.lua http://127.0.0.1:PORT/api/models/mdn-toy/density -- density
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys

from latent_explorer.paths import REPO_ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=0.4, help="per step and round")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import numpy as np

    from app import inference
    from app.responses import as_bytes
    from bench.manifold import asgi_get, cpu_us, hot_and_route_apps
    from runtime import mixture

    loop, hot, route = hot_and_route_apps()
    served = hot.state.registry.models["mdn-toy"]
    lo, hi = inference.default_t_range(served)
    rng = random.Random(0)
    xs = [rng.random() for _ in range(50)]
    mixes = [inference.mixture_at(served, np.array([[x]], dtype=np.float32)).numpy() for x in xs]
    bodies = [inference.density(served, [x], 400, lo, hi) for x in xs]
    path = "/api/models/mdn-toy/density"
    queries = [f"points=400&x={x:.4f}".encode() for x in xs]
    headers: dict = {}
    asgi_get(hot, loop, path, queries[0], seen=headers)()
    etag = headers[b"etag"]

    def cycling(make):
        """One call per x, in turn."""
        calls = itertools.cycle([make(i) for i in range(len(xs))])
        return lambda: next(calls)()

    steps = {
        "mixture_at (the MDN's forward pass, one x)":
            cycling(lambda i: lambda: inference.mixture_at(served, np.array([[xs[i]]], dtype=np.float32))),
        "mixture.modes": cycling(lambda i: lambda: mixture.modes(mixes[i])),
        "density on the 400-point t grid": cycling(lambda i: lambda: inference._density_on_t_grid(mixes[i], lo, hi, 400)),
        "mean, variance, most probable": cycling(lambda i: lambda: (mixture.mean(mixes[i]), mixture.variance(mixes[i]),
                                                                    mixture.most_probable_kernel_mean(mixes[i]))),
        "inference.density (all of the above, as lists)":
            cycling(lambda i: lambda: inference.density(served, [xs[i]], 400, lo, hi)),
        "as_bytes (JSON)": cycling(lambda i: lambda: as_bytes(bodies[i])),
        "whole request, hot path": cycling(lambda i: asgi_get(hot, loop, path, queries[i])),
        "whole request, FastAPI route": cycling(lambda i: asgi_get(route, loop, path, queries[i])),
        "304, hot path": asgi_get(hot, loop, path, queries[0], [(b"if-none-match", etag)]),
        "304, FastAPI route": asgi_get(route, loop, path, queries[0], [(b"if-none-match", etag)]),
    }
    figures: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.rounds):
        for name, fn in steps.items():
            figures[name].append(cpu_us(fn, args.seconds))
    print(f"Body: {statistics.median(len(as_bytes(b)) for b in bodies):,.0f} bytes (median over the 50 x)")
    print("| step | CPU µs (median of rounds) |\n|---|---:|")
    for name, values in figures.items():
        print(f"| {name} | {statistics.median(values):,.0f} |")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    main()
