"""`latent-explorer export [ID|all]`: (re)writes the ONNX graphs the server runs, refuses what it
cannot find in one line, and a re-export after the weights changed is what the server then serves."""

from __future__ import annotations

from fastapi.testclient import TestClient
from safetensors.torch import save_file

from app.main import create_app
from app.settings import Settings
from latent_explorer.cli import main
from models.checkpoint import load_checkpoint


def test_export_all_rewrites_every_graph(tiny_checkpoints, capsys):
    for graph in tiny_checkpoints.glob("*/*.onnx"):
        graph.unlink()
    assert main(["export", "all", "--checkpoints", str(tiny_checkpoints)]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = ["tiny-cvae/decoder.onnx", "tiny-cvae/encoder.onnx", "tiny-mdn/mdn.onnx", "tiny-vae/decoder.onnx",
                "tiny-vae/encoder.onnx"]
    assert [line.removeprefix("wrote ").removeprefix(f"{tiny_checkpoints}/") for line in lines] == expected
    assert sorted(p.relative_to(tiny_checkpoints).as_posix() for p in tiny_checkpoints.glob("*/*.onnx")) == expected


def test_unknown_checkpoint_is_refused_in_one_line(tiny_checkpoints, capsys):
    assert main(["export", "nope", "--checkpoints", str(tiny_checkpoints)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no checkpoint 'nope'" in err


def test_weights_changed_without_export_are_refused_until_exported(tiny_checkpoints):
    directory = tiny_checkpoints / "tiny-mdn"
    state = {k: v.clone() for k, v in load_checkpoint(directory).model.state_dict().items()}
    state["to_mu.bias"] += 0.5
    save_file({k: v.contiguous() for k, v in state.items()}, str(directory / "weights.safetensors"))
    with TestClient(create_app(Settings(checkpoints=tiny_checkpoints))) as c:
        [failed] = c.get("/healthz").json()["failed"]
        assert "exported from other weights" in failed["reason"] and "latent-explorer export tiny-mdn" in failed["reason"]
    assert main(["export", "tiny-mdn", "--checkpoints", str(tiny_checkpoints)]) == 0
    with TestClient(create_app(Settings(checkpoints=tiny_checkpoints))) as c:
        assert c.get("/healthz").json()["failed"] == []
        assert c.get("/api/models/tiny-mdn/density?x=0.5").status_code == 200
