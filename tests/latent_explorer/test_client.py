"""latent_explorer.client against a real server in its own process: numpy arrays equal to what the
REST API sends, and the server's refusals as ExplorerError carrying its message."""

import doctest
import io
import re

import httpx
import numpy as np
import pytest
from PIL import Image as PILImage

from bench.load import free_port
from latent_explorer.client import Explorer, ExplorerError, Image, Mixture
from latent_explorer.paths import REPO_ROOT

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def server(shipped_server):
    return shipped_server


@pytest.fixture(scope="module")
def explorer(server):
    with Explorer(server) as explorer:
        yield explorer


def test_catalogue(explorer):
    ids = [m["id"] for m in explorer.models()]
    assert {"vae-2d", "cvae", "mdn-toy", "mdn-arm"} <= set(ids)
    assert explorer.model("cvae")["labels"] == list(range(10))
    assert explorer.health()["models"] == len(ids)


def test_decode_is_the_pngs_pixels_and_matches_the_json_form(explorer, server):
    digit = explorer.decode("vae-2d", [0.5, -1.2])
    assert isinstance(digit, Image) and digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.png.startswith(PNG_SIGNATURE)
    assert digit.png == httpx.get(f"{server}/api/models/vae-2d/decode?z=0.5,-1.2").content
    exact = np.array(httpx.get(f"{server}/api/models/vae-2d/decode?z=0.5,-1.2&format=json").json()["pixels"])
    assert np.abs(digit - exact).max() <= 0.5 / 255 + 1e-4  # 8-bit rounding of the 4-decimal values
    assert digit.min() >= 0 and digit.max() <= 1 and digit.max() > 0.5  # a digit, not a blank
    assert digit[:10].png is None  # a slice is not the PNG


def test_decode_options_reach_the_server(explorer):
    assert explorer.decode("vae-2d", np.array([0.0, 0.0]), scale=3).shape == (84, 84)
    seven = explorer.decode("cvae", [0, 0, 0, 0], label=7)
    one = explorer.decode("cvae", [0, 0, 0, 0], label=1)
    halfway = explorer.decode("cvae", [0, 0, 0, 0], label=7, to_label=1, morph=0.5)
    assert not np.array_equal(seven, one)
    assert not np.array_equal(halfway, seven) and not np.array_equal(halfway, one)


def test_generate_repeats_with_its_seed_and_agrees_with_its_png(explorer):
    samples = explorer.generate("cvae", n=5, label=3)
    assert samples.shape == (5, 28, 28) and samples.z.shape == (5, 4)
    again = explorer.generate("cvae", n=5, label=3, seed=samples.seed)
    np.testing.assert_array_equal(again, samples)
    np.testing.assert_array_equal(again.z, samples.z)
    grid = PILImage.open(io.BytesIO(samples.png))
    assert grid.size == (3 * 28, 2 * 28)  # 5 tiles on a near-square grid: 3 columns, 2 rows
    first_tile = np.asarray(grid, dtype=np.float32)[:28, :28] / 255
    assert np.abs(first_tile - samples[0]).max() <= 0.5 / 255 + 1e-4  # the PNG shows the same draw


def test_manifold(explorer):
    grid = explorer.manifold("vae-2d", n=4, scale=2)
    assert grid.shape == (4 * 28 * 2, 4 * 28 * 2) and grid.png.startswith(PNG_SIGNATURE)
    linear = explorer.manifold("vae-8d", n=3, dims=(2, 5), span=2.0)
    assert linear.shape == (84, 84)


def test_encode_an_array_or_its_png_gives_the_same_code(explorer):
    digit = explorer.decode("vae-2d", [1.0, 0.5])
    from_array = explorer.encode("vae-2d", digit)
    from_png = explorer.encode("vae-2d", digit.png)
    assert from_array.mu.shape == (2,) and np.all(from_array.sigma > 0)
    np.testing.assert_array_equal(from_array.mu, from_png.mu)
    np.testing.assert_array_equal(from_array.sigma, from_png.sigma)
    labelled = explorer.encode("cvae", explorer.decode("cvae", [0, 0, 0, 0], label=2), label=2)
    assert labelled.mu.shape == (4,)


def test_encode_refuses_a_wrong_shape_before_sending(explorer):
    with pytest.raises(ValueError, match="28×28"):
        explorer.encode("vae-2d", np.zeros((27, 28)))


def test_density_is_a_mixture_whose_pdf_is_the_servers(explorer, server):
    p = explorer.density("mdn-toy", 0.5, points=50, t_min=-0.5, t_max=1.5)
    assert isinstance(p, Mixture) and p.mu.shape == (p.pi.size, 1) and p.mean.shape == (1,)
    np.testing.assert_allclose(p.pi.sum(), 1.0, rtol=1e-5)
    np.testing.assert_allclose(p.mean, (p.pi[:, None] * p.mu).sum(0), rtol=1e-5)
    t = np.array(p.raw["t"])
    np.testing.assert_allclose(p.pdf(t), p.raw["density"], rtol=1e-4, atol=1e-6)
    wide = np.linspace(-10, 10, 200_001)
    np.testing.assert_allclose(p.pdf(wide).sum() * (wide[1] - wide[0]), 1.0, rtol=1e-3)  # a density
    assert p.pdf(float(p.modes[0, 0])) >= p.pdf(wide).max() - 1e-6  # the first mode is the highest point
    assert p.modes.shape[1] == 1 and not p.extrapolating


def test_density_in_two_dimensions(explorer):
    p = explorer.density("mdn-arm", [0.55, 0.55])  # a target the arm reaches with its elbow up or down
    assert p.mu.shape[1] == 2 and p.modes.shape == (2, 2)
    assert p.pdf(np.zeros((4, 3, 2))).shape == (4, 3)
    assert p.pdf(p.mean) < 1e-3 * p.pdf(p.modes).min()  # two answers: their mean is not one
    with pytest.raises(ValueError, match="2 coordinates"):
        p.pdf(np.zeros(3))


def test_arrays_of_the_other_operations(explorer):
    mu, labels = explorer.embedding("vae-2d", limit=50)
    assert mu.shape == (50, 2) and labels.shape == (50,)
    x, t = explorer.training_data("mdn-toy", limit=10)
    assert x.shape == (10, 1) and t.shape == (10, 1)
    sweep = explorer.sweep("mdn-toy", x_points=7, t_points=5)
    assert sweep["mean"].shape == (7, 1) and sweep["density"].shape == (7, 5)


def test_pose_hypotheses_of_a_held_out_frame(explorer):
    held_out = explorer.test_poses("pose-mdn", limit=3)
    assert held_out["joints2d"].shape == (3, 15, 2) and held_out["joints3d"].shape == (3, 15, 3)
    answer = explorer.hypotheses("pose-mdn", held_out["joints2d"][0])
    k = len(answer.pi)
    assert answer.joints.shape == (k, 15, 3) and np.all(np.diff(answer.pi) <= 0)
    # Every hypothesis keeps the input's x, y; the best one is near the truth (the model's MPJPE is tens of mm).
    np.testing.assert_allclose(answer.joints[..., :2], np.broadcast_to(answer.joints2d, (k, 15, 2)), atol=1e-5)
    errors = np.linalg.norm(answer.joints - held_out["joints3d"][0], axis=-1).mean(-1)
    assert errors.min() < 0.2
    assert all(0 < p < c <= 14 or p == 0 for p, c in answer.depth_flips)


@pytest.mark.parametrize("call, status, field, words", [
    (lambda e: e.decode("cvae", [0, 0, 0, 0]), 422, "label", "required"),
    (lambda e: e.decode("vae-2d", [0, 0, 0]), 422, "z", "expected 2"),
    (lambda e: e.decode("nope", [0, 0]), 404, "model_id", "available"),
    (lambda e: e.generate("vae-2d", n=0), 422, "n", "greater than or equal to 1"),
    (lambda e: e.encode("mdn-toy", np.zeros((28, 28))), 422, "model_id", "encode is not available"),
    (lambda e: e.density("mdn-toy", [0.5, 0.5]), 422, "x", "expected 1"),
    (lambda e: e.hypotheses("pose-mdn", np.zeros((14, 2))), 422, "joints", "expected 30"),
    (lambda e: e.test_poses("pose-mdn", clip="moonwalk"), 422, "clip", "held-out clips"),
])
def test_refusals_carry_the_servers_message(explorer, call, status, field, words):
    with pytest.raises(ExplorerError) as caught:
        call(explorer)
    error = caught.value
    assert error.status == status and error.field == field, str(error)
    assert words in error.detail and str(error).startswith(f"{status}: {field}:")


def test_validation_errors_list_each_field(explorer):
    with pytest.raises(ExplorerError) as caught:
        explorer.generate("vae-2d", n=0, seed=-1)
    assert [e["field"] for e in caught.value.errors] == ["n", "seed"]


def test_no_server_is_an_explorer_error_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    with Explorer(url, timeout=2) as explorer, pytest.raises(ExplorerError, match="no answer from " + url) as caught:
        explorer.models()
    assert caught.value.status is None


def test_readme_example_prints_what_it_shows(server):
    """README's notebook example, run as a doctest: the output printed there is what the client gives."""
    readme_url = "http://127.0.0.1:8000"
    section = (REPO_ROOT / "README.md").read_text().split("## From Python", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert example.count(">>>") >= 10 and readme_url in example
    test = doctest.DocTestParser().get_doctest(example.replace(readme_url, server), {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []  # doctest swaps sys.stdout while it runs: collect its report instead
    runner.run(test, out=report.append)
    report_text = "".join(report).replace(server, readme_url)
    assert runner.failures == 0, "README's example no longer prints what it shows:\n" + report_text
