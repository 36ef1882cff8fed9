"""32 clients hammer mixed endpoints of a real uvicorn server for a bounded time: no errors, and
every answer is byte for byte the one a single client gets for the same query."""

from __future__ import annotations

import os
import random
import threading
import time

import httpx

CLIENTS = 32
SECONDS = float(os.environ.get("ROBUSTNESS_HAMMER_SECONDS", "8"))

PIXELS = [[((r * 28 + c) % 17) / 16 for c in range(28)] for r in range(28)]
QUERIES: list[tuple[str, str, dict | None]] = [
    *(("GET", f"/api/models/vae-2d/decode?z={x:.3f},{y:.3f}", None) for x, y in [(0, 0), (0.5, -1.2), (-2.5, 2.25)]),
    ("GET", "/api/models/vae-2d/decode?z=1,1&scale=4", None),
    ("GET", "/api/models/vae-2d/decode?z=0.1,0.2&format=json", None),
    ("GET", "/api/models/vae-8d/decode?z=1,0,0,0,0,0,0,-1", None),
    ("GET", "/api/models/cvae/decode?z=0,0.5,0,0&label=7", None),
    ("GET", "/api/models/cvae/decode?z=0,0,0,0&label=2&to_label=5&morph=0.5", None),
    ("GET", "/api/models/vae-2d/generate?n=16&seed=42", None),
    ("GET", "/api/models/cvae/generate?n=9&seed=7&label=3&format=json", None),
    ("GET", "/api/models/vae-2d/manifold?n=8", None),
    ("GET", "/api/models/vae-8d/manifold?n=5&dims=2,5&span=2", None),
    ("GET", "/api/models/vae-2d/embedding?limit=100", None),
    ("GET", "/api/models/mdn-toy/density?x=0.5&points=400", None),
    ("GET", "/api/models/mdn-arm/density?x=0.5,0.4", None),
    ("GET", "/api/models/mdn-toy/sweep?x_points=50&t_points=50", None),
    ("GET", "/api/models/mdn-toy/training-data?limit=20", None),
    ("GET", "/api/models", None),
    ("GET", "/api/models/cvae", None),
    ("GET", "/healthz", None),
    ("POST", "/api/models/vae-2d/encode", {"pixels": PIXELS}),
    ("POST", "/api/models/cvae/encode", {"pixels": PIXELS, "label": 4}),
    ("GET", "/api/models/vae-2d/decode?z=nan,0", None),  # errors must be stable too
]


def _fetch(client: httpx.Client, method: str, path: str, body: dict | None) -> tuple[int, bytes]:
    response = client.request(method, path, json=body)
    return response.status_code, response.content


def test_many_clients_get_single_client_answers(live_server):
    with httpx.Client(base_url=live_server, timeout=30) as client:
        expected = {i: _fetch(client, *q) for i, q in enumerate(QUERIES)}
    assert all(status in (200, 422) for status, _ in expected.values())
    counts = [0] * CLIENTS
    mismatches: list[str] = []
    errors: list[str] = []
    deadline = time.monotonic() + SECONDS

    def hammer(worker: int) -> None:
        rng = random.Random(worker)
        try:
            with httpx.Client(base_url=live_server, timeout=30) as own:
                while time.monotonic() < deadline and len(errors) + len(mismatches) < 10:
                    i = rng.randrange(len(QUERIES))
                    got = _fetch(own, *QUERIES[i])
                    counts[worker] += 1
                    if got != expected[i]:
                        mismatches.append(f"{QUERIES[i][1]}: {got[0]} {got[1][:80]!r}")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(f"worker {worker}: {type(e).__name__}: {e}")

    threads = [threading.Thread(target=hammer, args=(w,)) for w in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 60)
    assert not any(t.is_alive() for t in threads), "a client hung"
    assert not errors, errors[:5]
    assert not mismatches, mismatches[:5]
    total = sum(counts)
    assert total >= CLIENTS, total
    print(f"\n{total} requests from {CLIENTS} clients in {SECONDS:g} s, all identical to single-client answers")
    with httpx.Client(base_url=live_server) as client:
        assert client.get("/healthz").json()["status"] == "ok"
