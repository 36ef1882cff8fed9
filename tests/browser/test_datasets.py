"""Two image sets in one page: pickers grouped by data set, label names for people, indices for the API."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from tests.browser.test_explorer import digit_pixels, open_panel, wait_drawn

FASHION = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def picker_groups(page, selector: str) -> dict[str, list[str]]:
    """{optgroup label: [option values]} of a <select>."""
    return page.evaluate("""sel => Object.fromEntries([...document.querySelectorAll(sel + ' optgroup')]
        .map((g) => [g.label, [...g.querySelectorAll('option')].map((o) => o.value)]))""", selector)


def texts(page, selector: str, attribute: str | None = None) -> list[str]:
    nodes = page.locator(selector)
    return [nodes.nth(i).get_attribute(attribute) if attribute else nodes.nth(i).inner_text() for i in range(nodes.count())]


def test_both_pickers_group_models_by_data_set(page):
    open_panel(page, "vae")
    assert picker_groups(page, "#vae-model") == {"MNIST": ["vae-2d", "vae-8d"], "Fashion-MNIST": ["fashion-vae-2d"]}
    assert page.input_value("#vae-model") == "vae-2d"  # the default stays the MNIST 2-D map
    page.click("#tab-cvae")
    page.wait_for_selector("body[data-cvae-ready]")
    assert picker_groups(page, "#cvae-model") == {"MNIST": ["cvae"], "Fashion-MNIST": ["fashion-cvae"]}
    assert page.input_value("#cvae-model") == "cvae"


def test_cvae_switched_to_fashion_shows_names_and_decodes_trouser_as_label_1(page, artifacts):
    open_panel(page, "cvae", "&decode=server")  # the request this test reads: in-page decoding sends none
    wait_drawn(page, "#cvae-digit", "label=3")
    page.select_option("#cvae-model", "fashion-cvae")
    wait_drawn(page, "#cvae-digit", "fashion-cvae/decode")
    # One set of buttons, row figures and morph choices: the MNIST ones are replaced, not added to.
    assert texts(page, "#cvae-labels button", "aria-label") == [f"Label {name}" for name in FASHION]
    assert texts(page, "#cvae-labels button", "title") == FASHION
    assert texts(page, "#cvae-labels button")[0] == "T-shirt"  # the short name; the full one is its title
    assert texts(page, "#cvae-row figcaption")[1:] == FASHION[1:]
    assert texts(page, "#morph-a option") == FASHION
    assert page.get_attribute("#cvae-labels", "aria-label") == "Label of the item"

    before = digit_pixels(page, "#cvae-digit")
    with page.expect_request(lambda r: "/fashion-cvae/decode" in r.url and "to_label" not in r.url
                             and parse_qs(urlparse(r.url).query).get("label") == ["1"]) as request:
        page.click("button[aria-label='Label Trouser']")
    assert parse_qs(urlparse(request.value.url).query)["label"] == ["1"]  # the API gets the index
    wait_drawn(page, "#cvae-digit", "label=1")
    assert page.get_attribute("button[aria-label='Label Trouser']", "aria-pressed") == "true"
    assert page.inner_text("#cvae-caption").startswith("label Trouser, style")
    assert digit_pixels(page, "#cvae-digit") != before
    wait_drawn(page, "#cvae-row figure:nth-child(10) canvas", "label=9")
    page.wait_for_timeout(300)  # let the row and the morph strip land
    page.screenshot(path=artifacts / "panel-cvae-fashion.png", full_page=True)

    # The address bar carries the model and the label index: opening it again restores both.
    page.wait_for_url("**model=fashion-cvae*")
    page.wait_for_url("**label=1*")
    page.goto(page.url)
    page.wait_for_selector("body[data-cvae-ready]")
    assert page.input_value("#cvae-model") == "fashion-cvae"
    wait_drawn(page, "#cvae-digit", "fashion-cvae/decode")
    assert page.get_attribute("button[aria-label='Label Trouser']", "aria-pressed") == "true"

    # And back: digits again, ten buttons, no Trouser left over.
    page.select_option("#cvae-model", "cvae")
    assert texts(page, "#cvae-labels button", "aria-label") == [f"Label {d}" for d in range(10)]
    assert page.locator("#cvae-row figure").count() == 10
    assert page.get_attribute("#cvae-labels", "aria-label") == "Label of the digit"


def test_fashion_vae_map_names_its_legend_and_points(page, artifacts):
    open_panel(page, "vae", "&model=fashion-vae-2d")
    page.wait_for_selector("#map[data-ready]")
    assert page.is_visible("#map-section")
    assert texts(page, "#map-legend span") == FASHION
    # The words follow the data set: nobody is asked to draw a digit for a clothes model.
    assert page.inner_text("#vae-tools h3 >> nth=0") == "Draw an item of clothing"
    assert page.get_attribute("#vae-digit", "aria-label").startswith("Decoded item")  # then what it shows: z
    assert "digit" not in page.inner_text("#map-section figcaption")

    # Hovering a held-out Trouser's point names it.
    x, y = isolated_point(page, "fashion-vae-2d", label=1)
    page.mouse.move(x, y)
    page.wait_for_selector("#map-tip:not([hidden])")
    assert page.inner_text("#map-tip") == "Trouser"
    page.screenshot(path=artifacts / "panel-vae-fashion.png", full_page=True)
    page.mouse.move(x - 600, y)  # off the map: the tip goes
    page.wait_for_selector("#map-tip", state="hidden")


@pytest.mark.parametrize(("model", "rows"), [("vae-2d", 20), ("fashion-vae-2d", 28)])
def test_a_drawing_is_framed_like_the_models_data_set(page, artifacts, model, rows):
    """MNIST digits fill a 20-pixel box, Fashion-MNIST items the whole 28: so does the encoder's input."""
    open_panel(page, "vae", f"&model={model}")
    page.wait_for_selector("#map[data-ready]")
    pad = page.locator("#draw").bounding_box()
    x, y, w, h = pad["x"], pad["y"], pad["width"], pad["height"]
    page.mouse.move(x + 0.4 * w, y + 0.2 * h)  # a tall "∩": a trouser's outline, or a digit's stroke
    page.mouse.down()
    for fx, fy in [(0.4, 0.8), (0.45, 0.8), (0.5, 0.35), (0.55, 0.8), (0.6, 0.8), (0.6, 0.2), (0.4, 0.2)]:
        page.mouse.move(x + fx * w, y + fy * h, steps=4)
    page.mouse.up()
    wait_drawn(page, "#draw-recon", "decode")
    ink = np.array(digit_pixels(page, "#draw-input")).reshape(28, 28) > 0
    inked_rows = np.flatnonzero(ink.any(axis=1))
    assert inked_rows[-1] - inked_rows[0] + 1 == rows
    page.screenshot(path=artifacts / f"panel-vae-drawing-{model}.png", full_page=True)


def test_switching_between_2d_maps_leaves_one_set_of_handlers(page):
    open_panel(page, "vae", "&model=vae-2d")
    page.wait_for_selector("#map[data-ready]")
    for model in ["fashion-vae-2d", "vae-8d", "vae-2d", "fashion-vae-2d"]:
        page.select_option("#vae-model", model)
    page.wait_for_selector("#map[data-ready]")
    assert texts(page, "#map-legend span") == FASHION
    box = page.locator("#map").bounding_box()
    page.mouse.move(box["x"] + 0.3 * box["width"], box["y"] + 0.3 * box["height"])
    marks = lambda: page.evaluate("() => performance.getEntriesByName('z-input').length")  # noqa: E731 — one per z change
    before = marks()
    page.mouse.down()
    page.mouse.up()
    assert marks() - before == 1


def isolated_point(page, model: str, label: int) -> tuple[float, float]:
    """Page coordinates of the held-out point of `label` farthest from any other point on the map."""
    embedding = page.request.get(f"/api/models/{model}/embedding?limit=2000").json()
    axis = page.request.get(f"/api/models/{model}/manifold?n=20&grid=linear&span=4").headers["x-latent-axis"]
    centres = [float(v) for v in axis.split(",")]
    half = (centres[-1] - centres[0]) / (len(centres) - 1) / 2
    lo, hi = centres[0] - half, centres[-1] + half
    mu = np.array(embedding["mu"])
    labels = np.array(embedding["labels"])
    inside = np.all((mu > lo + 0.3) & (mu < hi - 0.3), axis=1)
    distances = np.linalg.norm(mu[:, None, :] - mu[None, :, :], axis=2)
    np.fill_diagonal(distances, np.inf)
    candidates = np.flatnonzero((labels == label) & inside)
    best = candidates[np.argmax(distances[candidates].min(axis=1))]
    box = page.locator("#map").bounding_box()
    a, b = mu[best]
    return box["x"] + (a - lo) / (hi - lo) * box["width"], box["y"] + (hi - b) / (hi - lo) * box["height"]
