"""Benchmark plumbing: servers in their own processes and a bounded wrk run against them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from latent_explorer.paths import REPO_ROOT

LUA = REPO_ROOT / "bench" / "query.lua"
UVICORN_FLAGS = ["--host", "127.0.0.1", "--log-level", "warning", "--no-access-log"]
APP = "app.main:create_app"  # with factory=True


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

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server process has used so far. Per request, this is the
        figure that survives a shared machine: other load slows a server down but does not make
        each request cost more CPU (much)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> str:
        """Stop the server and every process it started (it runs in its own session: LitServe and
        `serve --workers` fork); → what it wrote to stderr."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
            try:
                return self.process.communicate(timeout=10)[1].decode(errors="replace")
            except subprocess.TimeoutExpired:
                continue
        return ""


def spawn(name: str, cmd: list[str], port: int, ready_path: str = "/healthz", env: dict | None = None,
          repo: Path = REPO_ROOT, timeout_s: float = 300) -> Server:
    """Run cmd, which listens on `port`, from the checkout `repo` in its own session; returns once
    ready_path answers 200 (for /healthz: with status ok), with the time from spawn to that answer.
    The one start-and-wait of bench/ and tests/. 300 s: a starved shared machine took 255 s."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=repo, env={**os.environ, "PYTHONPATH": str(repo), **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    server = Server(name, process, port, 0.0)
    while time.perf_counter() < started + timeout_s:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {server.stop()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.base}{ready_path}", timeout=1) as r:
                body = r.read()
                if r.status == 200 and (ready_path != "/healthz" or json.loads(body)["status"] == "ok"):
                    server.startup_s = time.perf_counter() - started
                    return server
        except OSError:
            pass
        time.sleep(0.02)
    server.stop()
    raise RuntimeError(f"{name} did not answer {ready_path} within {timeout_s:g} s")


def start_server(name: str, target: str = APP, ready_path: str = "/healthz", env: dict | None = None,
                 factory: bool = True, repo: Path = REPO_ROOT, timeout_s: float = 300, port: int | None = None) -> Server:
    """`python -m uvicorn target` (spawn) on a free loopback port, or on `port` to restart a server
    where a page expects it."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "uvicorn", target, "--port", str(port), *UVICORN_FLAGS, *(["--factory"] if factory else [])]
    return spawn(name, cmd, port, ready_path, env, repo, timeout_s)


@contextmanager
def running_server(checkpoints: Path | None = None, port: int | None = None) -> Iterator[str]:
    """The app in its own process (start_server), over `checkpoints` (default: the shipped ones), on
    `port` or a free one; yields its base URL once /healthz answers ok, and stops it afterwards."""
    env = {"LATENT_EXPLORER_CHECKPOINTS": str(checkpoints)} if checkpoints else {}
    server = start_server("app", env=env, port=port)
    try:
        yield server.base
    finally:
        server.stop()


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
