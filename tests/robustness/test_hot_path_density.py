"""The density hot path (HotPath.send_density) answers exactly as the FastAPI route it short-cuts,
and hands every query it does not take, errors included, to the route."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.hot_path import HotPath
from app.main import create_app
from app.security import HEADERS as SECURITY_HEADERS
from app.settings import Settings
from tests.conftest import SHIPPED

DENSITY = "/api/models/mdn-toy/density"
QUERIES = [
    DENSITY + "?x=0.5",
    DENSITY + "?x=0.37&points=400",
    DENSITY + "?x=0.1&points=2&t_min=-1&t_max=2",
    DENSITY + "?x=1.3",  # extrapolating
    DENSITY + "?x=0.5&t_min=0.2",
    DENSITY + "?x=0.5&points=3&points=5",  # the last of a repeated key wins, as in FastAPI
    DENSITY + "?x=0.5&extra=1",
    DENSITY + "?x=%200.25",
    "/api/models/mdn-arm/density?x=0.5,0.75",
    "/api/models/mdn-arm/density?x=0.5%2C0.75&t_min=5&t_max=1",  # no t grid for a 2-D output
    "/api/models/mdn-arm/density?x=3,3",  # unreachable
    # Handed on to the route: errors.
    DENSITY,
    DENSITY + "?x=",
    DENSITY + "?x=nan",
    DENSITY + "?x=1e308",
    DENSITY + "?x=0.5,0.5",
    DENSITY + "?x=0.5&points=1",
    DENSITY + "?x=0.5&points=2001",
    DENSITY + "?x=0.5&points=two",
    DENSITY + "?x=0.5&t_min=nan",
    DENSITY + "?x=0.5&t_max=-inf",
    DENSITY + "?x=0.5&t_min=1&t_max=0",
    DENSITY + "?x=0.5&t_min=0.5&t_max=0.5",
    "/api/models/mdn-arm/density?x=0.5",
    "/api/models/vae-2d/density?x=0.5",
    "/api/models/nope/density?x=0.5",
]
HEADERS = ("content-type", "content-length", "etag", "cache-control", *(name.lower() for name in SECURITY_HEADERS))


@pytest.fixture(scope="module")
def clients():
    fast = create_app(Settings(checkpoints=SHIPPED))
    slow = create_app(Settings(checkpoints=SHIPPED))
    slow.hot_path = None  # every density through FastAPI's route
    with TestClient(fast) as f, TestClient(slow) as s:
        yield f, s


@pytest.mark.parametrize("url", QUERIES)
def test_same_answer_as_the_route(clients, url):
    fast, slow = clients
    a, b = fast.get(url), slow.get(url)
    assert a.status_code == b.status_code
    assert a.content == b.content
    assert {h: a.headers.get(h) for h in HEADERS} == {h: b.headers.get(h) for h in HEADERS}
    if a.status_code == 200:
        again, route = (c.get(url, headers={"If-None-Match": a.headers["etag"]}) for c in (fast, slow))
        assert again.status_code == route.status_code == 304 and again.content == b""
        assert {h: again.headers.get(h) for h in HEADERS} == {h: route.headers.get(h) for h in HEADERS}


@pytest.mark.parametrize(("url", "taken"), [
    (DENSITY + "?x=0.5&points=400", True),
    ("/api/models/mdn-arm/density?x=0.5,0.75", True),
    (DENSITY + "?x=0.5&points=1", False),  # the route words the error
    (DENSITY + "?x=0.5&t_min=1&t_max=0", False),
    ("/api/models/vae-2d/density?x=0.5", False),
])
def test_hot_path_is_taken(clients, monkeypatch, url, taken):
    """Whether the fast path sent the answer: fails if it never takes a density, and if it takes
    one it should leave to the route."""
    fast, _ = clients
    sent = []
    original = HotPath.__call__

    async def spy(self, scope, send):
        result = await original(self, scope, send)
        sent.append(result)
        return result

    monkeypatch.setattr(HotPath, "__call__", spy)
    r = fast.get(url)
    assert r.status_code == (200 if taken else 422)
    assert sent == [taken]
