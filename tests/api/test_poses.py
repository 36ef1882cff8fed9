"""The pose kind's operations (a tiny random pose MDN): hypotheses for a 2-D skeleton, the held-out
poses, the density as for any MDN, and every bad input refused with 422 naming the field."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from models import skeleton
from tests.conftest import write_tiny_pose

URL = "/api/models/tiny-pose"


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    folder = write_tiny_pose(tmp_path_factory.mktemp("checkpoints"))
    fast = create_app(Settings(checkpoints=folder))
    slow = create_app(Settings(checkpoints=folder))
    slow.hot_path = None  # every request through FastAPI's routes
    with TestClient(fast) as f, TestClient(slow) as s:
        yield f, s


def _joints(rng) -> str:
    return ",".join(f"{v:.4f}" for v in rng.uniform(-0.8, 0.8, 2 * skeleton.N_JOINTS))


def test_listed_with_its_skeleton_and_cameras(clients):
    info = clients[0].get(URL).json()
    assert info["kind"] == "pose"
    assert info["joints"] == list(skeleton.JOINTS) and info["parents"][0] == -1
    assert [skeleton.JOINTS[c] for _, c in info["bones"]] == list(skeleton.JOINTS[1:])
    assert info["cameras"]["azimuth_deg"] == [0.0, 360.0] and info["test_clips"] == ["walk", "kick"]


def test_hypotheses_are_sorted_and_reproject_onto_the_input(clients):
    rng = np.random.default_rng(0)
    joints = _joints(rng)
    body = clients[0].get(f"{URL}/hypotheses?joints={joints}").json()
    pis = [h["pi"] for h in body["hypotheses"]]
    assert len(pis) == 3 and pis == sorted(pis, reverse=True) and abs(sum(pis) - 1) < 1e-5
    xy = np.array(joints.split(","), dtype=float).reshape(-1, 2)
    xy -= xy[0]
    assert np.allclose(body["joints2d"], xy, atol=1e-6)
    for h in body["hypotheses"]:
        pose = np.array(h["joints"])
        assert pose.shape == (skeleton.N_JOINTS, 3) and np.allclose(pose[0], 0)
        # The depth-only model takes x and y from the input: every hypothesis reprojects exactly.
        assert np.allclose(pose[:, :2], xy, atol=1e-6) and h["reprojection_error"] < 1e-6


def test_depth_flips_name_the_bones_whose_depth_order_differs(clients):
    body = clients[0].get(f"{URL}/hypotheses?joints={_joints(np.random.default_rng(1))}").json()
    first, second = (np.array(h["joints"]) for h in body["hypotheses"][:2])
    expected = [list(b) for b in skeleton.BONES
                if np.sign(first[b[1], 2] - first[b[0], 2]) * np.sign(second[b[1], 2] - second[b[0], 2]) < 0]
    assert [f["joints"] for f in body["depth_flips"]] == expected
    assert all(f["bone"] == f"{skeleton.JOINTS[f['joints'][0]]}-{skeleton.JOINTS[f['joints'][1]]}" for f in body["depth_flips"])


def test_the_hot_path_answers_as_the_route(clients):
    fast, slow = clients
    url = f"{URL}/hypotheses?joints={_joints(np.random.default_rng(2))}"
    a, b = fast.get(url), slow.get(url)
    assert a.status_code == b.status_code == 200 and a.content == b.content
    assert a.headers["etag"] == b.headers["etag"]
    assert fast.get(url, headers={"If-None-Match": a.headers["etag"]}).status_code == 304


def test_density_answers_in_metres_as_for_any_mdn(clients):
    joints = _joints(np.random.default_rng(3))
    density = clients[0].get(f"{URL}/density?x={joints}").json()
    hyps = clients[0].get(f"{URL}/hypotheses?joints={joints}").json()["hypotheses"]
    assert len(density["mu"]) == 3 and len(density["mu"][0]) == skeleton.N_JOINTS - 1
    # The most probable kernel's mean is the most probable hypothesis's depths below the pelvis.
    assert np.allclose(density["most_probable"], np.array(hyps[0]["joints"])[1:, 2], atol=1e-5)


def test_test_poses_by_clip_and_limit(clients):
    every = clients[0].get(f"{URL}/test-poses").json()
    assert every["clips"] == ["walk", "kick"] and len(every["frame"]) == 12
    kick = clients[0].get(f"{URL}/test-poses?clip=kick&limit=3").json()
    assert kick["clip"] == ["kick"] * 3 and kick["frame"] == [0, 2, 4]
    assert np.array(kick["joints3d"]).shape == (3, skeleton.N_JOINTS, 3)
    assert np.array(kick["joints2d"]).shape == (3, skeleton.N_JOINTS, 2)


@pytest.mark.parametrize(("query", "field"), [
    ("/hypotheses?joints=1,2", "joints"),
    ("/hypotheses?joints=" + ",".join(["0"] * 29 + ["nan"]), "joints"),
    ("/hypotheses?joints=" + ",".join(["0"] * 29 + ["10.5"]), "joints"),
    ("/hypotheses", "joints"),
    ("/test-poses?clip=moonwalk", "clip"),
    ("/test-poses?limit=0", "limit"),
    ("/decode?z=0", "model_id"),
    ("/sweep", "model_id"),
])
def test_bad_input_is_a_422_naming_the_field(clients, query, field):
    for client in clients:
        r = client.get(URL + query)
        assert r.status_code == 422, r.text
        assert r.json()["detail"].startswith(f"{field}:")


def test_hypotheses_do_not_apply_to_other_kinds(client):
    r = client.get("/api/models/mdn-toy/hypotheses?joints=0")
    assert r.status_code == 422 and "it applies to kinds pose" in r.json()["detail"]
