"""/docs in real Chromium with no internet, directly and behind a path prefix."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

PREFIX = "/explorer"


def offline_page(browser, server_url, prefix: str = ""):
    """A page that can reach only the server; with `prefix`, the server is seen at server_url + prefix,
    as behind a reverse proxy that strips it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    origin = urlsplit(server_url).netloc
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.offsite = []

    def handle(route):
        url = urlsplit(route.request.url)
        if url.netloc != origin:
            page.offsite.append(route.request.url)
            route.abort("internetdisconnected")
        elif prefix:
            if not url.path.startswith(prefix + "/"):
                page.offsite.append(route.request.url)  # escaped the prefix: a proxy would not forward it
                route.fulfill(status=404, body="outside the prefix")
            else:
                stripped = route.request.url.replace(f"{origin}{prefix}", origin, 1)
                try:
                    route.fulfill(response=route.fetch(url=stripped))
                except PlaywrightError:  # the context closed while Swagger UI still had a fetch in flight
                    pass
        else:
            route.continue_()

    page.route("**/*", handle)
    return context, page


def close(context, page) -> None:
    # Requests still being relayed must not fail after the context is gone (or in the next test).
    page.unroute_all(behavior="ignoreErrors")
    context.close()


@pytest.mark.parametrize("prefix", ["", PREFIX])
def test_swagger_ui_renders_offline(browser, server_url, prefix):
    context, page = offline_page(browser, server_url, prefix)
    page.goto(f"{server_url}{prefix}/docs")
    page.wait_for_selector(".opblock-summary-path[data-path='/api/models/{model_id}/decode']", timeout=15_000)
    assert page.locator(".opblock").count() >= 10
    page.click(".opblock-summary-path[data-path='/api/models/{model_id}/decode']")
    page.click("button.try-out__btn")
    page.select_option(".opblock.is-open select >> nth=0", "vae-2d")  # the loaded ids are offered as examples
    page.fill("input[placeholder='z']", "0.5,-1")
    page.click("button.execute")
    # "Try it out" reaches the server under the same prefix as the page.
    page.wait_for_selector(".live-responses-table .response-col_status >> text=200")
    close(context, page)
    assert page.offsite == [] and page.errors == [], (page.offsite, page.errors)


def test_explorer_works_behind_a_prefix(browser, server_url):
    context, page = offline_page(browser, server_url, PREFIX)
    page.goto(f"{server_url}{PREFIX}/?panel=vae&model=vae-2d")
    page.wait_for_selector("body[data-vae-ready]")
    page.wait_for_function("() => (document.getElementById('vae-digit').dataset.src || '').includes('z=0,0')")
    page.wait_for_selector("#map[data-ready]")
    # The decoder downloads after the first digit: its relative URL works under the prefix too.
    page.wait_for_selector("#vae-decode[data-mode=page]", timeout=30_000)
    close(context, page)
    assert page.offsite == [] and page.errors == [], (page.offsite, page.errors)
