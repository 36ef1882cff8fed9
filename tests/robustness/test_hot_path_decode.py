"""The decode hot path (app.hot_path) answers exactly as the FastAPI route it short-cuts."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from app.hot_path import HotPath, query_pairs
from app.main import create_app
from app.security import HEADERS as SECURITY_HEADERS
from app.settings import Settings
from tests.conftest import SHIPPED

QUERIES = [
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
HEADERS = ("content-type", "content-length", "etag", "cache-control", *(name.lower() for name in SECURITY_HEADERS))


@pytest.fixture(scope="module")
def clients():
    fast = create_app(Settings(checkpoints=SHIPPED))
    slow = create_app(Settings(checkpoints=SHIPPED))
    slow.hot_path = None  # every decode through FastAPI's route
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
        again = fast.get(url, headers={"If-None-Match": a.headers["etag"]})
        assert again.status_code == 304 and again.headers["etag"] == a.headers["etag"]
        assert again.content == b""


@pytest.mark.parametrize(("url", "taken"), [
    ("/api/models/cvae/decode?z=0,0,0,0&label=0", True),
    ("/api/models/vae-2d/decode?z=0.5,-1.2&format=json&scale=2", True),
    ("/api/models/vae-2d/decode?z=0,0&label=1", False),  # the route words the error
    ("/api/models/mdn-toy/decode?z=0", False),
])
def test_hot_path_is_taken(clients, monkeypatch, url, taken):
    """Whether the fast path sent the answer (not merely was asked, nor merely prepared one): fails if
    answer() always gave None, and if the answer it prepared always failed (the route answers then)."""
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

    async def broken():
        raise RuntimeError("decoder failed")

    def failing(self, scope):
        result = original(self, scope)
        if result is not None:
            result.close()  # never awaited: the failure stands in for it
            failed.append(scope["path"])
            return broken()
        return None

    original, failed = HotPath.answer, []
    monkeypatch.setattr(HotPath, "answer", failing)
    url = "/api/models/vae-2d/decode?z=0.5,-1.2"
    r = fast.get(url)
    assert failed == ["/api/models/vae-2d/decode"]
    assert r.status_code == 200 and r.content == slow.get(url).content


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="za=&,.-09;+% _", max_size=16))
def test_query_pairs_reads_a_query_as_parse_qsl_does(query):
    assert query_pairs(query) == parse_qsl(query, keep_blank_values=True)
