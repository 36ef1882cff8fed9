"""Side by side (issue 22): the same z, label and drawing through several VAEs and CVAEs at once,
decoded in the page."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from tests.browser.test_explorer import digit_pixels, open_panel, wait_drawn
from tests.browser.test_in_use import draw_stroke
from tests.browser.test_page_decoder import decode_requests
from tests.browser.test_strips import DRAG_AND_COUNT

CARD = "#compare-grid figure[data-model='{}'] canvas.digit.mid"
RECON = "#compare-grid figure[data-model='{}'] canvas.recon"


def wait_all_in_page(page) -> int:
    count = page.locator("#compare-grid figure").count()
    page.wait_for_selector(f"#compare-decode[data-in-page='{count}']", timeout=30_000)
    return count


def test_one_z_through_every_model(page):
    open_panel(page, "compare", "&z=0.8,-0.5")
    ids = page.eval_on_selector_all("#compare-grid figure", "fs => fs.map((f) => f.dataset.model)")
    assert {"vae-2d", "fashion-vae-2d", "vae-8d", "cvae", "fashion-cvae"} <= set(ids)
    assert ids.index("vae-2d") < ids.index("fashion-vae-2d") < ids.index("cvae")  # digits beside clothes
    wait_all_in_page(page)
    wait_drawn(page, CARD.format("vae-2d"), "vae-2d/decode?z=0.8,-0.5")
    wait_drawn(page, CARD.format("fashion-vae-2d"), "fashion-vae-2d/decode?z=0.8,-0.5")
    wait_drawn(page, CARD.format("vae-8d"), "vae-8d/decode?z=0.8,-0.5,0,0,0,0,0,0")
    wait_drawn(page, CARD.format("cvae"), "cvae/decode?z=0.8,-0.5,0,0&label=3")
    assert page.get_attribute(CARD.format("vae-8d"), "data-decoded-by") == "page"
    requests = decode_requests(page)
    page.fill("#compare-sliders input.z-value >> nth=2", "1.5")
    page.press("#compare-sliders input.z-value >> nth=2", "Enter")
    wait_drawn(page, CARD.format("vae-8d"), "z=0.8,-0.5,1.5,0")
    wait_drawn(page, CARD.format("cvae"), "z=0.8,-0.5,1.5,0&label=3")
    assert page.get_attribute(CARD.format("vae-2d"), "data-src").endswith("z=0.8,-0.5")  # reads z₁, z₂ only
    page.click("#compare-labels button >> text='7'")
    wait_drawn(page, CARD.format("fashion-cvae"), "label=7")
    assert "Sneaker" in page.inner_text("#compare-grid figure[data-model='fashion-cvae'] figcaption")
    assert requests == []  # every step drawn in the page
    # The same z in the VAE panel draws the same digit.
    card = digit_pixels(page, CARD.format("vae-2d"))
    other = page.context.new_page()
    other.goto("/?panel=vae&model=vae-2d&z=0.8,-0.5")
    wait_drawn(other, "#vae-digit", "z=0.8,-0.5")
    assert digit_pixels(other, "#vae-digit") == card
    other.close()


def test_a_drawing_through_every_model(page, artifacts):
    open_panel(page, "compare", "&models=vae-2d,vae-8d,cvae")
    assert page.locator("#compare-grid figure").count() == 3
    wait_all_in_page(page)
    encodes: list[str] = []
    page.on("request", lambda r: encodes.append(r.url) if r.url.endswith("/encode") else None)
    draw_stroke(page, "#compare-draw")
    for model in ("vae-2d", "vae-8d", "cvae"):
        wait_drawn(page, RECON.format(model), f"{model}/decode")
    assert sorted(u.split("/")[-2] for u in encodes) == ["cvae", "vae-2d", "vae-8d"]  # each model encodes it
    assert "label=3" in page.get_attribute(RECON.format("cvae"), "data-src")
    assert max(digit_pixels(page, RECON.format("vae-8d"))) > 100
    page.screenshot(path=artifacts / "side-by-side.png", full_page=True)
    # Models come and go; the link keeps them.
    page.click("#compare-models button >> text='vae-8d'")
    assert page.locator("#compare-grid figure").count() == 2
    page.wait_for_url("**models=vae-2d%2Ccvae*")
    assert parse_qs(urlsplit(page.url).query)["models"] == ["vae-2d,cvae"]


def test_side_by_side_frame_rate_while_dragging(page, artifacts):
    """Redraws of every model's digit per second while z₁ is dragged: an artefact, not an assertion."""
    open_panel(page, "compare")
    count = wait_all_in_page(page)
    requests = decode_requests(page)
    report = page.evaluate(DRAG_AND_COUNT, ["compare-sliders-0", "#compare-grid", 2000])
    report["models"] = count
    page.wait_for_selector("#compare-grid[data-z^='2,']")
    (artifacts / "side-by-side-frame-rate.json").write_text(json.dumps(report, indent=2))
    print("\nside by side while dragging:", json.dumps(report))
    assert report["redraws"] >= 1 and requests == []
