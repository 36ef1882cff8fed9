"""The decoder run in the page (static/js/decoder.js): it agrees with the server's PNGs, it sends no
decode request while sliders, dreams and interpolations move, it steps aside when it cannot be
trusted, and it never delays the first paint.

`python -m pytest tests/browser/test_page_decoder.py -q -s` also prints, and writes to
test-artifacts/, the slider-to-pixels latency of both modes (same run), the dream's frame rate and
each decoder's download size and time. Those figures are reported, not asserted: the machine is shared."""

from __future__ import annotations

import io
import json

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.browser.test_explorer import digit_pixels, open_panel, wait_drawn
from tests.browser.test_latency import percentile

AGREEMENT_POINTS = 200

# The page's own modules, wherever main.js is served from (static URLs may carry a version).
MODULE = "name => import(new URL(name, document.querySelector('script[type=module]').src).href)"


def digit_models(server_url: str) -> list[dict]:
    return [m for m in httpx.get(f"{server_url}/api/models").json() if m["kind"] in ("vae", "cvae")]


def wait_page_mode(page, panel: str) -> None:
    page.wait_for_selector(f"#{panel}-decode[data-mode=page]", timeout=30_000)


def random_queries(model: dict, rng: np.random.Generator) -> list[dict]:
    """Decode queries as the panels send them: z with 3 decimals over the sliders' range and beyond,
    and for a CVAE every label, half of them morphing towards another."""
    labels = model.get("labels") or []
    queries = []
    for k in range(AGREEMENT_POINTS):
        query: dict = {"z": [str(round(float(v), 3)) for v in rng.normal(0, 1.5, model["latent_dim"])]}
        if labels:
            query["label"] = labels[k % len(labels)]
            if k % 2:
                query["to_label"] = int(rng.choice(labels))
                query["morph"] = round(float(rng.uniform()), 2)
        queries.append(query)
    return queries


PAGE_GREY = """async ([model, queries]) => {
  const { PageDecoder, parseSafetensors } = window.decoderModule;
  const response = await fetch(`api/models/${model.id}/decoder?version=${model.decoder.version}`);
  const decoder = new PageDecoder(model.decoder, parseSafetensors(await response.arrayBuffer()), model.labels || []);
  return queries.map((q) => Array.from(decoder.grey(q.z.map(Number),
    decoder.labelWeights(q.label ?? null, q.to_label ?? null, Number(q.morph ?? 0)))));
}"""


def test_page_decoder_agrees_with_the_server_on_random_points(page, server_url, artifacts):
    """200 random z per shipped VAE/CVAE (labels and morphs too): every pixel within ±1 grey level."""
    page.goto("/?panel=cards")
    page.wait_for_selector("body[data-cards-ready]")
    page.evaluate(f"async () => {{ window.decoderModule = await ({MODULE})('decoder.js'); }}")
    rng = np.random.default_rng(10)
    report = {}
    for model in digit_models(server_url):
        queries = random_queries(model, rng)
        grey = np.array(page.evaluate(PAGE_GREY, [model, queries]))
        server = []
        with httpx.Client(base_url=server_url) as http:
            for q in queries:
                params = {**q, "z": ",".join(q["z"])}
                r = http.get(f"/api/models/{model['id']}/decode", params=params)
                assert r.status_code == 200, r.text
                server.append(np.asarray(Image.open(io.BytesIO(r.content))).reshape(-1))
        diff = np.abs(grey.astype(int) - np.array(server, dtype=int))
        report[model["id"]] = {"points": len(queries), "max_grey_diff": int(diff.max()),
                               "pixels_off_by_one": int((diff == 1).sum()), "pixels": int(diff.size)}
    (artifacts / "page-decoder-agreement.json").write_text(json.dumps(report, indent=2))
    print("\nagreement page vs server:", json.dumps(report))
    assert report, "no VAE/CVAE is served"
    for model_id, figures in report.items():
        assert figures["max_grey_diff"] <= 1, (model_id, figures)


def decode_requests(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if "/decode?" in r.url else None)
    return seen


def test_page_mode_sends_no_decode_request_while_things_move(page, artifacts):
    open_panel(page, "vae", "&model=vae-2d&z=0,0")
    wait_page_mode(page, "vae")
    page.wait_for_selector("#map[data-ready]")
    requests = decode_requests(page)
    before = digit_pixels(page, "#vae-digit")
    # Sliders, as a drag fires them.
    page.evaluate("""() => {
      const slider = document.getElementById('vae-sliders-0');
      for (let i = 0; i <= 100; i++) {
        slider.value = (-2 + i * 0.04).toFixed(2);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }""")
    wait_drawn(page, "#vae-digit", "z=2,0")
    assert page.get_attribute("#vae-digit", "data-decoded-by") == "page"
    assert digit_pixels(page, "#vae-digit") != before
    # Hovering the latent map.
    box = page.locator("#map").bounding_box()
    for i in range(10):
        page.mouse.move(box["x"] + (0.2 + 0.06 * i) * box["width"], box["y"] + 0.3 * box["height"])
    # Interpolation.
    page.click("#interp-a")
    page.fill("#vae-sliders input.z-value >> nth=0", "-2")
    page.press("#vae-sliders input.z-value >> nth=0", "Enter")
    page.click("#interp-b")
    for t in ("0.25", "0.5", "0.75"):
        page.fill("#interp-t", t)
    # Dream, at the display's frame rate: count frames drawn against animation frames.
    page.check("#vae-dream")
    dream = page.evaluate("""() => new Promise((resolve) => {
      const canvas = document.getElementById('vae-digit');
      let drawn = 0, frames = 0;
      const count = () => { drawn++; };
      canvas.addEventListener('drawn', count);
      const t0 = performance.now();
      const tick = (now) => {
        frames++;
        if (now - t0 < 2000) return requestAnimationFrame(tick);
        canvas.removeEventListener('drawn', count);
        resolve({ seconds: (now - t0) / 1000, animation_frames: frames, digits_drawn: drawn });
      };
      requestAnimationFrame(tick);
    })""")
    page.uncheck("#vae-dream")
    dream["requests"] = len(requests)
    (artifacts / "page-decoder-dream.json").write_text(json.dumps(dream, indent=2))
    print("\ndream in page mode:", dream)
    assert requests == [], requests[:5]
    assert dream["digits_drawn"] >= 0.5 * dream["animation_frames"], dream  # not a frozen digit

    # The CVAE: style sliders, labels and the label morph.
    page.click("#tab-cvae")
    wait_page_mode(page, "cvae")
    page.wait_for_timeout(100)  # the small views' frame
    requests.clear()
    page.evaluate("""() => {
      const slider = document.getElementById('cvae-sliders-1');
      for (let i = 0; i <= 50; i++) {
        slider.value = (i * 0.04).toFixed(2);
        slider.dispatchEvent(new Event('input', { bubbles: true }));
      }
    }""")
    page.click("button[aria-label='Label 8']")
    page.fill("#morph-t", "0.3")
    wait_drawn(page, "#morph-digit", "morph=0.3")
    wait_drawn(page, "#cvae-row figure:nth-child(10) canvas", "z=0,2,0,0&label=9")
    wait_drawn(page, "#morph-strip canvas:nth-child(9)", "z=0,2,0,0")
    assert page.get_attribute("#cvae-row figure:nth-child(10) canvas", "data-decoded-by") == "page"
    assert requests == [], requests[:5]

    # Another CVAE: its own decoder is fetched and checked, then the same holds.
    page.select_option("#cvae-model", "fashion-cvae")
    page.wait_for_selector("#cvae-decode[data-mode=page]", timeout=30_000)
    requests.clear()
    page.fill("#cvae-sliders input.z-value >> nth=0", "-1.5")
    page.press("#cvae-sliders input.z-value >> nth=0", "Enter")
    wait_drawn(page, "#cvae-digit", "api/models/fashion-cvae/decode?z=-1.5,")
    assert page.get_attribute("#cvae-digit", "data-decoded-by") == "page"
    assert requests == [], requests[:5]


MEASURE = """async ([slider, canvas, steps, offset, suffix]) => {
  const input = document.getElementById(slider);
  const view = document.getElementById(canvas);
  const durations = [];
  for (let i = 0; i < steps; i++) {
    const value = (-2.5 + offset + i * 0.05).toFixed(2);
    // Timed at the digit's "drawn" event: the moment its pixels are on the canvas, in either mode.
    const drawn = new Promise((resolve) => {
      const check = (e) => {
        if (!e.detail.url.includes(`z=${+value}${suffix}`)) return;
        view.removeEventListener('drawn', check);
        resolve(performance.now());
      };
      view.addEventListener('drawn', check);
    });
    const t0 = performance.now();
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    durations.push((await drawn) - t0);
  }
  return durations;
}"""

PANELS = {  # panel → (query, first slider, digit canvas, what follows z's first value in the URL)
    "vae-2d": ("vae", "&model=vae-2d&z=0,0", "vae-sliders-0", "vae-digit", ",0"),
    "cvae": ("cvae", "", "cvae-sliders-0", "cvae-digit", ",0,0,0&label=3"),
}


def test_slider_to_pixels_in_both_modes(page, artifacts):
    """100 fresh slider steps decoded in the page, then 100 other fresh steps on the server, per panel."""
    table = {}
    for name, (panel, query, slider, canvas, suffix) in PANELS.items():
        open_panel(page, panel, query)
        wait_page_mode(page, panel)
        in_page = page.evaluate(MEASURE, [slider, canvas, 100, 0.01, suffix])
        page.check(f"#{panel}-decode input[value=server]")
        page.wait_for_selector(f"#{panel}-decode[data-mode=server]")
        on_server = page.evaluate(MEASURE, [slider, canvas, 100, 0.02, suffix])
        assert page.get_attribute(f"#{canvas}", "data-decoded-by") == "server"
        page.check(f"#{panel}-decode input[value=page]")  # the mode is the page's: leave it as found
        table[name] = {mode: {"p50": percentile(d, 0.5), "p95": percentile(d, 0.95), "max": max(d)}
                       for mode, d in (("page", in_page), ("server", on_server))}
    (artifacts / "page-decoder-latency.json").write_text(json.dumps(table, indent=2))
    print("\nslider→pixels over 100 steps (ms)")
    for name, modes in table.items():
        print(f"  {name:7} page p50 {modes['page']['p50']:6.2f} p95 {modes['page']['p95']:6.2f}   "
              f"server p50 {modes['server']['p50']:6.2f} p95 {modes['server']['p95']:6.2f}")


DOWNLOAD = """async (model) => {
  const url = `api/models/${model.id}/decoder?version=${model.decoder.version}`;
  const t0 = performance.now();
  const bytes = (await (await fetch(url)).arrayBuffer()).byteLength;
  const ms = performance.now() - t0;
  const t1 = performance.now();
  await (await fetch(url)).arrayBuffer();
  const again_ms = performance.now() - t1;
  const entries = performance.getEntriesByName(new URL(url, document.baseURI).href);
  return { bytes, ms, again_ms, again_transfer_bytes: entries.length > 1 ? entries.at(-1).transferSize : null };
}"""


def test_decoder_download_size_and_time(browser, server_url, artifacts):
    """Each decoder fetched cold in a fresh browser profile, then again (the immutable cache answers)."""
    report = {}
    for model in digit_models(server_url):
        context = browser.new_context(base_url=server_url)
        page = context.new_page()
        page.goto("/?panel=cards")
        report[model["id"]] = page.evaluate(DOWNLOAD, model)
        context.close()
        assert report[model["id"]]["bytes"] == model["decoder"]["bytes"]
    (artifacts / "page-decoder-download.json").write_text(json.dumps(report, indent=2))
    print("\ndecoder downloads:", json.dumps(report))


def test_first_paint_does_not_wait_for_the_decoder(page):
    downloads = HeldDownloads(page)
    open_panel(page, "vae", "&model=vae-2d&z=0.5,0.5")
    wait_drawn(page, "#vae-digit", "z=0.5,0.5")  # drawn by the server while the download is held
    assert page.get_attribute("#vae-digit", "data-decoded-by") == "server"
    assert page.get_attribute("#vae-decode", "data-state") == "loading"
    downloads.release()
    wait_page_mode(page, "vae")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_decoder_arriving_does_not_move_the_page(browser, server_url, width):
    """The status line keeps its height from "loading" to "ready": on a phone the longer loading note
    once wrapped to two lines, and the line shrinking under a finger dragging the map scrolled the page."""
    context = browser.new_context(viewport={"width": width, "height": 844}, base_url=server_url)
    page = context.new_page()
    downloads = HeldDownloads(page)
    open_panel(page, "vae", "&model=vae-2d&z=0,0")
    page.wait_for_selector("#vae-decode[data-state=loading]")
    loading = page.locator("#vae-decode").bounding_box()
    map_top = page.locator("#map").bounding_box()["y"]
    downloads.release()
    wait_page_mode(page, "vae")
    # Within a pixel: subpixel rounding of the new text's line box (it was 50 px when the note wrapped).
    assert abs(page.locator("#vae-decode").bounding_box()["height"] - loading["height"]) <= 1
    assert abs(page.locator("#map").bounding_box()["y"] - map_top) <= 1
    context.close()


class HeldDownloads:
    """Holds the page's decoder downloads until release(); any asked for after it go straight through.

    The status reads "loading" before the request reaches the network, so a test that released only
    the routes held so far could miss the download and wait for it forever (seen once in CI)."""

    def __init__(self, page):
        self.held = []
        self.released = False
        page.route("**/decoder?*", self._hold)

    def _hold(self, route):
        if self.released:
            route.continue_()
        else:
            self.held.append(route)

    def release(self):
        self.released = True
        for route in self.held:
            route.continue_()


def corrupt_weights(route):
    """The real file with the output layer's bias shifted: readable, but wrong."""
    body = bytearray(route.fetch().body())
    header_length = int.from_bytes(body[:8], "little")
    header = json.loads(body[8:8 + header_length])
    name = max((k for k in header if k.endswith(".bias")), key=lambda k: int(k.split(".")[0]))
    begin, end = header[name]["data_offsets"]
    start = 8 + header_length
    bias = np.frombuffer(bytes(body[start + begin:start + end]), dtype="<f4") + np.float32(0.5)
    body[start + begin:start + end] = bias.astype("<f4").tobytes()
    route.fulfill(status=200, body=bytes(body), content_type="application/octet-stream")


@pytest.mark.parametrize("tamper, words", [
    (corrupt_weights, "differs from the server"),
    (lambda route: route.fulfill(status=200, body=b"not a safetensors file", content_type="application/octet-stream"),
     "could not be read"),
])
def test_a_decoder_that_cannot_be_trusted_leaves_the_server_in_charge(page, tamper, words):
    page.route("**/decoder?*", tamper)
    open_panel(page, "vae", "&model=vae-2d&z=0,0")
    page.wait_for_selector("#vae-decode[data-state=failed]", timeout=30_000)
    assert page.get_attribute("#vae-decode", "data-mode") == "server"
    note = page.inner_text("#vae-decode")
    assert "Decoding on the server" in note and words in note, note
    assert page.is_disabled("#vae-decode input[value=page]") and page.is_checked("#vae-decode input[value=server]")
    requests = decode_requests(page)
    page.fill("#vae-sliders input.z-value >> nth=0", "1.5")
    page.press("#vae-sliders input.z-value >> nth=0", "Enter")
    wait_drawn(page, "#vae-digit", "z=1.5,0")
    assert page.get_attribute("#vae-digit", "data-decoded-by") == "server"
    assert any("z=1.5,0" in url for url in requests)


def test_a_failed_download_is_tried_again_when_the_model_is_picked_again(page):
    """A download that failed once (a blip, a restart) is not remembered as final: picking another
    model and coming back fetches the weights again, and the page decodes once they check out."""
    failures = []

    def fail_first_vae_2d(route):
        if "/vae-2d/" in route.request.url and not failures:
            failures.append(route.request.url)
            route.fulfill(status=503, body="busy", content_type="text/plain")
        else:
            route.continue_()

    page.route("**/decoder?*", fail_first_vae_2d)
    open_panel(page, "vae", "&model=vae-2d&z=0,0")
    page.wait_for_selector("#vae-decode[data-state=failed]", timeout=30_000)
    assert "HTTP 503" in page.inner_text("#vae-decode")
    page.select_option("#vae-model", "vae-8d")
    page.select_option("#vae-model", "vae-2d")
    wait_page_mode(page, "vae")
    assert len(failures) == 1
    assert not page.is_disabled("#vae-decode input[value=page]")
    page.errors[:] = [e for e in page.errors if "503" not in e]  # the failure this test staged


def test_the_mode_is_part_of_the_share_link(page):
    downloads: list[str] = []
    page.on("request", lambda r: downloads.append(r.url) if "/decoder?" in r.url else None)
    open_panel(page, "vae", "&model=vae-2d&z=1,1&decode=server")
    wait_drawn(page, "#vae-digit", "z=1,1")
    page.wait_for_timeout(500)
    assert page.get_attribute("#vae-decode", "data-mode") == "server"  # the link said so
    assert page.is_checked("#vae-decode input[value=server]")
    assert downloads == [], downloads  # on the server, nothing is fetched that would not be used
    page.check("#vae-decode input[value=page]")
    page.wait_for_selector("#vae-decode[data-mode=page]")
    page.wait_for_url("**decode=page*")
    assert page.get_attribute("#vae-digit", "data-decoded-by") == "page"  # redrawn at once
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("#vae-share")
    page.wait_for_url("**panel=vae*")
    assert "decode=page" in page.url and "z=1%2C1" in page.url


def test_what_a_person_sees_while_dragging_in_page_mode(page, artifacts):
    open_panel(page, "vae", "&model=vae-2d&z=-2,0")
    wait_page_mode(page, "vae")
    page.wait_for_selector("#map[data-ready]")
    thumb = page.locator("#vae-sliders-0").bounding_box()
    y = thumb["y"] + thumb["height"] / 2
    page.mouse.move(thumb["x"] + 0.17 * thumb["width"], y)
    page.mouse.down()
    page.mouse.move(thumb["x"] + 0.75 * thumb["width"], y, steps=25)
    page.screenshot(path=artifacts / "page-decoder-drag.png")  # mid-drag: the button is still down
    page.mouse.up()
    assert page.get_attribute("#vae-digit", "data-decoded-by") == "page"
    assert "in the page" in page.inner_text("#vae-decode output")


def test_what_a_person_sees_in_the_cvae_panel_in_page_mode(page, artifacts):
    open_panel(page, "cvae")
    wait_page_mode(page, "cvae")
    thumb = page.locator("#cvae-sliders-1").bounding_box()
    y = thumb["y"] + thumb["height"] / 2
    page.mouse.move(thumb["x"] + 0.5 * thumb["width"], y)
    page.mouse.down()
    page.mouse.move(thumb["x"] + 0.8 * thumb["width"], y, steps=15)
    page.mouse.up()
    wait_drawn(page, "#cvae-row figure:nth-child(10) canvas", "&label=9")
    page.wait_for_timeout(100)  # the small views' frame
    page.screenshot(path=artifacts / "page-decoder-cvae.png", full_page=True)
    for canvas in ("#cvae-digit", "#cvae-row figure:nth-child(10) canvas", "#morph-strip canvas:nth-child(9)"):
        assert page.get_attribute(canvas, "data-decoded-by") == "page", canvas
    assert "in the page" in page.inner_text("#cvae-decode output")
