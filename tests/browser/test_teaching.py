"""What a lecturer and a first-time student reach for (issue 22): a start-here line per panel, plain
explanations of the cards' terms, the decoder's detail behind a disclosure, map axes with the prior's
circles, drawing and interpolation for every VAE and CVAE, and the CVAE's row choosing a label."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_explorer import DRAWN, digit_pixels, open_panel, wait_drawn
from tests.browser.test_in_use import draw_stroke
from tests.browser.test_page_decoder import wait_page_mode


@pytest.mark.parametrize("panel", ["vae", "cvae", "compare", "mdn", "arm", "cards"])
def test_every_panel_says_where_to_start(page, panel):
    open_panel(page, panel)
    line = page.locator(f"#panel-{panel} .start-here")
    assert line.is_visible()
    assert line.inner_text().startswith("Start here:") and len(line.inner_text()) > 40


def test_the_cards_explain_their_terms(page):
    open_panel(page, "cards")
    page.wait_for_selector(DRAWN["cards"])
    terms = page.eval_on_selector_all("#cards abbr.term", "ts => [...new Set(ts.map((t) => t.textContent))]")
    assert {"ELBO", "KL", "nats", "Fréchet distance", "NLL"} <= set(terms)
    term = page.locator("#card-vae-2d abbr.term", has_text="nats").first
    assert "1 nat = 1.44 bits" in term.get_attribute("title")
    term.click()  # a tap shows it (a title never shows on a touch screen)…
    tip = page.locator("#card-vae-2d .term-tip").first
    assert "1 nat = 1.44 bits" in tip.inner_text()
    term.click()  # …and another hides it
    assert page.locator("#card-vae-2d .term-tip").count() == 0


def test_the_decoders_detail_is_behind_a_disclosure(page):
    open_panel(page, "vae", "&model=vae-2d")
    wait_page_mode(page, "vae")
    detail = page.locator("#vae-decode details.decoder-detail")
    assert detail.is_visible() and detail.get_attribute("open") is None
    assert "downloaded" not in page.inner_text("#vae-decode")  # the numbers are not in the way…
    detail.locator("summary").click()
    assert "downloaded" in page.inner_text("#vae-decode") and "agree" in page.inner_text("#vae-decode")  # …but there


# Every fillText on the latent map.
RECORD_MAP_TEXT = """
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  if (this.canvas.id === 'map') (window.mapText ||= []).push(String(text));
  return fillText.call(this, text, ...rest);
};
"""


def test_the_map_has_axes_and_the_priors_circles(page):
    page.add_init_script(RECORD_MAP_TEXT)
    open_panel(page, "vae", "&model=vae-2d&z=0,0")
    page.wait_for_selector("#map[data-ready]")
    page.evaluate("() => { window.mapText = []; }")
    page.uncheck("#map-manifold")
    written = set(page.evaluate("() => window.mapText"))
    assert {"−2", "0", "2", "z₁ →", "z₂ ↑", "1σ", "2σ", "3σ"} <= written, written
    with_axes = page.evaluate("() => document.getElementById('map').toDataURL()")
    page.uncheck("#map-axes")
    assert page.evaluate("() => document.getElementById('map').toDataURL()") != with_axes
    # The 1σ circle crosses the z₁ axis at z₁ = 1: a dashed white ring through that point, none at 1.5.
    ring = """z1 => { const c = document.getElementById('map'); const x = Math.round((z1 + 4.2) / 8.4 * c.width);
      const y = Math.round(c.height / 2); const d = c.getContext('2d').getImageData(x - 2, y - 12, 5, 24).data;
      let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 100) n++; return n; }"""
    page.uncheck("#map-scatter")
    page.check("#map-axes")
    assert page.evaluate(ring, 1.0) > page.evaluate(ring, 1.5)


def test_the_8d_vae_draws_and_interpolates(page):
    open_panel(page, "vae", "&model=vae-8d&z=0,0,0,0,0,0,0,0")
    wait_page_mode(page, "vae")
    assert page.is_hidden("#map-section") and page.is_visible("#draw")
    draw_stroke(page)
    wait_drawn(page, "#draw-recon", "vae-8d/decode")
    assert page.inner_text("#draw-info").startswith("q(z|x)")
    z = page.get_attribute("#vae-digit", "data-src").split("z=")[1]
    assert len(z.split(",")) == 8 and z != "0,0,0,0,0,0,0,0"  # z moved to the drawing's mean
    page.click("#interp-a")
    page.click("#vae-reset")
    page.click("#interp-b")
    page.fill("#interp-t", "0.5")
    page.wait_for_function("() => !document.getElementById('vae-digit').dataset.src.endsWith('z=0,0,0,0,0,0,0,0')")
    halfway = [float(v) for v in page.get_attribute("#vae-digit", "data-src").split("z=")[1].split(",")]
    assert all(abs(h - float(a) / 2) <= 0.0011 for h, a in zip(halfway, z.split(","))), (halfway, z)


def test_a_drawing_in_the_cvae_keeps_its_style_under_another_label(page):
    open_panel(page, "cvae", "&label=2")
    wait_page_mode(page, "cvae")
    bodies: list[dict] = []
    page.on("request", lambda r: bodies.append(json.loads(r.post_data)) if r.url.endswith("/cvae/encode") else None)
    draw_stroke(page, "#cvae-draw")
    wait_drawn(page, "#cvae-draw-recon", "label=2")
    assert bodies and bodies[0]["label"] == 2  # encoded as the label chosen
    style = page.get_attribute("#cvae-digit", "data-src").split("z=")[1].split("&")[0]
    assert style != "0,0,0,0"
    # Pick 7 in the row of every label: the same style, now as a 7.
    page.click("#cvae-row figure:nth-child(8) button")
    wait_drawn(page, "#cvae-digit", f"z={style}&label=7")
    assert page.get_attribute("button[aria-label='Label 7']", "aria-pressed") == "true"
    assert page.get_attribute("#cvae-row figure:nth-child(8) button", "aria-pressed") == "true"
    assert digit_pixels(page, "#cvae-digit") == digit_pixels(page, "#cvae-row figure:nth-child(8) canvas")
