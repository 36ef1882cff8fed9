"""The manifold hot path (HotPath.send_manifold) answers exactly as the FastAPI route it short-cuts,
and hands every query it does not take, errors included, to the route."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.hot_path import HotPath
from app.main import create_app
from app.security import HEADERS as SECURITY_HEADERS
from app.settings import Settings
from tests.conftest import SHIPPED

QUERIES = [
    "/api/models/vae-2d/manifold",
    "/api/models/vae-2d/manifold?n=20",
    "/api/models/vae-2d/manifold?n=5&scale=4",
    "/api/models/vae-2d/manifold?n=7&span=2",
    "/api/models/vae-2d/manifold?n=3&grid=linear",
    "/api/models/vae-2d/manifold?n=3&grid=gaussian&span=1.5",
    "/api/models/vae-8d/manifold?n=4&dims=2,5&z=0.1,0.2,0,0.3,0.4,0,0.5,0.6",
    "/api/models/vae-8d/manifold?n=4&dims=2%2C5",
    "/api/models/cvae/manifold?n=3&label=7",
    "/api/models/vae-2d/manifold?n=2&n=3",  # the last of a repeated key wins, as in FastAPI
    "/api/models/vae-2d/manifold?n=2&extra=1",
    # Handed on to the route: errors.
    "/api/models/vae-2d/manifold?n=1",
    "/api/models/vae-2d/manifold?n=41",
    "/api/models/vae-2d/manifold?n=two",
    "/api/models/vae-2d/manifold?n=40&scale=3",
    "/api/models/vae-2d/manifold?span=0",
    "/api/models/vae-2d/manifold?span=nan",
    "/api/models/vae-2d/manifold?grid=polar",
    "/api/models/vae-2d/manifold?dims=0,0",
    "/api/models/vae-2d/manifold?dims=0,2",
    "/api/models/vae-2d/manifold?z=0",
    "/api/models/vae-2d/manifold?label=1",
    "/api/models/cvae/manifold?n=3",
    "/api/models/cvae/manifold?n=3&label=99",
    "/api/models/mdn-toy/manifold",
    "/api/models/nope/manifold",
]
HEADERS = ("content-type", "content-length", "etag", "cache-control", "x-latent-grid", "x-latent-axis",
           *(name.lower() for name in SECURITY_HEADERS))


@pytest.fixture(scope="module")
def clients():
    fast = create_app(Settings(checkpoints=SHIPPED))
    slow = create_app(Settings(checkpoints=SHIPPED))
    slow.hot_path = None  # every manifold through FastAPI's route
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
    ("/api/models/vae-2d/manifold?n=4", True),
    ("/api/models/cvae/manifold?n=3&label=2&scale=2", True),
    ("/api/models/vae-2d/manifold?n=4&label=1", False),  # the route words the error
    ("/api/models/vae-2d/manifold?n=100", False),
    ("/api/models/mdn-toy/manifold", False),
])
def test_hot_path_is_taken(clients, monkeypatch, url, taken):
    """Whether the fast path sent the answer: fails if it never takes a manifold, and if it takes
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
