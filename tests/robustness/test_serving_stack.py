"""The serving stack: `uvicorn app.main:app` and `latent-explorer serve` run on uvloop and httptools
(runtime dependencies), still start on asyncio and h11 where those cannot be imported, and say
which they run on, at start-up in the log and in /healthz."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx
import pytest

from bench.load import free_port, spawn
from latent_explorer.paths import REPO_ROOT

UVICORN = ["-m", "uvicorn", "app.main:create_app", "--factory", "--log-level", "info"]
SERVE = ["-m", "latent_explorer.cli", "serve", "--log-level", "info"]


DECODE = "/api/models/vae-2d/decode?z=0.5,-1.2"


def _serve_and_ask(args: list[str], pythonpath: list[Path]) -> tuple[dict, bytes, str]:
    """Start the server, → (its /healthz answer, its answer to DECODE, its log up to then)."""
    port = free_port()
    server = spawn("server", [sys.executable, *args, "--host", "127.0.0.1", "--port", str(port)], port,
                   env={"PYTHONPATH": os.pathsep.join(str(p) for p in [*pythonpath, REPO_ROOT])})
    try:
        health = httpx.get(f"{server.base}/healthz", timeout=10).json()
        decoded = httpx.get(f"{server.base}{DECODE}", timeout=10).content
    finally:
        log = server.stop()
    return health, decoded, log


@pytest.fixture(scope="module")
def without_uvloop_and_httptools(tmp_path_factory) -> Path:
    """A folder that, put first on PYTHONPATH, makes `import uvloop` and `import httptools` fail, as
    on a platform without wheels for them."""
    folder = tmp_path_factory.mktemp("no-fast-stack")
    for name in ("uvloop", "httptools"):
        (folder / name).mkdir()
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} is not available here (test)')\n")
    return folder


@pytest.mark.parametrize("args", [UVICORN, SERVE], ids=["uvicorn", "latent-explorer serve"])
def test_serves_on_uvloop_and_httptools(args, client):
    health, decoded, log = _serve_and_ask(args, [])
    assert health["status"] == "ok" and health["models"] > 0
    assert (health["event_loop"], health["http_parser"]) == ("uvloop", "httptools")
    assert "event loop uvloop, HTTP parser httptools" in log
    assert decoded == client.get(DECODE).content


@pytest.mark.parametrize("args", [UVICORN, SERVE], ids=["uvicorn", "latent-explorer serve"])
def test_starts_on_the_pure_python_stack_when_they_are_missing(args, without_uvloop_and_httptools, client):
    health, decoded, log = _serve_and_ask(args, [without_uvloop_and_httptools])
    assert health["status"] == "ok" and health["models"] > 0
    assert (health["event_loop"], health["http_parser"]) == ("asyncio", "h11")
    assert "event loop asyncio, HTTP parser h11" in log
    assert "Traceback" not in log
    assert decoded == client.get(DECODE).content  # the same bytes whatever parses the request
