import json

from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings

EXPECTED = {"vae-2d": "vae", "vae-8d": "vae", "cvae": "cvae", "fashion-vae-2d": "vae", "fashion-cvae": "cvae",
            "mdn-toy": "mdn", "mdn-arm": "mdn", "pose-mdn": "pose", "pose-unimodal": "pose"}


def test_lists_every_shipped_model_with_its_kind_fields(client):
    r = client.get("/api/models")
    assert r.status_code == 200
    models = {m["id"]: m for m in r.json()}
    assert {k: m["kind"] for k, m in models.items()} == EXPECTED
    for m in models.values():
        assert m["title"] and m["description"] and m["metrics"], m["id"]
        if m["kind"] in ("vae", "cvae"):
            assert m["image_shape"] == [28, 28] and m["latent_dim"] >= 2
        else:
            assert m["input_dim"] == len(m["input_range"]) and m["output_dim"] >= 1
            assert m["components"] >= (1 if m["kind"] == "pose" else 3)
    assert models["cvae"]["labels"] == list(range(10))
    assert models["vae-2d"]["latent_dim"] == 2
    # Names beside the indices the API takes; the data set each image model learned from.
    assert models["cvae"]["label_names"] == [str(d) for d in range(10)] and models["cvae"]["dataset"] == "mnist"
    assert models["fashion-cvae"]["labels"] == list(range(10)) and models["fashion-cvae"]["dataset"] == "fashion"
    assert models["fashion-cvae"]["label_names"][9] == "Ankle boot"
    assert models["fashion-vae-2d"]["label_names"][0] == "T-shirt/top"
    # The pose model: its skeleton, cameras, held-out clips and its unimodal twin.
    pose = models["pose-mdn"]
    assert len(pose["joints"]) == 15 and pose["input_dim"] == 30 and pose["components"] == 5
    assert pose["baseline"] == "pose-unimodal" and models["pose-unimodal"]["components"] == 1
    assert pose["cameras"]["projection"] == "orthographic" and pose["test_clips"] == ["dance_b", "kick", "walk"]


def test_one_model_and_unknown_model(client):
    r = client.get("/api/models/cvae")
    assert r.status_code == 200 and r.json()["id"] == "cvae"
    r = client.get("/api/models/nope")
    assert r.status_code == 404
    assert "model_id" in r.json()["detail"] and "vae-2d" in r.json()["detail"]


def test_health_counts_models(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    # The TestClient runs the app on asyncio's loop with no HTTP server, hence no parser.
    assert r.json() == {"status": "ok", "models": len(EXPECTED), "failed": [], "event_loop": "asyncio",
                        "http_parser": None}


def test_broken_checkpoints_are_reported_and_the_rest_served(tiny_checkpoints):
    (tiny_checkpoints / "tiny-mdn" / "weights.safetensors").write_bytes(b"\x00" * 10)
    meta = json.loads((tiny_checkpoints / "tiny-cvae" / "meta.json").read_text())
    (tiny_checkpoints / "tiny-cvae" / "meta.json").write_text(json.dumps({**meta, "kind": "gan"}))
    with TestClient(create_app(Settings(checkpoints=tiny_checkpoints))) as c:
        health = c.get("/healthz").json()
        assert health["models"] == 1
        reasons = {f["path"].rsplit("/", 1)[-1]: f["reason"] for f in health["failed"]}
        assert set(reasons) == {"tiny-mdn", "tiny-cvae"}
        assert "unreadable" in reasons["tiny-mdn"] and "unknown kind" in reasons["tiny-cvae"], reasons
        assert c.get("/api/models/tiny-vae/decode?z=0,0,0").status_code == 200


def test_missing_folder_starts_with_no_models(tmp_path):
    with TestClient(create_app(Settings(checkpoints=tmp_path / "absent"))) as c:
        health = c.get("/healthz").json()
        assert health["models"] == 0 and "does not exist" in health["failed"][0]["reason"]
        assert c.get("/api/models").json() == []


def test_openapi_lists_every_operation_and_the_model_ids(client):
    doc = client.get("/openapi.json").json()
    operations = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    for op in [
        ("GET", "/api/models"), ("GET", "/api/models/{model_id}"), ("GET", "/api/models/{model_id}/decode"),
        ("GET", "/api/models/{model_id}/generate"), ("GET", "/api/models/{model_id}/manifold"),
        ("GET", "/api/models/{model_id}/embedding"), ("POST", "/api/models/{model_id}/encode"),
        ("GET", "/api/models/{model_id}/density"), ("GET", "/api/models/{model_id}/hypotheses"),
        ("GET", "/api/models/{model_id}/test-poses"), ("GET", "/healthz"), ("GET", "/"),
    ]:
        assert op in operations, op
    decode = doc["paths"]["/api/models/{model_id}/decode"]["get"]
    model_param = next(p for p in decode["parameters"] if p["name"] == "model_id")
    assert set(model_param["schema"]["examples"]) == set(EXPECTED)
    assert "image/png" in decode["responses"]["200"]["content"]
    assert client.get("/docs").status_code == 200
