"""Real-browser fixtures: the real server on a free port, and Debian's Chromium driven by Playwright.

Chromium comes from `apt-get install chromium` (never `playwright install`). Without it these
tests are skipped, unless the CI environment variable is set: then they fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.load import running_server
from latent_explorer.paths import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO_ROOT / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="session")
def server_url():
    """`python -m uvicorn app.main:app` on a free port over the shipped checkpoints, or the server
    already running at $LATENT_EXPLORER_URL (a deployment, a compose stack)."""
    if os.environ.get("LATENT_EXPLORER_URL"):
        yield os.environ["LATENT_EXPLORER_URL"].rstrip("/")
        return
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server_url):
    """A fresh page at laptop size; console errors and page errors fail the test at teardown."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server_url)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda msg: errors.append(f"console.{msg.type}: {msg.text}") if _is_page_error(msg) else None)
    pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    pg.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)
    pg.errors = errors
    yield pg
    context.close()
    assert not errors, errors


def _is_page_error(msg) -> bool:
    # Chromium aborts requests in flight when the host's network interfaces change (containers
    # starting beside us); that is the machine, not the page, and the page retries them.
    return msg.type == "error" and "ERR_NETWORK_CHANGED" not in msg.text


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

