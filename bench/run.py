"""Benchmarks: the API against the bare-server ceiling, the model-side floor, start-up, memory, and
the training recipe against the pytorch/examples VAE.

    python bench/run.py [--quick] [--training] [--epochs N]

Every speed figure is also given as a ratio to a baseline measured in the same run (a FastAPI app
answering a constant PNG of the same size from an `async def` route, bench/baseline_app.py, under
the same uvicorn settings): absolute times on a shared machine are noise, ratios much less so.
The servers and the load generator (wrk, from Debian's packages) run as separate processes on
loopback ports; every load phase is bounded in time. Results go to bench/results/ (JSON and
markdown) and the markdown table to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, when run as a script

from bench.floor import model_floor  # noqa: E402 - needs the repo on sys.path when run as a script
from bench.load import UVICORN_FLAGS, Server, start_server, wrk  # noqa: E402
from bench.training_comparison import markdown_training, training_comparison  # noqa: E402
from latent_explorer.paths import REPO_ROOT  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import onnxruntime

    return (f"{cpu}, {os.cpu_count()} cores visible (shared), Linux {platform.release()}, Python "
            f"{platform.python_version()}, onnxruntime {onnxruntime.__version__}")


def static_asset_path() -> str:
    static = REPO_ROOT / "static"
    files = sorted((p.suffix not in (".js", ".css"), p) for p in static.rglob("*")
                   if p.is_file() and not p.name.startswith(".")) if static.is_dir() else []
    files = [p for _, p in files]  # a script or stylesheet of the page first
    return f"/static/{files[0].relative_to(static).as_posix()}" if files else "/openapi.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="3 s per load point instead of 10")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per load point")
    parser.add_argument("--training", action="store_true",
                        help="with --quick: also run the training comparison (always run otherwise)")
    parser.add_argument("--no-training", action="store_true", help="skip the training comparison (about a minute)")
    parser.add_argument("--epochs", type=int, default=10,
                        help="pytorch/examples epochs in the training comparison (published: 10)")
    parser.add_argument("--training-only", action="store_true", help="only the training comparison")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    report: dict = {"machine": machine(), "command": command.strip(), "seconds_per_point": seconds,
                    "uvicorn": " ".join(UVICORN_FLAGS)}

    if args.training_only:
        result = training_comparison(args.epochs)
        (RESULTS / f"{stamp}-training.json").write_text(json.dumps(result, indent=2) + "\n")
        print(markdown_training(result))
        return 0
    servers: list[Server] = []
    try:
        app = start_server("app")
        servers.append(app)
        report["startup_s"] = app.startup_s
        report["rss_after_start_mib"] = app.rss_mib()
        # The baseline answers with the bytes of a real decode answer: exactly the same size.
        with urllib.request.urlopen(f"{app.base}/api/models/vae-2d/decode?z=0.5,-1.2") as r:
            png = r.read()
        png_path = RESULTS / "baseline.png"
        png_path.write_bytes(png)
        base = start_server("baseline", "bench.baseline_app:app", "/png", env={"BASELINE_PNG": str(png_path)},
                            factory=False)
        servers.append(base)
        report["baseline_png_bytes"] = len(png)

        endpoints = [
            ("baseline: constant PNG", base, "/png", "fixed"),
            ("decode, fresh z", app, "/api/models/vae-2d/decode", "decode"),
            ("generate n=16, seeded", app, "/api/models/vae-2d/generate", "generate"),
            ("manifold 20×20", app, "/api/models/vae-2d/manifold?n=20", "fixed"),
            ("density points=400", app, "/api/models/mdn-toy/density", "density"),
            (f"static {static_asset_path()}", app, static_asset_path(), "fixed"),
        ]
        # Warm both servers (first requests pay for lazy imports and allocator growth).
        for _, server, path, mode in endpoints:
            wrk(server.base + path, 8, 1, mode)
        report["rss_after_warmup_mib"] = app.rss_mib()
        rows = []
        for name, server, path, mode in endpoints:
            for connections in (1, 32):
                result = wrk(server.base + path, connections, seconds, mode)
                rows.append({"endpoint": name, "connections": connections, **result})
                print(f"  {name:28s} c={connections:2d}  {result['rps']:8.0f} req/s  p50 {result['p50_us'] / 1000:7.2f} ms"
                      f"  p99 {result['p99_us'] / 1000:7.2f} ms  errors {result['errors']}", file=sys.stderr)
        base_rows = {r["connections"]: r for r in rows if r["endpoint"].startswith("baseline")}
        for r in rows:
            b = base_rows[r["connections"]]
            r["rps_ratio"] = r["rps"] / b["rps"]
            r["p50_ratio"] = r["p50_us"] / b["p50_us"]
            r["p99_ratio"] = r["p99_us"] / b["p99_us"]
        report["load"] = rows

        # Memory: at least 10,000 more fresh-z decodes, then RSS again.
        served_before = sum(r["requests"] for r in rows if not r["endpoint"].startswith("baseline"))
        extra = wrk(app.base + "/api/models/vae-2d/decode", 32, max(2.0, seconds / 2), "decode")
        while extra["requests"] < 10_000 and extra["duration_us"] < 60e6:
            more = wrk(app.base + "/api/models/vae-2d/decode", 32, 5, "decode")
            extra["requests"] += more["requests"]
            extra["duration_us"] += more["duration_us"]
        report["memory"] = {"requests_served": served_before + extra["requests"],
                            "rss_after_start_mib": report["rss_after_start_mib"],
                            "rss_after_warmup_mib": report["rss_after_warmup_mib"],
                            "rss_after_load_mib": app.rss_mib()}

        # Intra-op threads 1 vs 2 over HTTP: the same app with LATENT_EXPLORER_THREADS=2.
        app.stop()
        servers.remove(app)
        threads = {}
        for n_threads in (1, 2):
            s = start_server(f"app-{n_threads}t", env={"LATENT_EXPLORER_THREADS": str(n_threads)})
            servers.append(s)
            wrk(s.base + "/api/models/vae-2d/decode", 8, 1, "decode")
            threads[n_threads] = {
                "decode_c1": wrk(s.base + "/api/models/vae-2d/decode", 1, seconds / 2, "decode"),
                "decode_c32": wrk(s.base + "/api/models/vae-2d/decode", 32, seconds / 2, "decode"),
                "manifold_c1": wrk(s.base + "/api/models/vae-2d/manifold?n=20", 1, seconds / 2),
            }
            s.stop()
            servers.remove(s)
        report["threads"] = threads
    finally:
        for s in servers:
            s.stop()

    report["floor"] = model_floor(args.quick)
    if not args.no_training and (args.training or not args.quick):
        report["training"] = training_comparison(args.epochs)

    table = markdown(report)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"{stamp}.md").write_text(table)
    print(table)
    return 0


def markdown(r: dict) -> str:
    ms = lambda us: f"{us / 1000:.2f}"  # noqa: E731
    lines = [
        "# Latent Explorer benchmarks",
        "",
        f"- Machine: {r['machine']}",
        f"- Command: `{r['command']}`",
        f"- Servers: `python -m uvicorn … {r['uvicorn']}` (one process each); load: `wrk -t1` with bench/query.lua, "
        f"{r['seconds_per_point']:g} s per point; baseline = bench/baseline_app.py, a constant "
        f"{r['baseline_png_bytes']}-byte PNG (the size of a decode answer) from an `async def` route",
        "",
        "## Requests/s and latency (ratio = this endpoint / the baseline at the same connections)",
        "",
        "| endpoint | conns | req/s | ×baseline | p50 ms | ×baseline | p99 ms | ×baseline | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in r["load"]:
        lines.append(f"| {row['endpoint']} | {row['connections']} | {row['rps']:.0f} | {row['rps_ratio']:.2f} | "
                     f"{ms(row['p50_us'])} | {row['p50_ratio']:.2f} | {ms(row['p99_us'])} | {row['p99_ratio']:.2f} | "
                     f"{row['errors']} |")
    by = {(row["endpoint"], row["connections"]): row for row in r["load"]}
    dec32, dec1 = by[("decode, fresh z", 32)], by[("decode, fresh z", 1)]
    man1 = by[("manifold 20×20", 1)]
    ok = lambda b: "met" if b else "NOT met"  # noqa: E731
    lines += [
        "",
        "Goals: fresh-z decode ≥ 70 % of the baseline's req/s at 32 connections: "
        f"{dec32['rps_ratio']:.0%} ({ok(dec32['rps_ratio'] >= 0.70)}); decode p99 ≤ 5 ms at 1 connection: "
        f"{ms(dec1['p99_us'])} ms ({ok(dec1['p99_us'] <= 5000)}); manifold 20×20 p50 ≤ 30 ms: "
        f"{ms(man1['p50_us'])} ms ({ok(man1['p50_us'] <= 30000)}).",
        "",
        "## Model-side floor (in process, µs per call, median of 5)",
        "",
        "| | 1 thread | 2 threads |",
        "|---|---:|---:|",
    ]
    f = r["floor"]
    for key, label in (("torch_module_1z_us", "torch module.decode, 1 z"), ("torch_module_400z_us", "torch module.decode, 400 z"),
                       ("serving_1z_us", "app.inference.decode (onnxruntime), 1 z"),
                       ("serving_400z_us", "app.inference.decode (onnxruntime), 400 z")):
        lines.append(f"| {label} | {f['1'][key] if '1' in f else f[1][key]:.1f} | "
                     f"{f['2'][key] if '2' in f else f[2][key]:.1f} |")
    lines += [
        f"| PNG encoding, 28×28 ({f['png_28x28_bytes']} B) | {f['png_28x28_us']:.1f} | |",
        f"| … Pillow, compress_level 0 / 1 ({f['pillow_level0_28x28_bytes']} / {f['pillow_level1_28x28_bytes']} B) | "
        f"{f['pillow_level0_28x28_us']:.1f} / {f['pillow_level1_28x28_us']:.1f} | |",
        f"| PNG encoding, 560×560 (manifold 20×20, {f['png_560x560_bytes']:,} B) | {f['png_560x560_us']:.1f} | |",
        f"| … Pillow, compress_level 0 / 1 ({f['pillow_level0_560x560_bytes']:,} / {f['pillow_level1_560x560_bytes']:,} B)"
        f" | {f['pillow_level0_560x560_us']:.1f} / {f['pillow_level1_560x560_us']:.1f} | |",
        "",
        f"A decode at 1 connection takes {ms(dec1['p50_us'])} ms p50 over HTTP, the baseline "
        f"{ms(by[('baseline: constant PNG', 1)]['p50_us'])} ms: the rest of a request is the HTTP stack.",
        "",
        "## Intra-op threads over HTTP (fresh-z decode; manifold 20×20)",
        "",
        "| intra-op threads | decode c=1 req/s | decode c=1 p99 ms | decode c=32 req/s | manifold c=1 p50 ms |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n, t in sorted(r["threads"].items(), key=lambda kv: int(kv[0])):
        lines.append(f"| {n} | {t['decode_c1']['rps']:.0f} | {ms(t['decode_c1']['p99_us'])} | {t['decode_c32']['rps']:.0f} | "
                     f"{ms(t['manifold_c1']['p50_us'])} |")
    m = r["memory"]
    lines += [
        "",
        "## Start-up and memory",
        "",
        f"- Start-up, process spawn to `/healthz` ok: {r['startup_s']:.2f} s",
        f"- RSS after start {m['rss_after_start_mib']:.1f} MiB, after warm-up {m['rss_after_warmup_mib']:.1f} MiB, "
        f"after {m['requests_served']:,} requests {m['rss_after_load_mib']:.1f} MiB "
        f"(growth after warm-up: {m['rss_after_load_mib'] - m['rss_after_warmup_mib']:+.1f} MiB)",
    ]
    if "training" in r:
        lines += ["", *markdown_training(r["training"]).splitlines()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
