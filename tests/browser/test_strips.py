"""Traversal strips (issue 22): a row of decodes per latent dimension from −3 to +3 around the current
z, redrawn by the page's decoder as any slider moves; for the CVAE also a row across the labels."""

from __future__ import annotations

import json

from tests.browser.test_explorer import digit_pixels, open_panel, wait_drawn
from tests.browser.test_page_decoder import decode_requests, wait_page_mode

# The red channel of cell k of strip row `row` (0-based) in the strips box `box`.
CELL = """([box, row, k]) => {
  const canvas = document.querySelectorAll(`${box} canvas.strip`)[row];
  return Array.from(canvas.getContext('2d').getImageData(28 * k, 0, 28, 28).data).filter((_, i) => i % 4 === 0);
}"""
ROWS = """box => [...document.querySelectorAll(`${box} canvas.strip`)]
  .map((c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, 28).data).filter((_, i) => i % 4 === 0))"""


def wait_strips(page, box: str, z: str) -> None:
    page.wait_for_selector(f"{box}[data-z='{z}']")


def set_box(page, panel: str, i: int, value: str) -> None:
    page.fill(f"#{panel}-sliders input.z-value >> nth={i}", value)
    page.press(f"#{panel}-sliders input.z-value >> nth={i}", "Enter")


def test_each_row_shows_one_dimension_and_follows_the_others(page, artifacts):
    open_panel(page, "vae", "&model=vae-8d&z=0,0,0,0,0,0,0,0")
    wait_page_mode(page, "vae")
    wait_strips(page, "#vae-strips", "0,0,0,0,0,0,0,0")
    assert page.locator("#vae-strips canvas.strip").count() == 8
    digit = digit_pixels(page, "#vae-digit")
    # Column 4 is the value 0: at z = 0 every row shows the digit on screen there.
    for row in range(8):
        assert page.evaluate(CELL, ["#vae-strips", row, 4]) == digit, row
    before = page.evaluate(ROWS, "#vae-strips")
    requests = decode_requests(page)
    set_box(page, "vae", 2, "1.5")
    wait_strips(page, "#vae-strips", "0,0,1.5,0,0,0,0,0")
    after = page.evaluate(ROWS, "#vae-strips")
    assert after[2] == before[2]  # z₃'s own row does not depend on z₃…
    assert all(after[r] != before[r] for r in range(8) if r != 2)  # …every other row moved with it
    assert requests == []  # drawn in the page
    page.screenshot(path=artifacts / "strips-vae-8d.png", full_page=True)
    # A click on a cell moves z there: z₅'s last cell is +3.
    strip = page.locator("#vae-strips canvas.strip >> nth=4").bounding_box()
    page.mouse.click(strip["x"] + strip["width"] * (8.5 / 9), strip["y"] + strip["height"] / 2)
    wait_drawn(page, "#vae-digit", "z=0,0,1.5,0,3,0,0,0")


def test_cvae_strips_run_across_styles_and_labels(page):
    open_panel(page, "cvae", "&z=0,0,0,0&label=3")
    wait_page_mode(page, "cvae")
    wait_strips(page, "#cvae-strips", "0,0,0,0")
    assert page.locator("#cvae-strips canvas.strip").count() == 5  # four style dimensions, then the labels
    digit = digit_pixels(page, "#cvae-digit")
    assert page.evaluate(CELL, ["#cvae-strips", 0, 4]) == digit
    assert page.evaluate(CELL, ["#cvae-strips", 4, 3]) == digit  # the label row's 3 is the digit on screen
    labels = page.locator("#cvae-strips canvas.strip >> nth=4").bounding_box()
    page.mouse.click(labels["x"] + labels["width"] * (7.5 / 10), labels["y"] + labels["height"] / 2)
    wait_drawn(page, "#cvae-digit", "label=7")
    assert page.get_attribute("button[aria-label='Label 7']", "aria-pressed") == "true"
    assert page.evaluate(CELL, ["#cvae-strips", 0, 4]) == digit_pixels(page, "#cvae-digit")


# Drags slider `id` for `ms` milliseconds, one input per animation frame, and counts the frames in
# which the element `watch` announced a full redraw ("drawn").
DRAG_AND_COUNT = """async ([id, watch, ms]) => {
  const slider = document.getElementById(id);
  const target = document.querySelector(watch);
  let drawn = 0, inputs = 0;
  const count = () => { drawn++; };
  target.addEventListener('drawn', count);
  const t0 = performance.now();
  await new Promise((done) => {
    const step = (now) => {
      const t = (now - t0) / ms;
      slider.value = (-2 + 4 * Math.min(1, t)).toFixed(2);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      inputs++;
      if (t < 1) requestAnimationFrame(step); else done();
    };
    requestAnimationFrame(step);
  });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  target.removeEventListener('drawn', count);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, inputs, redraws: drawn, redraws_per_second: drawn / seconds };
}"""


def test_strips_frame_rate_while_dragging(page, artifacts):
    """The strips' redraws per second while a slider is dragged: recorded as an artefact, not asserted."""
    report = {}
    for name, (panel, query) in {"vae-8d": ("vae", "&model=vae-8d"), "vae-2d": ("vae", "&model=vae-2d"),
                                 "cvae": ("cvae", "")}.items():
        open_panel(page, panel, query)
        wait_page_mode(page, panel)
        page.wait_for_selector(f"#{panel}-strips[data-state=drawn]")
        report[name] = page.evaluate(DRAG_AND_COUNT, [f"{panel}-sliders-0", f"#{panel}-strips", 2000])
        wait_strips(page, f"#{panel}-strips", page.get_attribute(f"#{panel}-strips", "data-z"))
        assert report[name]["redraws"] >= 1, report  # the strips followed the drag
        assert page.get_attribute(f"#{panel}-strips", "data-z").startswith("2,")  # and ended on its last value
    (artifacts / "strips-frame-rate.json").write_text(json.dumps(report, indent=2))
    print("\nstrips while dragging:", json.dumps(report))
