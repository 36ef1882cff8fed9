"""Benchmark plumbing: servers in their own processes and a bounded wrk run against them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LUA = REPO / "bench" / "query.lua"
UVICORN_FLAGS = ["--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    startup_s: float

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(name: str, target: str, ready_path: str, env: dict | None = None, factory: bool = False) -> Server:
    """Start `uvicorn target` in its own process; time from spawn to the first good answer of ready_path."""
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", target, "--port", str(port), *UVICORN_FLAGS]
    if factory:
        cmd.append("--factory")
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = started + 60
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=1) as r:
                body = r.read()
                if r.status == 200 and (ready_path != "/healthz" or json.loads(body)["status"] == "ok"):
                    return Server(name, process, port, time.perf_counter() - started)
        except OSError:
            pass
        time.sleep(0.02)
    process.kill()
    raise RuntimeError(f"{name} did not answer {ready_path} within 60 s")


def wrk(url: str, connections: int, seconds: float, mode: str = "fixed") -> dict:
    """One bounded wrk run; → the JSON summary written by bench/query.lua, plus requests/s."""
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s", "-s", str(LUA), url,
           "--", mode]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{out}")
    result = json.loads(line.removeprefix("BENCH_JSON "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(v for k, v in result.items() if k.startswith("errors_"))
    return result
