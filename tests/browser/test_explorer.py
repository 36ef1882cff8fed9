"""The explorer page in real Chromium: every panel loads and reacts to a person's input."""

from __future__ import annotations

import pytest

PANELS = ["vae", "cvae", "compare", "mdn", "arm", "cards"]
# What a panel shows once everything in it has been drawn (its last plot, table or card).
DRAWN = {"vae": "#map[data-ready]", "mdn": "#mdn-mix[data-x='0.5']", "arm": "#arm-table tr >> nth=6",
         "cvae": "#cvae-digit[data-src*='label=3']", "cards": "#card-vae-2d",
         "compare": "#compare-grid figure:last-child canvas.digit[data-src]"}


def open_panel(page, panel: str, query: str = "") -> None:
    """Load the page on one panel and wait until that panel has started."""
    page.goto(f"/?panel={panel}{query}")
    page.wait_for_selector(f"body[data-{panel}-ready]")


def digit_pixels(page, selector: str) -> list[int]:
    """The red channel of a 28×28 digit canvas, as drawn."""
    return page.evaluate(
        """sel => Array.from(document.querySelector(sel).getContext('2d').getImageData(0, 0, 28, 28).data)
               .filter((_, i) => i % 4 === 0)""", selector)


def canvas_png(page, selector: str) -> str:
    return page.evaluate("sel => document.querySelector(sel).toDataURL()", selector)


def wait_drawn(page, selector: str, fragment: str) -> None:
    """Wait until the canvas shows the image whose URL contains `fragment`."""
    page.wait_for_function("([sel, frag]) => (document.querySelector(sel).dataset.src || '').includes(frag)",
                           arg=[selector, fragment])


def test_page_loads_every_panel_without_console_errors(page, artifacts):
    open_panel(page, "vae")
    wait_drawn(page, "#vae-digit", "decode")
    page.wait_for_selector("#map[data-ready]")
    page.screenshot(path=artifacts / "panel-vae.png", full_page=True)
    for panel in PANELS[1:]:
        page.click(f"#tab-{panel}")
        page.wait_for_selector(f"body[data-{panel}-ready]")
        assert page.is_visible(f"#panel-{panel}")
        assert not page.is_visible("#panel-vae")
        page.wait_for_selector(DRAWN[panel])  # the first images and plots have landed
        page.screenshot(path=artifacts / f"panel-{panel}.png", full_page=True)
    assert page.locator(".card").count() >= 5
    assert "panel=cards" in page.url


def test_slider_changes_the_digit(page):
    open_panel(page, "vae", "&model=vae-2d")
    wait_drawn(page, "#vae-digit", "z=0,0")
    before = digit_pixels(page, "#vae-digit")
    slider = page.locator("#vae-sliders-0")
    slider.focus()
    page.keyboard.press("End")  # keyboard-usable: End jumps to the maximum
    wait_drawn(page, "#vae-digit", "z=3,0")
    assert page.input_value("#vae-sliders input.z-value >> nth=0") == "3.00"
    assert digit_pixels(page, "#vae-digit") != before
    page.wait_for_url("**z=3%2C0*")  # the address bar follows z (shareable)


def test_number_box_edits_z_and_url_restores_it(page):
    open_panel(page, "vae", "&model=vae-8d&z=1,-1,0.5,0,0,0,0,2")
    wait_drawn(page, "#vae-digit", "z=1,-1,0.5,0,0,0,0,2")
    assert page.locator("#vae-sliders input[type=range]").count() == 8
    assert page.input_value("#vae-sliders-7") == "2"
    assert page.is_hidden("#map-section")
    box = page.locator("#vae-sliders input.z-value >> nth=1")
    box.fill("-2.5")
    box.press("Enter")
    wait_drawn(page, "#vae-digit", "z=1,-2.5,0.5")
    assert page.input_value("#vae-sliders-1") == "-2.5"


def test_dream_mode_changes_the_digit_over_time(page):
    open_panel(page, "vae", "&model=vae-2d")
    wait_drawn(page, "#vae-digit", "z=0,0")
    start = digit_pixels(page, "#vae-digit")
    page.check("#vae-dream")
    # Polled, not slept: on a loaded CI machine the first animation frames can come late.
    page.wait_for_function("() => Math.abs(Number(document.querySelector('#vae-sliders-0').value)) >= 0.05", timeout=10_000)
    first_z = page.input_value("#vae-sliders-0")
    page.wait_for_function(
        """([sel, start]) => Array.from(document.querySelector(sel).getContext('2d').getImageData(0, 0, 28, 28).data)
               .filter((_, i) => i % 4 === 0).some((v, i) => v !== start[i])""",
        arg=["#vae-digit", start], timeout=10_000)
    # It keeps moving by itself: the slider leaves the value it had.
    page.wait_for_function("v => document.querySelector('#vae-sliders-0').value !== v", arg=first_z, timeout=10_000)
    page.uncheck("#vae-dream")


def test_clicking_the_latent_map_moves_the_sliders(page):
    open_panel(page, "vae", "&model=vae-2d")
    page.wait_for_selector("#map[data-ready]")
    box = page.locator("#map").bounding_box()
    # Upper right of the map: z1 > 0 and z2 > 0 (the top row is the largest z2).
    page.mouse.click(box["x"] + 0.8 * box["width"], box["y"] + 0.2 * box["height"])
    page.mouse.move(box["x"] - 50, box["y"] - 50)  # leaving the map keeps the clicked point
    z1 = float(page.input_value("#vae-sliders input.z-value >> nth=0"))
    z2 = float(page.input_value("#vae-sliders input.z-value >> nth=1"))
    assert 1.5 < z1 < 2.7 and 1.5 < z2 < 2.7, (z1, z2)
    page.wait_for_function("""z1 => {
      const match = (document.getElementById('vae-digit').dataset.src || '').match(/z=([^,&]+)/);
      return match && Math.abs(+match[1] - z1) < 0.01;
    }""", arg=z1)


def test_drawing_a_stroke_shows_its_posterior_on_the_map(page, artifacts):
    open_panel(page, "vae", "&model=vae-2d")
    page.wait_for_selector("#map[data-ready]")
    pad = page.locator("#draw").bounding_box()
    x, y, w, h = pad["x"], pad["y"], pad["width"], pad["height"]
    page.mouse.move(x + 0.5 * w, y + 0.15 * h)  # a "1": one vertical stroke
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + (0.5 - 0.01 * i) * w, y + (0.15 + 0.07 * i) * h)
    page.mouse.up()
    page.wait_for_selector("#map[data-ellipse='1']")
    wait_drawn(page, "#draw-recon", "decode")
    assert max(digit_pixels(page, "#draw-input")) > 200
    assert max(digit_pixels(page, "#draw-recon")) > 100
    assert page.inner_text("#draw-info").startswith("q(z|x)")
    page.screenshot(path=artifacts / "panel-vae-drawing.png", full_page=True)
    page.click("#draw-clear")
    page.wait_for_selector("#map:not([data-ellipse='1'])")


def test_interpolation_scrubs_between_two_points(page):
    open_panel(page, "vae", "&model=vae-2d&z=-2,0")
    wait_drawn(page, "#vae-digit", "z=-2,0")
    page.click("#interp-a")
    page.fill("#vae-sliders input.z-value >> nth=0", "2")
    page.press("#vae-sliders input.z-value >> nth=0", "Enter")
    page.click("#interp-b")
    page.fill("#interp-t", "0.5")
    wait_drawn(page, "#vae-digit", "z=0,0")


def test_cvae_label_click_changes_the_digit(page):
    open_panel(page, "cvae")
    wait_drawn(page, "#cvae-digit", "label=3")
    before = digit_pixels(page, "#cvae-digit")
    page.click("button[aria-label='Label 7']")
    wait_drawn(page, "#cvae-digit", "label=7")
    assert page.get_attribute("button[aria-label='Label 7']", "aria-pressed") == "true"
    assert digit_pixels(page, "#cvae-digit") != before
    # The row decodes the same style under every label; the morph mixes two one-hot labels.
    wait_drawn(page, "#cvae-row figure:nth-child(10) canvas", "label=9")
    wait_drawn(page, "#morph-digit", "to_label=7")


def test_moving_x_changes_the_mixture_plot(page):
    open_panel(page, "mdn")
    page.wait_for_selector("#mdn-mix[data-x='0.5']")
    before = canvas_png(page, "#mdn-mix")
    page.fill("#mdn-x", "0.2")
    page.wait_for_selector("#mdn-mix[data-x='0.2']")
    assert canvas_png(page, "#mdn-mix") != before
    # Dragging on the heatmap moves x too.
    heat = page.locator("#mdn-heat").bounding_box()
    page.mouse.click(heat["x"] + 0.8 * heat["width"], heat["y"] + 0.5 * heat["height"])
    page.wait_for_function("() => +document.getElementById('mdn-mix').dataset.x > 0.7")


def test_dragging_the_arm_target_redraws_the_arms(page, artifacts):
    open_panel(page, "arm")
    page.wait_for_selector("#arm-table tr >> nth=6")
    before = canvas_png(page, "#arm")
    box = page.locator("#arm").bounding_box()
    to_px = lambda v: (v + 0.35) / 1.5  # noqa: E731 — the canvas shows [-0.35, 1.15] on both axes
    page.mouse.move(box["x"] + to_px(0.5) * box["width"], box["y"] + (1 - to_px(0.75)) * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + to_px(0.3) * box["width"], box["y"] + (1 - to_px(0.8)) * box["height"], steps=8)
    page.mouse.up()
    page.wait_for_function("() => document.querySelector('#arm-table caption').textContent.includes('0.30, 0.80')")
    assert canvas_png(page, "#arm") != before
    assert page.is_hidden("#arm-warning")
    # Keyboard: focus the picture and walk the target out of reach (|target| > l1 + l2 = 1).
    page.focus("#arm")
    for _ in range(8):
        page.keyboard.press("Shift+ArrowUp")
    # The warning appears at an earlier step (extrapolating) before the last one's answer arrives.
    page.wait_for_function("() => document.querySelector('#arm-warning:not([hidden])')?.textContent.includes('Out of reach')")
    page.screenshot(path=artifacts / "panel-arm-unreachable.png", full_page=True)


# Elements of the panel on screen that stick out of its box (left or right), by id or tag and class.
STICKING_OUT = """() => {
  const panel = document.querySelector('.panel:not([hidden])').getBoundingClientRect();
  return [...document.querySelectorAll('.panel:not([hidden]) *')]
    .filter((e) => e.checkVisibility() && e.getBoundingClientRect().width > 0)
    .filter((e) => { const b = e.getBoundingClientRect(); return b.right > panel.right + 0.5 || b.left < panel.left - 0.5; })
    .map((e) => e.id || `${e.tagName.toLowerCase()}.${e.className}`);
}"""


@pytest.mark.parametrize("panel", PANELS)
def test_phone_width_has_no_horizontal_scroll(browser, server_url, artifacts, panel):
    context = browser.new_context(viewport={"width": 390, "height": 800}, base_url=server_url, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_panel(page, panel)
    page.wait_for_selector(DRAWN[panel])
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    sticking_out = page.evaluate(STICKING_OUT)
    page.screenshot(path=artifacts / f"phone-{panel}.png", full_page=True)
    context.close()
    assert overflow <= 1, overflow
    assert sticking_out == []  # the model picker stuck out of the panel's border
