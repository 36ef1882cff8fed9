"""Before/after in one run: the same endpoint served by several checkouts, alternating under wrk,
each round's figure divided by the bare-stack baseline (bench/baseline_app.py) of the same round.

    python bench/compare.py main .            # a commit (any git revision) against the working tree
    python bench/compare.py HEAD~3 . --rounds 7 --seconds 5 --connections 32

A revision is checked out into a temporary git worktree; "." is this checkout, a directory is used
as it is. On a shared machine single figures drift; the median over alternating rounds of the
ratio to a baseline measured in the same round is what to compare, and the server's CPU time per
request (from /proc) beside it, which other load on the machine disturbs much less.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository, when run as a script

from bench.load import Server, start_server, wrk  # noqa: E402
from latent_explorer.paths import REPO_ROOT  # noqa: E402


def checkout(rev: str, into: Path) -> Path:
    if rev == ".":
        return REPO_ROOT
    if Path(rev).is_dir():
        return Path(rev).resolve()
    path = into / rev.replace("/", "_").replace("~", "-")
    subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "add", "--detach", "--force", str(path), rev],
                   check=True, capture_output=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("revs", nargs="+", help="git revisions, directories, or . for this checkout")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0, help="per wrk run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--path", default="/api/models/vae-2d/decode")
    parser.add_argument("--mode", default="decode", help="bench/query.lua mode: decode (a fresh z per request), fixed, …")
    args = parser.parse_args(argv)

    servers: list[Server] = []
    worktrees: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as tmp:
        try:
            apps = []
            for rev in args.revs:
                repo = checkout(rev, Path(tmp))
                if repo != REPO_ROOT and repo.is_relative_to(Path(tmp)):
                    worktrees.append(repo)
                # The shipped checkpoints of this checkout, whatever the environment says.
                server = start_server(rev, repo=repo, env={"LATENT_EXPLORER_CHECKPOINTS": str(repo / "checkpoints")})
                servers.append(server)
                apps.append(server)
            with urllib.request.urlopen(f"{apps[0].base}/api/models/vae-2d/decode?z=0.5,-1.2") as r:
                png = Path(tmp) / "baseline.png"
                png.write_bytes(r.read())
            baseline = start_server("baseline", "bench.baseline_app:app", "/png", env={"BASELINE_PNG": str(png)},
                                    factory=False)
            servers.append(baseline)
            targets = [(baseline, "/png", "fixed"), *((s, args.path, args.mode) for s in apps)]
            for server, path, mode in targets:  # warm-up: lazy imports, allocator growth
                wrk(server.base + path, 8, 1, mode)
            rounds = []
            for i in range(args.rounds):
                order = targets[i % len(targets):] + targets[: i % len(targets)]  # rotate who goes first
                rps, cpu = {}, {}
                for server, path, mode in order:
                    before = server.cpu_s()
                    result = wrk(server.base + path, args.connections, args.seconds, mode)
                    if result["errors"]:
                        raise RuntimeError(f"{server.name}: {result['errors']} errors")
                    rps[server.name] = result["rps"]
                    cpu[server.name] = (server.cpu_s() - before) / result["requests"] * 1e6
                rounds.append({"rps": rps, "cpu_us_per_request": cpu})
                print(f"round {i + 1}: " + "  ".join(f"{name} {v:.0f} req/s {cpu[name]:.0f} µs" for name, v in rps.items())
                      + "  |  " + "  ".join(f"{s.name} ×{rps[s.name] / rps['baseline']:.3f}" for s in apps),
                      file=sys.stderr)
        finally:
            for s in servers:
                s.stop()
            for path in worktrees:
                subprocess.run(["git", "-C", str(REPO_ROOT), "worktree", "remove", "--force", str(path)],
                               capture_output=True)

    summary = {
        "command": "python bench/compare.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "connections": args.connections, "seconds": args.seconds, "path": args.path, "mode": args.mode,
        "rounds": rounds,
        # req/s of each app ÷ the baseline's in the same round: the figure, noisy when shared.
        "median_rps_ratio_to_baseline": {s.name: statistics.median(r["rps"][s.name] / r["rps"]["baseline"] for r in rounds)
                                         for s in apps},
        "median_rps_ratio_to_first": {s.name: statistics.median(r["rps"][s.name] / r["rps"][apps[0].name] for r in rounds)
                                      for s in apps},
        # Server CPU per request: steadier on a shared machine; the baseline's over each app's.
        "median_cpu_us_per_request": {name: statistics.median(r["cpu_us_per_request"][name] for r in rounds)
                                      for name in ["baseline", *(s.name for s in apps)]},
        "median_cpu_ratio_baseline_over_app": {
            s.name: statistics.median(r["cpu_us_per_request"]["baseline"] / r["cpu_us_per_request"][s.name] for r in rounds)
            for s in apps},
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
