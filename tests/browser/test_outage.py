"""The page while its server is stopped and started again: one plain "unreachable, retrying" state
that lasts as long as the outage, and every panel back by itself afterwards, without a reload."""

from __future__ import annotations

from bench.load import free_port, running_server
from tests.browser.test_explorer import wait_drawn
from tests.browser.test_in_use import draw_stroke

# What Chromium logs for requests refused while the server is down: expected here, nothing else is.
OUTAGE_NOISE = ("ERR_CONNECTION_REFUSED", "ERR_NETWORK_CHANGED")

# Every text the alert line (#error) shows, kept in the page: the old page said "Request failed:
# Failed to fetch" there for 6 s, then nothing, while the server was still down.
RECORD_ALERTS = """() => {
  window.alerts = [];
  new MutationObserver(() => { const box = document.getElementById('error');
    if (!box.hidden) window.alerts.push(box.textContent); })
    .observe(document.getElementById('error'), { childList: true, characterData: true, subtree: true, attributes: true });
}"""


def drag_slider(page, value: str) -> None:
    page.evaluate("""v => {
      const slider = document.getElementById('vae-sliders-0');
      slider.value = v;
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    }""", value)


def test_panels_recover_by_themselves_after_an_outage(browser, artifacts):
    port = free_port()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and not any(
        n in m.text for n in OUTAGE_NOISE) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    with running_server(port=port) as url:
        # decode=server: each slider step asks the server (in-page decoding would need no server at all).
        page.goto(f"{url}/?panel=vae&model=vae-2d&z=0,0&decode=server")
        page.wait_for_selector("#map[data-ready]")
        wait_drawn(page, "#vae-digit", "z=0,0")
        assert page.is_hidden("#offline")
        page.evaluate(RECORD_ALERTS)

    # The server is down. A slider drag cannot be drawn: the page says why, and does not pass the
    # old digit off as the new z (the sliders said z₁ = 1.5 over the digit of z = (0, 0)).
    drag_slider(page, "1.2")
    drag_slider(page, "1.5")
    page.wait_for_selector("#offline:not([hidden])")
    assert "unreachable" in page.inner_text("#offline").lower()
    page.wait_for_selector("#vae-digit[data-stale]")
    assert page.get_attribute("#vae-digit", "data-src").endswith("z=0,0")
    assert page.inner_text("#vae-caption") == "z = (1.50, 0.00)"
    assert float(page.eval_on_selector("#vae-digit", "c => getComputedStyle(c).opacity")) < 0.5  # visibly faded
    assert "waiting for the server" in page.eval_on_selector("#vae-caption", "c => getComputedStyle(c, '::after').content")
    page.screenshot(path=artifacts / "outage-unreachable.png")
    # Switching models loses the map's picture and points (they are fetched anew).
    page.select_option("#vae-model", "vae-8d")
    page.select_option("#vae-model", "vae-2d")
    drag_slider(page, "1.5")
    # Opening panels whose code was never loaded fails while the server is down.
    for panel in ["mdn", "arm", "cards", "cvae"]:
        page.click(f"#tab-{panel}")
    page.wait_for_selector("#panel-cvae[data-waiting='1']")  # the panel says what it waits for
    page.wait_for_timeout(6_500)  # the old banner hid itself after 6 s while the server was still down
    assert page.is_visible("#offline")
    assert page.is_hidden("#panel-vae") and page.get_attribute("body", "data-cvae-ready") is None
    assert page.evaluate("() => window.alerts") == []  # no "Request failed: Failed to fetch"
    page.screenshot(path=artifacts / "outage-waiting-panel.png", full_page=True)

    with running_server(port=port):
        page.wait_for_selector("#offline", state="hidden", timeout=30_000)
        # The panel on screen starts by itself, without another click or a reload.
        page.wait_for_selector("body[data-cvae-ready]")
        wait_drawn(page, "#cvae-digit", "label=3")
        assert page.get_attribute("#panel-cvae", "data-waiting") is None
        page.click("#tab-vae")
        page.wait_for_selector("#map[data-ready]")  # the new model's map, fetched after the outage
        wait_drawn(page, "#vae-digit", "z=1.5,0")
        assert page.get_attribute("#vae-digit", "data-stale") is None
        # The panels whose code failed to load are opened again: the import is retried.
        page.click("#tab-mdn")
        page.wait_for_selector("#mdn-mix[data-x='0.5']")
        page.click("#tab-arm")
        page.wait_for_selector("#arm-table tr >> nth=6")
        page.click("#tab-cards")
        page.wait_for_selector("#card-vae-2d")
        assert page.locator("[data-waiting]").count() == 0
        assert page.evaluate("() => window.alerts") == []
        page.screenshot(path=artifacts / "outage-recovered.png", full_page=True)
        context.close()
    assert not errors, errors


def test_a_panel_from_another_deploy_asks_for_a_reload(page):
    """The server answers but no longer has this page's version of a module (it was redeployed):
    the page says to reload instead of calling the server unreachable."""
    page.goto("/?panel=vae&model=vae-2d")
    page.wait_for_selector("body[data-vae-ready]")
    page.route("**/js/cvae.js", lambda route: route.fulfill(status=404, body="not in this deploy"))
    page.click("#tab-cvae")
    page.wait_for_selector("#error:not([hidden])")
    assert "Reload the page" in page.inner_text("#error")
    assert page.is_hidden("#offline")
    # The 404 is the point here (Chromium logs it without its URL).
    page.errors[:] = [e for e in page.errors if "cvae.js" not in e and "status of 404" not in e]


def outage_page(browser):
    """A page whose console may show the refused requests of an outage, and nothing else."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" and not any(
        n in m.text for n in OUTAGE_NOISE) else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return context, page


def test_page_decoding_comes_back_after_an_outage(browser):
    """Stop the server, switch the VAE model, start it again: the new model's decoder downloads once
    the server answers, and the page decodes again (it stayed "off because Failed to fetch")."""
    port = free_port()
    context, page = outage_page(browser)
    with running_server(port=port) as url:
        page.goto(f"{url}/?panel=vae&model=vae-2d&z=0,0")
        page.wait_for_selector("#vae-decode[data-mode=page]", timeout=30_000)
    page.select_option("#vae-model", "vae-8d")  # its decoder is not in the page yet
    page.wait_for_selector("#offline:not([hidden])")
    page.wait_for_timeout(4_000)  # past the 3 s after which the download starts even without a first digit
    assert "off because" not in page.inner_text("#vae-decode")  # an outage is not a verdict on the decoder
    with running_server(port=port):
        page.wait_for_selector("#offline", state="hidden", timeout=30_000)
        page.wait_for_selector("#vae-decode[data-mode=page]", timeout=30_000)
        assert not page.is_disabled("#vae-decode input[value=page]")
        page.fill("#vae-sliders input.z-value >> nth=2", "1.5")
        page.press("#vae-sliders input.z-value >> nth=2", "Enter")
        wait_drawn(page, "#vae-digit", "z=0,0,1.5,0")
        assert page.get_attribute("#vae-digit", "data-decoded-by") == "page"
        context.close()
    assert not page.errors, page.errors


def test_a_drawing_made_during_an_outage_is_encoded_when_the_server_returns(browser, artifacts):
    port = free_port()
    context, page = outage_page(browser)
    with running_server(port=port) as url:
        page.goto(f"{url}/?panel=vae&model=vae-2d&z=0,0")
        page.wait_for_selector("#map[data-ready]")
    draw_stroke(page)
    # Said in the pad's own line, where the reconstruction would be (it was lost without a word).
    page.wait_for_function("() => document.getElementById('draw-info').textContent.includes('waiting for the server')")
    page.screenshot(path=artifacts / "outage-drawing-waits.png")
    with running_server(port=port):
        page.wait_for_selector("#map[data-ellipse='1']", timeout=30_000)
        wait_drawn(page, "#draw-recon", "decode")
        assert page.inner_text("#draw-info").startswith("q(z|x)")
        context.close()
    assert not page.errors, page.errors
