"""Every class of bad input in the contract gets a 4xx whose detail names the field, never a 500."""

import json

import pytest

DECODE = "/api/models/vae-2d/decode"
CVAE = "/api/models/cvae/decode"
DENSITY = "/api/models/mdn-toy/density"

# The one table of bad queries: (name, url, status, the field its detail must start with).
BAD_QUERIES = [
    ("z NaN", DECODE + "?z=nan,0", 422, "z"),
    ("z +inf", DECODE + "?z=inf,0", 422, "z"),
    ("z -inf", DECODE + "?z=0,-inf", 422, "z"),
    ("z 1e308", DECODE + "?z=1e308,0", 422, "z"),
    ("z 1e309 overflows to inf", DECODE + "?z=1e309,0", 422, "z"),
    ("z empty", DECODE + "?z=", 422, "z"),
    ("z commas only", DECODE + "?z=,", 422, "z"),
    ("z missing", DECODE, 422, "z"),
    ("z 3·10^4 elements", DECODE + "?z=" + ",".join(["0"] * 30_000), 422, "z"), # httpx's URL limit; 10^6 below
    ("manifold dims superscript", "/api/models/vae-8d/manifold?dims=%C2%B2,1", 422, "dims"),
    ("z too short", DECODE + "?z=0", 422, "z"),
    ("z words", DECODE + "?z=zero,one", 422, "z"),
    ("z hex float", DECODE + "?z=0x1p3,0", 422, "z"),
    ("z unicode digits", DECODE + "?z=%EF%BC%91,%EF%BC%92", 422, "z"), # fullwidth １,２
    ("z arabic-indic digits", DECODE + "?z=%D9%A3,0", 422, "z"),
    ("z underscores", DECODE + "?z=1_0,0", 422, "z"),
    ("z emoji", DECODE + "?z=%F0%9F%98%80,0", 422, "z"),
    ("z invalid UTF-8 escape", DECODE + "?z=%FF,0", 422, "z"),
    ("z NUL", DECODE + "?z=0%00,0", 422, "z"),
    ("label on a vae", DECODE + "?z=0,0&label=3", 422, "label"),
    ("label missing on a cvae", CVAE + "?z=0,0,0,0", 422, "label"),
    ("label out of range", CVAE + "?z=0,0,0,0&label=10", 422, "label"),
    ("label negative", CVAE + "?z=0,0,0,0&label=-1", 422, "label"),
    ("label huge", CVAE + "?z=0,0,0,0&label=" + "9" * 400, 422, "label"),
    ("label unicode digit", CVAE + "?z=0,0,0,0&label=%EF%BC%93", 422, "label"),
    ("label bool", CVAE + "?z=0,0,0,0&label=true", 422, "label"),
    ("morph NaN", CVAE + "?z=0,0,0,0&label=1&to_label=2&morph=nan", 422, "morph"),
    ("morph without to_label", CVAE + "?z=0,0,0,0&label=1&morph=0.5", 422, "morph"),
    ("scale 0", DECODE + "?z=0,0&scale=0", 422, "scale"),
    ("scale negative", DECODE + "?z=0,0&scale=-4", 422, "scale"),
    ("scale huge", DECODE + "?z=0,0&scale=1000000000000", 422, "scale"),
    ("scale float", DECODE + "?z=0,0&scale=1.5", 422, "scale"),
    ("format gif", DECODE + "?z=0,0&format=gif", 422, "format"),
    ("decode on an mdn", "/api/models/mdn-toy/decode?z=0", 422, "model_id"),
    ("generate n 0", "/api/models/vae-2d/generate?n=0", 422, "n"),
    ("generate n negative", "/api/models/vae-2d/generate?n=-1", 422, "n"),
    ("generate n huge", "/api/models/vae-2d/generate?n=10000000000", 422, "n"),
    ("generate seed negative", "/api/models/vae-2d/generate?seed=-1", 422, "seed"),
    ("generate seed 2^64", "/api/models/vae-2d/generate?seed=18446744073709551616", 422, "seed"),
    ("generate scale huge", "/api/models/vae-2d/generate?n=64&scale=1000", 422, "scale"),
    ("manifold n 1", "/api/models/vae-2d/manifold?n=1", 422, "n"),
    ("manifold n huge", "/api/models/vae-2d/manifold?n=100000", 422, "n"),
    ("manifold image too large", "/api/models/vae-2d/manifold?n=40&scale=4", 422, "scale"),
    ("manifold span 0", "/api/models/vae-2d/manifold?span=0", 422, "span"),
    ("manifold span NaN", "/api/models/vae-2d/manifold?span=nan", 422, "span"),
    ("manifold span inf", "/api/models/vae-2d/manifold?span=inf", 422, "span"),
    ("manifold dims equal", "/api/models/vae-8d/manifold?dims=1,1", 422, "dims"),
    ("manifold dims out of range", "/api/models/vae-8d/manifold?dims=0,8", 422, "dims"),
    ("manifold dims negative", "/api/models/vae-8d/manifold?dims=-1,2", 422, "dims"),
    ("manifold dims unicode", "/api/models/vae-8d/manifold?dims=%EF%BC%91,2", 422, "dims"),
    ("manifold z wrong length", "/api/models/vae-8d/manifold?z=0,0", 422, "z"),
    ("embedding limit 0", "/api/models/vae-2d/embedding?limit=0", 422, "limit"),
    ("embedding limit huge", "/api/models/vae-2d/embedding?limit=10000000000", 422, "limit"),
    ("density x NaN", DENSITY + "?x=nan", 422, "x"),
    ("density x 1e308", DENSITY + "?x=1e308", 422, "x"),
    ("density x empty", DENSITY + "?x=", 422, "x"),
    ("density x wrong dimension", DENSITY + "?x=0.5,0.5", 422, "x"),
    ("density points 1", DENSITY + "?x=0.5&points=1", 422, "points"),
    ("density points negative", DENSITY + "?x=0.5&points=-400", 422, "points"),
    ("density points huge", DENSITY + "?x=0.5&points=1000000000000", 422, "points"),
    ("density t_min NaN", DENSITY + "?x=0.5&t_min=nan", 422, "t_min"),
    ("density t_max -inf", DENSITY + "?x=0.5&t_max=-inf", 422, "t_max"),
    ("density t_min 1e308", DENSITY + "?x=0.5&t_min=1e308", 422, "t_min"),
    ("density t reversed", DENSITY + "?x=0.5&t_min=1&t_max=0", 422, "t_max"),
    ("density t empty range", DENSITY + "?x=0.5&t_min=0.5&t_max=0.5", 422, "t_max"),
    ("density on a vae", "/api/models/vae-2d/density?x=0.5", 422, "model_id"),
    ("sweep points huge", "/api/models/mdn-toy/sweep?x_points=1000000", 422, "x_points"),
    ("sweep on a 2-D input", "/api/models/mdn-arm/sweep", 422, "model_id"),
    ("training-data limit negative", "/api/models/mdn-toy/training-data?limit=-1", 422, "limit"),
    ("z -Infinity", DECODE + "?z=-Infinity,0", 422, "z"),
    ("z letters", DECODE + "?z=abc,0", 422, "z"),
    ("z too long", DECODE + "?z=1,2,3", 422, "z"),
    ("z just over 10", DECODE + "?z=10.5,0", 422, "z"),
    ("label a word", CVAE + "?z=0,0,0,0&label=three", 422, "label"),
    ("morph over 1", CVAE + "?z=0,0,0,0&label=1&to_label=2&morph=1.5", 422, "morph"),
    ("scale 17", DECODE + "?z=0,0&scale=17", 422, "scale"),
    ("unknown model", "/api/models/nope/decode?z=0,0", 404, "model_id"),
    ("generate n 65", "/api/models/vae-2d/generate?n=65", 422, "n"),
    ("generate label missing on a cvae", "/api/models/cvae/generate?n=4", 422, "label"),
    ("generate on an mdn", "/api/models/mdn-arm/generate?n=4", 422, "model_id"),
    ("manifold n 41", "/api/models/vae-2d/manifold?n=41", 422, "n"),
    ("manifold dims 0,0", "/api/models/vae-2d/manifold?dims=0,0", 422, "dims"),
    ("manifold dims beyond a 2-D latent", "/api/models/vae-2d/manifold?dims=0,2", 422, "dims"),
    ("manifold label missing on a cvae", "/api/models/cvae/manifold", 422, "label"),
    ("manifold on an mdn", "/api/models/mdn-toy/manifold", 422, "model_id"),
    ("embedding on an mdn", "/api/models/mdn-toy/embedding", 422, "model_id"),
    ("density x missing", "/api/models/mdn-toy/density", 422, "x"),
    ("density x too short for the arm", "/api/models/mdn-arm/density?x=0.5", 422, "x"),
    ("density points 2001", DENSITY + "?x=0.5&points=2001", 422, "points"),
    ("density t_min -inf", DENSITY + "?x=0.5&t_min=-inf", 422, "t_min"),
    ("sweep x_points 1000", "/api/models/mdn-toy/sweep?x_points=1000", 422, "x_points"),
]


@pytest.mark.parametrize(("name", "url", "status", "field"), BAD_QUERIES, ids=[c[0] for c in BAD_QUERIES])
def test_bad_query_is_a_clear_4xx(client, name, url, status, field):
    r = client.get(url)
    assert r.status_code == status, r.text[:300]
    detail = r.json()["detail"]
    assert isinstance(detail, str) and detail.startswith(field), detail


ENCODE_CASES = [
    ({"pixels": [[0.0] * 28] * 27}, "pixels"),
    ({"pixels": [[0.0] * 27] * 28}, "pixels"),
    ({"pixels": [[2.0] * 28] * 28}, "pixels"),
    ({"pixels": [[False] * 28] * 28}, "pixels"),
    ({"pixels": [["0.5"] * 28] * 28}, "pixels"),
    ({"pixels": [[0.0] * 28] * 28, "label": 3}, "label"),
    ({"pixels": [[0.0] * 28] * 28, "extra": 1}, "extra"),
    ({}, "pixels"),
]


@pytest.mark.parametrize("body, field", ENCODE_CASES)
def test_bad_encode_body_is_a_clear_422(client, body, field):
    r = client.post("/api/models/vae-2d/encode", json=body)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(field), r.json()["detail"]


def test_encode_refuses_non_json_garbage_and_wrong_types(client):
    assert client.post("/api/models/vae-2d/encode", content=b"{", headers={"content-type": "application/json"}).status_code == 422
    r = client.post("/api/models/vae-2d/encode", content=b"hello", headers={"content-type": "text/plain"})
    assert r.status_code == 415 and r.json()["detail"].startswith("content-type")
    r = client.post("/api/models/vae-2d/encode", content=b"\x89PNG\r\n\x1a\nnot really", headers={"content-type": "image/png"})
    assert r.status_code == 422 and r.json()["detail"].startswith("image")
    r = client.post("/api/models/mdn-toy/encode", json={"pixels": [[0.0] * 28] * 28})
    assert r.status_code == 422 and r.json()["detail"].startswith("model_id")


@pytest.mark.parametrize("label", ["²", "--5", "9" * 5000, "1.5"])
def test_multipart_label_that_is_no_integer_is_a_422(client, label):
    png = b"\x89PNG\r\n\x1a\n"  # the label is checked before the image is read
    r = client.post("/api/models/cvae/encode", files={"image": ("d.png", png, "image/png")}, data={"label": label})
    assert r.status_code == 422, r.text


def test_json_pixel_too_large_for_a_float_is_a_422(client):
    rows = [[0] * 28 for _ in range(28)]
    rows[3][4] = 10**400
    r = client.post("/api/models/vae-2d/encode", content=json.dumps({"pixels": rows}),
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"].startswith("pixels")


def test_streamed_multipart_over_the_limit_is_a_413(client):
    def chunks():
        yield b"--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"d.png\"\r\n\r\n"
        for _ in range(40):
            yield b"0" * 100_000
    r = client.post("/api/models/vae-2d/encode", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert r.status_code == 413


def test_oversized_body_is_refused_before_it_is_read(client):
    r = client.post("/api/models/vae-2d/encode", content=b"0" * (3 * 1024 * 1024), headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["detail"].startswith("body")
    assert client.get("/healthz").status_code == 200
