"""Presentation mode (issue 22): one key or button makes the panel on screen fill the screen with large
canvases and text, on a 1024 × 768 projector, a 1920 × 1080 screen and a 4K one."""

from __future__ import annotations

import pytest

from tests.browser.test_explorer import DRAWN, open_panel

# Where an element is on screen, in CSS pixels, and how many canvas pixels it has per CSS pixel.
BOX = """sel => { const e = document.querySelector(sel); const r = e.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width,
           density: e.width ? e.width / r.width : null }; }"""
# The right edge of the furthest visible thing in the panel on screen.
CONTENT_RIGHT = """() => Math.max(...[...document.querySelectorAll('.panel:not([hidden]) *')]
  .filter((e) => e.checkVisibility()).map((e) => e.getBoundingClientRect().right))"""
FONT_PX = "sel => parseFloat(getComputedStyle(document.querySelector(sel)).fontSize)"


def presenting(browser, server_url, width: int, height: int, panel: str, query: str = ""):
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=server_url)
    page = context.new_page()
    open_panel(page, panel, query)
    page.wait_for_selector(DRAWN[panel])
    page.keyboard.press("p")
    page.wait_for_selector("html[data-present]")
    page.wait_for_timeout(300)  # the canvases' resize and redraw
    return context, page


def inside(box: dict, width: int, height: int) -> bool:
    return box["left"] >= 0 and box["top"] >= 0 and box["right"] <= width and box["bottom"] <= height


def test_a_projector_at_1024_by_768_shows_the_heatmap_beside_the_mixture(browser, server_url, artifacts):
    context, page = presenting(browser, server_url, 1024, 768, "mdn")
    boxes = {sel: page.evaluate(BOX, sel) for sel in ("#mdn-heat", "#mdn-mix", "#mdn-pi", "#mdn-mu")}
    page.screenshot(path=artifacts / "presentation-1024x768.png")
    context.close()
    assert all(inside(b, 1024, 768) for b in boxes.values()), boxes  # all four plots on one screen
    assert boxes["#mdn-mix"]["left"] > boxes["#mdn-heat"]["right"]  # the mixture beside the heatmap
    assert boxes["#mdn-heat"]["width"] > 400  # larger than the 480-px plot squeezed into a laptop layout's column
    assert all(abs(b["density"] - 1) < 0.02 for b in boxes.values()), boxes  # drawn at the size shown


def test_a_1920_screen_is_used_to_its_edges(browser, server_url, artifacts):
    context, page = presenting(browser, server_url, 1920, 1080, "vae", "&model=vae-2d&z=0.6,1.1")
    map_box = page.evaluate(BOX, "#map")
    right = page.evaluate(CONTENT_RIGHT)
    text = page.evaluate(FONT_PX, "#vae-caption")
    toggles = page.evaluate(BOX, "#map-axes")
    page.screenshot(path=artifacts / "presentation-1920x1080.png")
    page.keyboard.press("Escape")  # and back to the page as it was
    page.wait_for_selector("html:not([data-present])")
    back = page.evaluate(BOX, "#map")
    context.close()
    assert map_box["width"] >= 800, map_box  # the map stayed 500 px
    assert inside(map_box, 1920, 1080) and toggles["bottom"] <= 1080  # the whole map and its switches on screen
    assert right >= 1600, right  # the content stopped at 1,140 px
    assert text >= 15, text  # captions grow with the screen (13.6 px before)
    assert abs(map_box["density"] - 1) < 0.02  # the map redrawn at its new size, not stretched
    assert back["width"] == 500


def test_a_4k_screen_gets_large_canvases_and_text(browser, server_url):
    context, page = presenting(browser, server_url, 3840, 2160, "arm")
    arm = page.evaluate(BOX, "#arm")
    table = page.evaluate(FONT_PX, "#arm-table")
    context.close()
    assert arm["width"] >= 1600 and inside(arm, 3840, 2160), arm
    assert table >= 28, table


def test_the_button_toggles_and_typing_p_in_a_box_does_not(page):
    open_panel(page, "vae", "&model=vae-8d")
    box = page.locator("#vae-sliders input.z-value >> nth=0")
    box.click()
    page.keyboard.type("p")  # a refused entry, not a command
    assert page.get_attribute("html", "data-present") is None
    page.click("#present")
    page.wait_for_selector("html[data-present]")
    assert page.get_attribute("#present", "aria-pressed") == "true"
    assert page.is_hidden("header.site")
    page.click("#present")
    page.wait_for_selector("html:not([data-present])")
    assert page.is_visible("header.site")


@pytest.mark.parametrize("panel", ["cvae", "cards"])
def test_every_panel_fills_the_screen(browser, server_url, panel):
    context, page = presenting(browser, server_url, 1920, 1080, panel)
    right = page.evaluate(CONTENT_RIGHT)
    context.close()
    assert right >= 1500, right
