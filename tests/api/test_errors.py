"""Every class of bad input in the contract gets a 4xx whose detail names the field, never a 500."""

import json

import pytest

CASES = [
    # (url, status, field named in detail)
    ("/api/models/vae-2d/decode?z=nan,0", 422, "z"),
    ("/api/models/vae-2d/decode?z=inf,0", 422, "z"),
    ("/api/models/vae-2d/decode?z=-Infinity,0", 422, "z"),
    ("/api/models/vae-2d/decode?z=abc,0", 422, "z"),
    ("/api/models/vae-2d/decode?z=", 422, "z"),
    ("/api/models/vae-2d/decode", 422, "z"),
    ("/api/models/vae-2d/decode?z=1,2,3", 422, "z"),
    ("/api/models/vae-2d/decode?z=10.5,0", 422, "z"),
    ("/api/models/vae-2d/decode?z=1e308,0", 422, "z"),
    ("/api/models/vae-2d/decode?z=0,0&label=3", 422, "label"),
    ("/api/models/cvae/decode?z=0,0,0,0", 422, "label"),
    ("/api/models/cvae/decode?z=0,0,0,0&label=10", 422, "label"),
    ("/api/models/cvae/decode?z=0,0,0,0&label=-1", 422, "label"),
    ("/api/models/cvae/decode?z=0,0,0,0&label=three", 422, "label"),
    ("/api/models/cvae/decode?z=0,0,0,0&label=1&morph=0.5", 422, "morph"),
    ("/api/models/cvae/decode?z=0,0,0,0&label=1&to_label=2&morph=1.5", 422, "morph"),
    ("/api/models/vae-2d/decode?z=0,0&scale=0", 422, "scale"),
    ("/api/models/vae-2d/decode?z=0,0&scale=17", 422, "scale"),
    ("/api/models/vae-2d/decode?z=0,0&format=gif", 422, "format"),
    ("/api/models/mdn-toy/decode?z=0", 422, "model_id"),
    ("/api/models/nope/decode?z=0,0", 404, "model_id"),
    ("/api/models/vae-2d/generate?n=0", 422, "n"),
    ("/api/models/vae-2d/generate?n=65", 422, "n"),
    ("/api/models/vae-2d/generate?n=-5", 422, "n"),
    ("/api/models/vae-2d/generate?n=4&seed=-1", 422, "seed"),
    ("/api/models/cvae/generate?n=4", 422, "label"),
    ("/api/models/mdn-arm/generate?n=4", 422, "model_id"),
    ("/api/models/vae-2d/manifold?n=1", 422, "n"),
    ("/api/models/vae-2d/manifold?n=41", 422, "n"),
    ("/api/models/vae-2d/manifold?n=40&scale=4", 422, "scale"),
    ("/api/models/vae-2d/manifold?span=0", 422, "span"),
    ("/api/models/vae-2d/manifold?span=nan", 422, "span"),
    ("/api/models/vae-2d/manifold?dims=0,0", 422, "dims"),
    ("/api/models/vae-2d/manifold?dims=0,2", 422, "dims"),
    ("/api/models/vae-8d/manifold?z=0,0", 422, "z"),
    ("/api/models/cvae/manifold", 422, "label"),
    ("/api/models/mdn-toy/manifold", 422, "model_id"),
    ("/api/models/vae-2d/embedding?limit=0", 422, "limit"),
    ("/api/models/mdn-toy/embedding", 422, "model_id"),
    ("/api/models/mdn-toy/density", 422, "x"),
    ("/api/models/mdn-toy/density?x=0.5,0.5", 422, "x"),
    ("/api/models/mdn-arm/density?x=0.5", 422, "x"),
    ("/api/models/mdn-toy/density?x=nan", 422, "x"),
    ("/api/models/mdn-toy/density?x=1e308", 422, "x"),
    ("/api/models/mdn-toy/density?x=0.5&points=1", 422, "points"),
    ("/api/models/mdn-toy/density?x=0.5&points=2001", 422, "points"),
    ("/api/models/mdn-toy/density?x=0.5&t_min=1&t_max=0", 422, "t_max"),
    ("/api/models/mdn-toy/density?x=0.5&t_min=-inf", 422, "t_min"),
    ("/api/models/vae-2d/density?x=0.5", 422, "model_id"),
    ("/api/models/mdn-toy/sweep?x_points=1000", 422, "x_points"),
]


@pytest.mark.parametrize("url, status, field", CASES, ids=[c[0].split("/api/models/")[1] for c in CASES])
def test_bad_query_is_a_clear_4xx(client, url, status, field):
    r = client.get(url)
    assert r.status_code == status, r.text
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
