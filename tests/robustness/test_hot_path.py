"""The hot paths (app.hot_path: decode, manifold, density) answer exactly as the FastAPI routes they
short-cut, 304s included, and hand every query they do not take, errors included, to the route."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from app.hot_path import HotPath, query_pairs
from app.kind import FastAnswer
from app.main import create_app
from app.security import HEADERS as SECURITY_HEADERS
from app.settings import Settings
from tests.conftest import SHIPPED

DECODES = [
    "/api/models/vae-2d/decode?z=0.5,-1.2",
    "/api/models/vae-2d/decode?z=0.5%2C-1.2&scale=3",
    "/api/models/vae-2d/decode?scale=2&z=-3,3&format=json",
    "/api/models/vae-8d/decode?z=1,2,3,4,5,6,7,-8",
    "/api/models/cvae/decode?z=0,0,0,0&label=0",
    "/api/models/cvae/decode?z=0.1,0.2,0.3,0.4&label=3&to_label=8&morph=0.25",
    "/api/models/cvae/decode?z=0.1,0.2,0.3,0.4&label=3&to_label=8&morph=1",
    # Handed on to the route: errors, unusual spellings, unknown parameters.
    "/api/models/vae-2d/decode?z=0.5",
    "/api/models/vae-2d/decode?z=nan,0",
    "/api/models/vae-2d/decode?z=0,0&scale=017",
    "/api/models/vae-2d/decode?z=0,0&scale=17",
    "/api/models/vae-2d/decode?z=0,0&label=1",
    "/api/models/vae-2d/decode?z=0,0&z=1,1",
    "/api/models/vae-2d/decode?z=0,0&extra=1",
    "/api/models/cvae/decode?z=0,0,0,0",
    "/api/models/cvae/decode?z=0,0,0,0&label=3&morph=0.5",
    "/api/models/cvae/decode?z=0,0,0,0&label=3&to_label=4&morph=1.5",
    "/api/models/mdn-toy/decode?z=0",
    "/api/models/nope/decode?z=0,0",
    "/api/models/vae-2d/decode?z=0,0&format=gif",
]
MANIFOLDS = [
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
DENSITY = "/api/models/mdn-toy/density"
DENSITIES = [
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
HEADERS = ("content-type", "content-length", "etag", "cache-control", "x-latent-grid", "x-latent-axis",
           *(name.lower() for name in SECURITY_HEADERS))


@pytest.fixture(scope="module")
def clients():
    fast = create_app(Settings(checkpoints=SHIPPED))
    slow = create_app(Settings(checkpoints=SHIPPED))
    slow.hot_path = None  # every request through FastAPI's routes
    with TestClient(fast) as f, TestClient(slow) as s:
        yield f, s


@pytest.mark.parametrize("url", DECODES + MANIFOLDS + DENSITIES)
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
    ("/api/models/cvae/decode?z=0,0,0,0&label=0", True),
    ("/api/models/vae-2d/decode?z=0.5,-1.2&format=json&scale=2", True),
    ("/api/models/vae-2d/decode?z=0,0&label=1", False),  # the route words the error
    ("/api/models/mdn-toy/decode?z=0", False),
    ("/api/models/vae-2d/manifold?n=4", True),
    ("/api/models/cvae/manifold?n=3&label=2&scale=2", True),
    ("/api/models/vae-2d/manifold?n=4&label=1", False),  # the route words the error
    ("/api/models/vae-2d/manifold?n=100", False),
    ("/api/models/mdn-toy/manifold", False),
    (DENSITY + "?x=0.5&points=400", True),
    ("/api/models/mdn-arm/density?x=0.5,0.75", True),
    (DENSITY + "?x=0.5&points=1", False),  # the route words the error
    (DENSITY + "?x=0.5&t_min=1&t_max=0", False),
    ("/api/models/vae-2d/density?x=0.5", False),
])
def test_hot_path_is_taken(clients, monkeypatch, url, taken):
    """Whether the hot path sent the answer (not merely was asked, nor merely prepared one): fails if it
    never takes a request of a kind, if the answer it prepared always failed (the route answers then),
    and if it takes one it should leave to the route."""
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


def test_a_failing_hot_path_leaves_the_answer_to_the_route(clients, monkeypatch):
    """The hot path answers before FastAPI's error middleware: if it fails before sending anything,
    the route answers instead (and its error handling would word a failure)."""
    fast, slow = clients

    spec = fast.app.state.registry.models["vae-2d"].spec
    original, failed = spec.fast["decode"], []

    async def broken(checked, scope, state, pairs):
        failed.append(scope["path"])
        raise RuntimeError("decoder failed")

    monkeypatch.setitem(spec.fast, "decode", FastAnswer(original.query, original.check, broken))
    url = "/api/models/vae-2d/decode?z=0.5,-1.2"
    r = fast.get(url)
    assert failed == ["/api/models/vae-2d/decode"]
    assert r.status_code == 200 and r.content == slow.get(url).content


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="za=&,.-09;+% _", max_size=16))
def test_query_pairs_reads_a_query_as_parse_qsl_does(query):
    assert query_pairs(query) == parse_qsl(query, keep_blank_values=True)
