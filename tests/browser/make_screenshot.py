"""Write docs/screenshot.png (the README's picture): the VAE explorer with a drawn digit on the map.

    python tests/browser/make_screenshot.py http://127.0.0.1:8000
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository, when run as a script
from latent_explorer.paths import REPO_ROOT  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def main(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1240, "height": 800})
        page.goto(f"{url}/?panel=vae&model=vae-2d&z=0.6,1.1")
        page.wait_for_selector("#map[data-ready]")
        pad = page.locator("#draw").bounding_box()
        cx, cy, r = pad["x"] + pad["width"] / 2, pad["y"] + pad["height"] / 2, pad["width"] * 0.3
        page.mouse.move(cx, cy - r)  # a "0": one oval stroke
        page.mouse.down()
        for i in range(1, 41):
            a = 2 * math.pi * i / 40
            page.mouse.move(cx + 0.7 * r * math.sin(a), cy - r * math.cos(a))
        page.mouse.up()
        page.wait_for_selector("#map[data-ellipse='1']")
        page.wait_for_timeout(300)
        out = REPO_ROOT / "docs" / "screenshot.png"
        page.screenshot(path=out, full_page=True)
        browser.close()
    print(f"{out}: {out.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
