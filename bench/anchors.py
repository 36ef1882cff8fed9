"""Anchors for the decode route, measured in the same run, alternating, on the same uvicorn stack:

  (a) the ceiling: a bare ASGI callable answering a constant PNG (bench/ceiling_app.py);
  (b) the bare FastAPI route answering the same PNG (bench/baseline_app.py, bench/run.py's baseline);
  (c) the peer: LitServe serving the same decoder (bench/litserve_app.py), batching on and off,
      its pixels checked against ours;
  (d) with --previous DIR: our previous server (the torch one) from a checkout of an earlier commit,
      e.g. `git archive 748c075 | tar -x -C /tmp/prev` (run with this environment, which has torch);
and our server: fresh-z decode, manifold 20×20, density 400 points, pose hypotheses; then memory over
100,000 decodes, and start-up time and resident memory right after it. With --workers:
`latent-explorer serve --workers 2` against 1.

    python bench/anchors.py [--seconds 5] [--rounds 3] [--workers] [--no-litserve] [--previous DIR]

Every point runs once per round, the points' order rotated between rounds, so a load burst from
another job on a shared machine lands on different anchors each time; figures are medians over
rounds, and each ratio the median of the per-round ratios (this / the anchor in the same round).
wrk (-t1, bench/query.lua) sends a fresh random z per request. Results: bench/results/*-anchors.*
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, when run as a script

from bench import floor  # noqa: E402
from bench.load import UVICORN_FLAGS, Server, free_port, spawn, wrk  # noqa: E402
from bench.run import machine  # noqa: E402
from latent_explorer.paths import REPO_ROOT  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results"
DECODE = "/api/models/vae-2d/decode"
POSE = "pose-mdn"
HYPOTHESES = f"/api/models/{POSE}/hypotheses"


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its live descendants (uvicorn's
    workers, LitServe's API and inference processes). Per request, this survives a shared machine
    better than requests/s: other jobs slow a server down, they hardly make a request cost more."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def uvicorn_server(name: str, target: str, ready_path: str, env: dict | None = None, factory: bool = False):
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", target, "--port", str(port), *UVICORN_FLAGS, *(["--factory"] if factory else [])]
    return spawn(name, cmd, port, ready_path, env)


def serve_server(workers: int) -> Server:
    port = free_port()
    cmd = [sys.executable, "-m", "latent_explorer.cli", "serve", "--port", str(port), "--workers", str(workers),
           "--log-level", "warning"]
    return spawn(f"serve --workers {workers}", cmd, port, "/healthz")


def litserve_server(batch: int, timeout_s: float) -> Server:
    port = free_port()
    cmd = [sys.executable, str(REPO_ROOT / "bench" / "litserve_app.py"), "--port", str(port), "--max-batch-size", str(batch),
           "--batch-timeout", str(timeout_s)]
    return spawn(f"litserve batch {batch}", cmd, port, "/health")


def pixels(png: bytes):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.int16)


def check_pixels(ours: Server, peer: Server, n: int = 50) -> dict:
    """The same z through both servers: are the digits the same pixels?"""
    rng = random.Random(0)
    equal, max_diff, differing = 0, 0, 0
    for _ in range(n):
        z = [round(rng.uniform(-3, 3), 4), round(rng.uniform(-3, 3), 4)]
        with urllib.request.urlopen(f"{ours.base}{DECODE}?z={z[0]},{z[1]}") as r:
            a = pixels(r.read())
        request = urllib.request.Request(f"{peer.base}/predict", data=json.dumps({"z": z}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as r:
            b = pixels(r.read())
        diff = abs(a - b)
        equal += int(diff.max() == 0)
        differing += int((diff > 0).sum())
        max_diff = max(max_diff, int(diff.max()))
    return {"images": n, "identical": equal, "max_grey_level_diff": max_diff, "differing_pixels": differing,
            "pixels": n * 28 * 28}


@dataclass
class Point:
    name: str
    server: Server
    path: str
    mode: str
    connections: int
    anchor: str | None  # the point this one's ratios are taken against


def run_rounds(points: list[Point], rounds: int, seconds: float) -> dict[str, dict]:
    samples: dict[str, list[dict]] = {p.name: [] for p in points}
    for r in range(rounds):
        order = points[r % len(points):] + points[:r % len(points)]
        for p in order:
            cpu_before = tree_cpu_s(p.server.process.pid)
            result = wrk(p.server.base + p.path, p.connections, seconds, p.mode)
            result["cpu_us_per_request"] = (tree_cpu_s(p.server.process.pid) - cpu_before) / max(result["requests"], 1) * 1e6
            samples[p.name].append(result)
            print(f"  round {r + 1}: {p.name:40s} {result['rps']:8.0f} req/s  p50 {result['p50_us'] / 1000:6.2f} ms  "
                  f"p99 {result['p99_us'] / 1000:6.2f} ms  errors {result['errors']}", file=sys.stderr)
    out = {}
    for p in points:
        runs = samples[p.name]
        row = {"connections": p.connections, "anchor": p.anchor, "rounds": len(runs),
               "rps": statistics.median(x["rps"] for x in runs),
               "p50_us": statistics.median(x["p50_us"] for x in runs),
               "p99_us": statistics.median(x["p99_us"] for x in runs),
               "cpu_us_per_request": statistics.median(x["cpu_us_per_request"] for x in runs),
               "errors": sum(x["errors"] for x in runs), "rps_runs": [round(x["rps"]) for x in runs]}
        if p.anchor:
            base = samples[p.anchor]
            row["rps_ratio"] = statistics.median(x["rps"] / b["rps"] for x, b in zip(runs, base))
            row["p50_ratio"] = statistics.median(x["p50_us"] / b["p50_us"] for x, b in zip(runs, base))
            row["cpu_ratio"] = statistics.median(x["cpu_us_per_request"] / b["cpu_us_per_request"] for x, b in zip(runs, base))
        out[p.name] = row
    return out


def memory_over(server: Server, requests: int) -> dict:
    """RSS every ~20,000 fresh-z decodes at 32 connections, up to `requests`."""
    served, trace = 0, [(0, server.rss_mib())]
    while served < requests:
        result = wrk(server.base + DECODE, 32, 5, "decode")
        served += result["requests"]
        if served - trace[-1][0] >= 20_000 or served >= requests:
            trace.append((served, server.rss_mib()))
    return {"requests": served, "rss_trace_mib": [(n, round(m, 1)) for n, m in trace],
            "growth_mib": trace[-1][1] - trace[0][1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per load point")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-litserve", action="store_true", help="skip the peer (needs the bench extra)")
    parser.add_argument("--workers", action="store_true", help="also `latent-explorer serve --workers 2` vs 1")
    parser.add_argument("--memory-requests", type=int, default=100_000)
    parser.add_argument("--startups", type=int, default=3, help="times the app is started to time start-up")
    parser.add_argument("--previous", default=None, help="a checkout of our previous server, measured beside this one")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report: dict = {"machine": machine(), "load_average_at_start": os.getloadavg(),
                    "command": "python bench/anchors.py " + " ".join(argv if argv is not None else sys.argv[1:]),
                    "seconds_per_point": args.seconds, "rounds": args.rounds, "uvicorn": " ".join(UVICORN_FLAGS)}
    # What the unmet-looking goals are up against on this machine, measured in this run.
    report["floors"] = {"import_onnxruntime_s": floor.import_seconds("onnxruntime"),
                        "import_torch_s": floor.import_seconds("torch"), **floor.slider_forward_us()}
    servers: list[Server] = []
    try:
        startups, rss = [], []
        for _ in range(args.startups - 1):
            s = uvicorn_server("app", "app.main:create_app", "/healthz", factory=True)
            startups.append(s.startup_s)
            rss.append(s.rss_mib())
            s.stop()
        app = uvicorn_server("app", "app.main:create_app", "/healthz", factory=True)
        servers.append(app)
        startups.append(app.startup_s)
        rss.append(app.rss_mib())
        report["startup_s"], report["rss_after_start_mib"] = startups, rss
        with urllib.request.urlopen(f"{app.base}/healthz") as r:
            report["stack"] = {k: v for k, v in json.load(r).items() if k in ("event_loop", "http_parser")}
        with urllib.request.urlopen(f"{app.base}/api/models") as r:
            report["models"] = [m["id"] for m in json.load(r)]
        with urllib.request.urlopen(f"{app.base}{DECODE}?z=0.5,-1.2") as r:
            png = r.read()
        png_path = RESULTS / "baseline.png"
        png_path.write_bytes(png)
        env = {"BASELINE_PNG": str(png_path)}
        ceiling = uvicorn_server("ceiling", "bench.ceiling_app:app", "/", env=env)
        baseline = uvicorn_server("baseline", "bench.baseline_app:app", "/png", env=env)
        servers += [ceiling, baseline]
        points = [Point("ceiling: bare ASGI, constant PNG", ceiling, "/", "fixed", 32, None),
                  Point("ceiling: bare ASGI, constant PNG, c=1", ceiling, "/", "fixed", 1, None),
                  Point("bare FastAPI route, constant PNG", baseline, "/png", "fixed", 32,
                        "ceiling: bare ASGI, constant PNG"),
                  Point("bare FastAPI route, constant PNG, c=1", baseline, "/png", "fixed", 1,
                        "ceiling: bare ASGI, constant PNG, c=1"),
                  Point("ours: decode, fresh z", app, DECODE, "decode", 32, "ceiling: bare ASGI, constant PNG"),
                  Point("ours: decode, fresh z, c=1", app, DECODE, "decode", 1, "ceiling: bare ASGI, constant PNG, c=1"),
                  Point("ours: manifold 20×20, c=1", app, "/api/models/vae-2d/manifold?n=20", "fixed", 1, None),
                  Point("ours: density points=400, c=1", app, "/api/models/mdn-toy/density", "density", 1, None)]
        if POSE in report["models"]:
            points += [Point("ours: hypotheses, c=1", app, HYPOTHESES, "hypotheses", 1, None),
                       Point("ours: hypotheses", app, HYPOTHESES, "hypotheses", 32, "ceiling: bare ASGI, constant PNG")]
        if args.previous:
            previous = Path(args.previous).resolve()
            prev_startups, prev_rss = [], []
            for _ in range(args.startups):
                port = free_port()
                cmd = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory", "--port", str(port), *UVICORN_FLAGS]
                prev = spawn("previous", cmd, port, "/healthz", repo=previous)
                prev_startups.append(prev.startup_s)
                prev_rss.append(prev.rss_mib())
                if len(prev_startups) < args.startups:
                    prev.stop()
            servers.append(prev)
            report["previous"] = {"checkout": str(previous), "startup_s": prev_startups, "rss_after_start_mib": prev_rss}
            points += [Point("previous (torch): decode, fresh z", prev, DECODE, "decode", 32, "ceiling: bare ASGI, constant PNG"),
                       Point("previous (torch): decode, fresh z, c=1", prev, DECODE, "decode", 1,
                             "ceiling: bare ASGI, constant PNG, c=1"),
                       Point("previous (torch): manifold 20×20, c=1", prev, "/api/models/vae-2d/manifold?n=20", "fixed", 1, None),
                       Point("previous (torch): density points=400, c=1", prev, "/api/models/mdn-toy/density", "density", 1,
                             None),
                       Point("previous (torch): hypotheses, c=1", prev, HYPOTHESES, "hypotheses", 1, None)]
        if not args.no_litserve:
            report["pixel_check"] = {}
            for batch, timeout_s in ((8, 0.001), (1, 0.0)):
                peer = litserve_server(batch, timeout_s)
                servers.append(peer)
                label = f"LitServe, batching {batch} / {timeout_s * 1000:g} ms" if batch > 1 else "LitServe, no batching"
                report["pixel_check"][label] = check_pixels(app, peer)
                points += [Point(label, peer, "/predict", "post_z", 32, "ceiling: bare ASGI, constant PNG"),
                           Point(f"{label}, c=1", peer, "/predict", "post_z", 1, "ceiling: bare ASGI, constant PNG, c=1")]
        for p in points:  # warm-up: lazy imports, allocator growth, LitServe's workers
            wrk(p.server.base + p.path, 8, 1, p.mode)
        report["rss_after_warmup_mib"] = app.rss_mib()
        if args.previous:
            report["previous"]["rss_after_warmup_mib"] = prev.rss_mib()
        report["load"] = run_rounds(points, args.rounds, args.seconds)
        for s in servers[1:]:
            s.stop()
        servers = servers[:1]
        report["memory"] = memory_over(app, args.memory_requests)
        app.stop()
        servers = []
        if args.workers:
            w1, w2 = serve_server(1), serve_server(2)
            servers += [w1, w2]
            for s in (w1, w2):
                wrk(s.base + DECODE, 32, 2, "decode")
            report["workers"] = run_rounds(
                [Point("serve --workers 1: decode, fresh z", w1, DECODE, "decode", 32, None),
                 Point("serve --workers 2: decode, fresh z", w2, DECODE, "decode", 32, "serve --workers 1: decode, fresh z")],
                args.rounds, args.seconds)
    finally:
        for s in servers:
            s.stop()
    report["load_average_at_end"] = os.getloadavg()
    text = markdown(report)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{stamp}-anchors.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{stamp}-anchors.md").write_text(text)
    print(text)
    return 0


def markdown(r: dict) -> str:
    ms = lambda us: f"{us / 1000:.2f}"  # noqa: E731
    ratio = lambda row, key: f"{row[key]:.2f}" if key in row else "1.00"  # noqa: E731
    lines = [
        "# Anchors: the decode route against the stack's ceiling and a peer",
        "",
        f"- Machine: {r['machine']}; load average {r['load_average_at_start'][0]:.1f} at the start, "
        f"{r['load_average_at_end'][0]:.1f} at the end (shared with other jobs)",
        f"- Command: `{r['command']}`; {r['rounds']} rounds × {r['seconds_per_point']:g} s per point, order rotated "
        "per round; median over rounds; ratios are medians of per-round ratios",
        f"- Servers: `python -m uvicorn … {r['uvicorn']}` on event loop {r['stack']['event_loop']}, HTTP parser "
        f"{r['stack']['http_parser']}; LitServe 0.2.19 under its own uvicorn; load `wrk -t1`, bench/query.lua",
        "",
        "| server, request | conns | req/s | req/s ×ceiling | p50 ms | p99 ms | server CPU µs/req | CPU ×ceiling | errors "
        "| req/s per round |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, row in r["load"].items():
        anchored = row["anchor"] or name.startswith("ceiling")
        lines.append(f"| {name} | {row['connections']} | {row['rps']:.0f} | {ratio(row, 'rps_ratio') if anchored else ''} | "
                     f"{ms(row['p50_us'])} | {ms(row['p99_us'])} | {row['cpu_us_per_request']:.0f} | "
                     f"{ratio(row, 'cpu_ratio') if anchored else ''} | {row['errors']} | "
                     f"{', '.join(map(str, row['rps_runs']))} |")
    load = r["load"]
    dec, dec1 = load["ours: decode, fresh z"], load["ours: decode, fresh z, c=1"]
    peers = {k: v for k, v in load.items() if k.startswith("LitServe") and v["connections"] == 32}
    ok = lambda b: "met" if b else "NOT met"  # noqa: E731
    goals = [f"decode ≥ 0.45 × ceiling at 32 connections: {dec['rps_ratio']:.2f} ({ok(dec['rps_ratio'] >= 0.45)})"]
    if peers:
        best_name, best = max(peers.items(), key=lambda kv: kv[1]["rps"])
        times = dec["rps"] / best["rps"]
        goals.append(f"decode ≥ 5 × LitServe's best ({best_name}, {best['rps']:.0f} req/s): {times:.1f}× ({ok(times >= 5)})")
    goals += [
        f"decode p99 at 1 connection ≤ 0.5 ms: {ms(dec1['p99_us'])} ms ({ok(dec1['p99_us'] <= 500)})",
        f"manifold 20×20 p50 ≤ 5 ms: {ms(load['ours: manifold 20×20, c=1']['p50_us'])} ms "
        f"({ok(load['ours: manifold 20×20, c=1']['p50_us'] <= 5000)})",
        f"density 400 points p50 ≤ 2 ms: {ms(load['ours: density points=400, c=1']['p50_us'])} ms "
        f"({ok(load['ours: density points=400, c=1']['p50_us'] <= 2000)})",
    ]
    if "ours: hypotheses, c=1" in load:
        h = load["ours: hypotheses, c=1"]
        goals.append(f"hypotheses p50 ≤ 2 ms: {ms(h['p50_us'])} ms, p99 {ms(h['p99_us'])} ms ({ok(h['p50_us'] <= 2000)}); "
                     f"{load['ours: hypotheses']['rps']:.0f} req/s at 32 connections")
    m = r["memory"]
    goals.append(f"memory flat over {m['requests']:,} decodes: RSS {' → '.join(f'{v:.1f}' for _, v in m['rss_trace_mib'])} "
                 f"MiB (growth {m['growth_mib']:+.1f} MiB)")
    startup = statistics.median(r["startup_s"])
    goals.append(f"start-up ≤ 1.0 s (spawn to /healthz ok, median of {len(r['startup_s'])}: "
                 f"{', '.join(f'{s:.2f}' for s in r['startup_s'])}): {startup:.2f} s ({ok(startup <= 1.0)})")
    rss = statistics.median(r["rss_after_start_mib"])
    goals.append(f"resident memory after start ≤ 120 MB (median of {', '.join(f'{m:.1f}' for m in r['rss_after_start_mib'])} "
                 f"MiB): {rss:.1f} MiB = {rss * 1.048576:.1f} MB ({ok(rss * 1.048576 <= 120)}); after the warm-up load "
                 f"{r['rss_after_warmup_mib']:.1f} MiB")
    if "previous" in r:
        p = r["previous"]
        goals.append(f"previous (torch) server, same run: start-up {', '.join(f'{s:.2f}' for s in p['startup_s'])} s, "
                     f"resident memory after start {', '.join(f'{m:.1f}' for m in p['rss_after_start_mib'])} MiB, after "
                     f"the warm-up load {p['rss_after_warmup_mib']:.1f} MiB")
    lines += ["", "Goals:", "", *[f"- {g}" for g in goals]]
    if "floors" in r:
        f = r["floors"]
        lines += ["", "Floors in the same run (bench/floor.py): `import onnxruntime` alone in a fresh interpreter "
                  f"{', '.join(f'{s:.2f}' for s in f['import_onnxruntime_s'])} s (`import torch`, which the server no "
                  f"longer does: {', '.join(f'{s:.2f}' for s in f['import_torch_s'])} s); the forward "
                  f"pass a lone slider request pays (decode_points, 1 z) {f['decode_1z_warm_us']:.0f} µs with caches "
                  f"warm, {f['decode_1z_cold_us']:.0f} µs cold (after touching 64 MB: the decoder's 1.25 MB of weights "
                  "exceed a 1 MB L2)."]
    if "pixel_check" in r:
        lines += ["", "LitServe's pixels against ours (the same z through both servers):", ""]
        for name, c in r["pixel_check"].items():
            lines.append(f"- {name}: {c['identical']} of {c['images']} digits identical; {c['differing_pixels']} of "
                         f"{c['pixels']:,} pixels differ, by at most {c['max_grey_level_diff']} grey level(s)")
    if "workers" in r:
        w1, w2 = r["workers"].values()
        row = lambda n, w, x: (f"| {n} | {w['rps']:.0f} | {x} | {ms(w['p50_us'])} | {ms(w['p99_us'])} | "  # noqa: E731
                               f"{w['cpu_us_per_request']:.0f} | {', '.join(map(str, w['rps_runs']))} |")
        lines += ["", "## `latent-explorer serve --workers N` (fresh-z decode, 32 connections)", "",
                  "| workers | req/s | ×1 worker | p50 ms | p99 ms | server CPU µs/req | req/s per round |",
                  "|---:|---:|---:|---:|---:|---:|---|",
                  row(1, w1, "1.00"), row(2, w2, f"{w2['rps_ratio']:.2f}"), "",
                  f"Per-pod capacity (one worker on one dedicated core, the Deployment's 1-CPU request): "
                  f"1 s / {w1['cpu_us_per_request']:.0f} µs of server CPU per request ≈ "
                  f"{1e6 / w1['cpu_us_per_request']:,.0f} req/s (docs/deploy.md sets the HPA from it)."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
