"""The page while its server is stopped and started again: one plain "unreachable, retrying" state
that lasts as long as the outage, and every panel back by itself afterwards, without a reload."""

from __future__ import annotations

from bench.load import free_port, running_server
from tests.browser.test_explorer import wait_drawn

# What Chromium logs for requests refused while the server is down: expected here, nothing else is.
OUTAGE_NOISE = ("ERR_CONNECTION_REFUSED", "ERR_NETWORK_CHANGED")


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
        page.goto(f"{url}/?panel=vae&model=vae-2d&z=0,0")
        page.wait_for_selector("#map[data-ready]")
        wait_drawn(page, "#vae-digit", "z=0,0")
        assert page.is_hidden("#offline")

    # The server is down. Switching models loses the map; a slider drag loses the digit.
    page.select_option("#vae-model", "vae-8d")
    page.select_option("#vae-model", "vae-2d")
    page.evaluate("""() => {
      const slider = document.getElementById('vae-sliders-0');
      slider.value = '1.5';
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    }""")
    page.wait_for_selector("#offline:not([hidden])")
    assert "unreachable" in page.inner_text("#offline").lower()
    page.wait_for_selector("#vae-digit[data-stale]")  # the old digit is not passed off as z = (1.5, 0)
    # Opening panels whose code was never loaded fails while the server is down.
    page.click("#tab-mdn")
    page.click("#tab-cvae")
    page.wait_for_timeout(6_500)  # the old banner hid itself after 6 s while the server was still down
    assert page.is_visible("#offline")
    assert page.is_hidden("#panel-vae") and page.get_attribute("body", "data-cvae-ready") is None
    assert page.get_attribute("#panel-cvae", "data-waiting") == "1"  # the panel says what it waits for
    page.screenshot(path=artifacts / "outage-unreachable.png", full_page=True)

    with running_server(port=port):
        page.wait_for_selector("#offline", state="hidden", timeout=30_000)
        # The panel on screen starts by itself, without another click or a reload.
        page.wait_for_selector("body[data-cvae-ready]")
        wait_drawn(page, "#cvae-digit", "label=3")
        assert page.get_attribute("#panel-cvae", "data-waiting") is None
        page.click("#tab-vae")
        page.wait_for_selector("#map[data-ready]")
        wait_drawn(page, "#vae-digit", "z=1.5,0")
        assert page.get_attribute("#vae-digit", "data-stale") is None
        page.click("#tab-mdn")
        page.wait_for_selector("#mdn-mix[data-x='0.5']")
        page.screenshot(path=artifacts / "outage-recovered.png", full_page=True)
        context.close()
    assert not errors, errors
