"""Export (issue 22): the digit at a chosen size, the latent map and the plots as PNGs with a caption;
the dream walk and an interpolation as animated PNGs made in the page, with no request per frame."""

from __future__ import annotations

import shutil

import numpy as np
from PIL import Image

from tests.browser.test_explorer import digit_pixels, open_panel, wait_drawn
from tests.browser.test_page_decoder import decode_requests, wait_page_mode


def download(page, button: str, artifacts, keep_as: str) -> Image.Image:
    """Click `button` in its open Export menu and open the file it downloads (a copy kept in artifacts)."""
    menu = page.locator(button).locator("xpath=ancestor::details[1]")
    if menu.get_attribute("open") is None:
        menu.locator("summary").click()
    with page.expect_download() as info:
        page.click(button)
    path = artifacts / keep_as
    shutil.copy(info.value.path(), path)
    return Image.open(path)


def blocks(image: np.ndarray, scale: int) -> list[int]:
    """The centre pixel of each scale × scale block of a 28-block square: the digit it was scaled from."""
    return [int(v) for v in image[scale // 2::scale, scale // 2::scale][:28, :28].reshape(-1)]


def test_the_digit_and_the_map_as_captioned_pngs(page, artifacts):
    open_panel(page, "vae", "&model=vae-2d&z=0.5,-1.2")
    wait_page_mode(page, "vae")
    page.wait_for_selector("#map[data-ready]")
    wait_drawn(page, "#vae-digit", "z=0.5,-1.2")
    page.locator("#vae-export summary").click()
    page.select_option("#vae-export-size", "560")
    png = download(page, "#vae-export-digit", artifacts, "export-digit.png")
    assert png.width == 560 and png.height > 600  # the picture, then its caption
    grey = np.asarray(png.convert("L"))
    assert blocks(grey[:560], 20) == digit_pixels(page, "#vae-digit")  # nearest neighbour: every pixel as shown
    assert grey[570:].mean() > 200  # a white caption band with dark text in it
    assert grey[570:].min() < 80
    assert "vae-2d" in png.info["Title"] and "z = (0.50, -1.20)" in png.info["Description"]
    chart = download(page, "#vae-export-map", artifacts, "export-map.png")
    assert chart.width == page.evaluate("() => document.getElementById('map').width")
    assert "latent map" in chart.info["Title"]
    strips = download(page, "#vae-export-strips", artifacts, "export-strips.png")
    assert strips.height > 2 * 28 * 4  # both dimensions' rows


def test_an_interpolation_and_a_dream_walk_as_animated_pngs(page, artifacts):
    open_panel(page, "vae", "&model=vae-2d&z=2,0")
    wait_page_mode(page, "vae")
    wait_drawn(page, "#vae-digit", "z=2,0")
    b = digit_pixels(page, "#vae-digit")
    page.click("#interp-b")
    page.fill("#vae-sliders input.z-value >> nth=0", "-2")
    page.press("#vae-sliders input.z-value >> nth=0", "Enter")
    wait_drawn(page, "#vae-digit", "z=-2,0")
    a = digit_pixels(page, "#vae-digit")
    page.click("#interp-a")
    requests = decode_requests(page)
    apng = download(page, "#vae-export-interp", artifacts, "export-interpolation.png")
    assert apng.is_animated and apng.n_frames == 60  # A → B → A, 30 frames each way
    frames = []
    for i in range(apng.n_frames):
        apng.seek(i)
        frames.append(np.asarray(apng.convert("L")))
    assert blocks(frames[0][:224], 8) == a and blocks(frames[30][:224], 8) == b  # the ends, as the page drew them
    assert len({f.tobytes() for f in frames}) > 25  # it moves (and comes back the same way)
    apng.seek(15)
    apng.convert("L").save(artifacts / "export-interpolation-frame15.png")
    dream = download(page, "#vae-export-dream", artifacts, "export-dream.png")
    assert dream.is_animated and dream.n_frames == 96
    dream.seek(0)
    assert blocks(np.asarray(dream.convert("L"))[:224], 8) == a  # the walk starts at the z on screen
    assert requests == []  # every frame decoded in the page


def test_each_mdn_plot_as_a_png(page, artifacts):
    open_panel(page, "mdn", "&x=0.3")
    page.wait_for_selector("#mdn-mix[data-x='0.3']")
    for which, words in [("heat", "p(t|x)"), ("mix", "x = 0.300"), ("pi", "πₖ"), ("mu", "μₖ")]:
        png = download(page, f"#mdn-export-{which}", artifacts, f"export-mdn-{which}.png")
        assert png.width == page.evaluate(f"() => document.getElementById('mdn-{which}').width")
        assert words in png.info["Description"], png.info


def test_a_cvae_label_morph_as_an_animated_png(page, artifacts):
    open_panel(page, "cvae", "&label=3")
    wait_page_mode(page, "cvae")
    page.select_option("#morph-a", "1")
    page.select_option("#morph-b", "7")
    requests = decode_requests(page)
    apng = download(page, "#cvae-export-morph", artifacts, "export-cvae-morph.png")
    assert apng.is_animated and apng.n_frames == 60
    apng.seek(0)
    first = np.asarray(apng.convert("L"))
    apng.seek(30)
    middle = np.asarray(apng.convert("L"))
    wait_drawn(page, "#morph-strip canvas:nth-child(9)", "to_label=7&morph=1")
    assert blocks(first[:224], 8) == digit_pixels(page, "#morph-strip canvas:nth-child(1)")  # the 1 …
    assert blocks(middle[:224], 8) == digit_pixels(page, "#morph-strip canvas:nth-child(9)")  # … turned into a 7
    assert "morph 1 to 7" in apng.info["Title"]
    assert requests == []
