import io

import numpy as np
import pytest
from PIL import Image


def _png(response) -> np.ndarray:
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.mode == "L"
    return np.asarray(image)


@pytest.mark.parametrize("scale", [1, 3, 16])
def test_decode_png_is_28_times_scale(client, scale):
    r = client.get(f"/api/models/vae-2d/decode?z=0.5,-1.2&scale={scale}")
    assert r.status_code == 200
    image = _png(r)
    assert image.shape == (28 * scale, 28 * scale)
    # Nearest-neighbour: each block is one value.
    assert (image[::scale, ::scale].repeat(scale, 0).repeat(scale, 1) == image).all()


def test_decode_json_matches_png(client):
    js = client.get("/api/models/vae-8d/decode?z=0,1,0,0,0,0,-1,0&format=json").json()
    png = _png(client.get("/api/models/vae-8d/decode?z=0,1,0,0,0,0,-1,0"))
    pixels = np.array(js["pixels"])
    assert js["shape"] == [28, 28] and pixels.shape == (28, 28)
    assert pixels.min() >= 0 and pixels.max() <= 1
    assert np.abs(pixels * 255 - png).max() <= 1


def test_decode_depends_on_z_and_looks_like_a_digit(client):
    a = _png(client.get("/api/models/vae-2d/decode?z=0,0"))
    b = _png(client.get("/api/models/vae-2d/decode?z=1.5,-1.5"))
    assert np.abs(a.astype(int) - b).mean() > 5
    ink = (a > 128).mean()
    assert 0.03 < ink < 0.4  # a stroke on a dark background, not noise or a blank


def test_cvae_label_changes_the_digit_and_morph_lies_between(client):
    z = "0.3,-0.2,0.1,0.5"
    three = _png(client.get(f"/api/models/cvae/decode?z={z}&label=3")).astype(int)
    seven = _png(client.get(f"/api/models/cvae/decode?z={z}&label=7")).astype(int)
    assert np.abs(three - seven).mean() > 10
    start = _png(client.get(f"/api/models/cvae/decode?z={z}&label=3&to_label=7&morph=0")).astype(int)
    end = _png(client.get(f"/api/models/cvae/decode?z={z}&label=3&to_label=7&morph=1")).astype(int)
    assert (start == three).all() and (end == seven).all()


def test_generate_is_reproducible_by_seed_and_a_near_square_grid(client):
    url = "/api/models/vae-8d/generate?n=10&seed=42"
    a, b = client.get(url), client.get(url)
    assert a.status_code == 200 and a.content == b.content
    assert _png(a).shape == (3 * 28, 4 * 28)  # 10 tiles: 4 columns, 3 rows
    assert client.get("/api/models/vae-8d/generate?n=10&seed=43").content != a.content


def test_generate_json_and_unseeded_is_not_cached(client):
    js = client.get("/api/models/cvae/generate?n=3&label=5&seed=1&format=json").json()
    assert len(js["z"]) == 3 and len(js["z"][0]) == 4 and len(js["images"]) == 3
    assert js["images"][0]["shape"] == [28, 28]
    r = client.get("/api/models/cvae/generate?n=2&label=5")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store" and "etag" not in r.headers


def test_generated_cvae_digits_match_the_decode_of_their_z(client):
    js = client.get("/api/models/cvae/generate?n=2&label=4&seed=9&format=json").json()
    z = ",".join(f"{v!r}" for v in js["z"][1])
    single = client.get(f"/api/models/cvae/decode?z={z}&label=4&format=json").json()
    assert np.allclose(np.array(single["pixels"]), np.array(js["images"][1]["pixels"]), atol=1e-3)


def test_manifold_gaussian_by_default_linear_with_span(client):
    r = client.get("/api/models/vae-2d/manifold?n=5")
    assert r.status_code == 200 and _png(r).shape == (140, 140)
    assert r.headers["x-latent-grid"] == "gaussian"
    axis = [float(v) for v in r.headers["x-latent-axis"].split(",")]
    assert axis == sorted(axis) and abs(axis[2]) < 1e-6 and abs(axis[0] + 1.28155) < 1e-3  # Φ⁻¹(0.1)
    r = client.get("/api/models/vae-2d/manifold?n=5&span=2")
    assert r.headers["x-latent-grid"] == "linear"
    assert [float(v) for v in r.headers["x-latent-axis"].split(",")] == [-2, -1, 0, 1, 2]


def test_manifold_tile_is_the_decode_of_its_lattice_point(client):
    n = 4
    r = client.get(f"/api/models/vae-8d/manifold?n={n}&dims=2,5&z=0.1,0.2,0,0.3,0.4,0,0.5,0.6")
    axis = r.headers["x-latent-axis"].split(",")
    grid = _png(r)
    row, col = 0, 3  # top row is the largest z_j; right column the largest z_i
    z = ["0.1", "0.2", axis[col], "0.3", "0.4", axis[n - 1 - row], "0.5", "0.6"]
    single = _png(client.get(f"/api/models/vae-8d/decode?z={','.join(z)}")).astype(int)
    tile = grid[row * 28:(row + 1) * 28, col * 28:(col + 1) * 28].astype(int)
    assert np.abs(tile - single).max() <= 1


def test_embedding_is_balanced_and_limited(client):
    full = client.get("/api/models/vae-2d/embedding").json()
    assert len(full["mu"]) == len(full["labels"]) == 2000 and len(full["mu"][0]) == 2
    part = client.get("/api/models/vae-2d/embedding?limit=100").json()
    assert len(part["mu"]) == 100 and set(part["labels"]) == set(range(10))


def test_etag_round_trip_gives_304(client):
    r = client.get("/api/models/vae-2d/decode?z=0.1,0.2")
    assert r.headers["cache-control"].startswith("public") and r.headers["etag"]
    again = client.get("/api/models/vae-2d/decode?z=0.1,0.2", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    # Parameter order does not matter; a different query is a different answer.
    same = client.get("/api/models/vae-2d/decode?scale=1&z=0.1,0.2")
    assert client.get("/api/models/vae-2d/decode?z=0.1,0.2&scale=1").headers["etag"] == same.headers["etag"]
    assert client.get("/api/models/vae-2d/decode?z=0.1,0.3").headers["etag"] != r.headers["etag"]
