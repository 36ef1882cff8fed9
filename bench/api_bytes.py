"""This server's answers against another checkout's, URL by URL: the same bytes, or how PNG pixels and
JSON numbers differ. For a change of runtime (issue 23: torch → onnxruntime), where ETags change once
and the question is which answers changed and by how much.

    git archive 748c075 | tar -x -C /tmp/prev     # a checkout of the earlier server
    python bench/api_bytes.py /tmp/prev           # run from an environment that can serve both
"""

from __future__ import annotations

import io
import json
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, when run as a script

import numpy as np  # noqa: E402

from bench.load import UVICORN_FLAGS, free_port, spawn  # noqa: E402
from latent_explorer.paths import REPO_ROOT  # noqa: E402


def serve(repo: Path):
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port), *UVICORN_FLAGS]
    return spawn(str(repo), cmd, port, "/healthz", repo=repo)


def numbers(x) -> list[float]:
    if isinstance(x, dict):
        return [v for k in sorted(x) for v in numbers(x[k])]
    if isinstance(x, list):
        return [v for e in x for v in numbers(e)]
    return [float(x)] if isinstance(x, int | float) and not isinstance(x, bool) else []


def urls(get) -> list[str]:
    poses = json.loads(get("/api/models/pose-mdn/test-poses?limit=3"))["joints2d"]
    joints = [",".join(str(v) for p in pose for v in p) for pose in poses]
    return ["/api/models/vae-2d/decode?z=0.5,-1.2", "/api/models/vae-2d/decode?z=0.5,-1.2&format=json",
            "/api/models/cvae/decode?z=0.1,0.2,0.3,0.4&label=3&to_label=5&morph=0.3", "/api/models/vae-2d/manifold?n=20",
            "/api/models/vae-2d/manifold?n=7&span=2", "/api/models/vae-8d/manifold?n=10&dims=2,5",
            "/api/models/cvae/generate?n=16&label=7&seed=1", "/api/models/vae-2d/embedding?limit=50",
            "/api/models/mdn-toy/density?x=0.5&points=400", "/api/models/mdn-arm/density?x=0.5,0.5",
            "/api/models/mdn-toy/sweep?x_points=100", "/api/models/mdn-toy/training-data?limit=50",
            "/api/models/pose-mdn/test-poses?limit=5", *[f"/api/models/pose-mdn/hypotheses?joints={j}" for j in joints],
            f"/api/models/pose-mdn/density?x={joints[0]}", "/api/models", "/openapi.json"]


def compare(a: bytes, b: bytes) -> str:
    if a == b:
        return "the same bytes"
    if a[:4] == b"\x89PNG" and b[:4] == b"\x89PNG":
        from PIL import Image

        pa, pb = (np.asarray(Image.open(io.BytesIO(x)), dtype=int) for x in (a, b))
        if pa.shape != pb.shape:
            return f"PNG of another shape ({pa.shape} → {pb.shape})"
        d = np.abs(pa - pb)
        return f"PNG: {int((d > 0).sum())} of {d.size} pixels differ, by at most {d.max()} grey level(s)"
    na, nb = np.array(numbers(json.loads(a))), np.array(numbers(json.loads(b)))
    if na.shape != nb.shape:
        return "JSON of another structure"
    rel = np.abs(na - nb) / np.maximum(np.abs(na), 1e-12)
    return (f"JSON: {int((na != nb).sum())} of {na.size} numbers differ, relative ≤ {rel.max():.2g}, "
            f"absolute ≤ {np.abs(na - nb).max():.2g}")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    before, after = serve(Path(argv[0]).resolve()), serve(REPO_ROOT)
    try:
        get = lambda server, url: urllib.request.urlopen(server.base + url).read()  # noqa: E731
        for url in urls(lambda u: get(after, u)):
            print(f"| `{url[:100]}` | {compare(get(before, url), get(after, url))} |")
    finally:
        before.stop()
        after.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
