"""The registry: each checkpoint read by its kind's declaration, its facts checked against the network,
its version a hash of its files, and every defect reported with the file and the field."""

from __future__ import annotations

import dataclasses
import json

import pytest
import torch
from safetensors.torch import save_file

from app.kind import kinds_supporting, routers
from app.kinds import BUILTIN_KINDS, CVAE_KIND, MDN_KIND, VAE_KIND
from app.networks import open_network
from app.registry import load_registry, read_facts
from models.checkpoint import CheckpointError
from models.mdn import MDN, MDNConfig
from models.onnx_export import graphs
from models.vae import VAE, VAEConfig


def _edit(directory, **changes):
    meta = json.loads((directory / "meta.json").read_text())
    (directory / "meta.json").write_text(json.dumps({**meta, **changes}))


def test_every_tiny_checkpoint_is_served_by_its_kind(tiny_checkpoints):
    registry = load_registry(tiny_checkpoints)
    assert registry.failed == []
    assert {m.id: m.kind for m in registry.models.values()} == {"tiny-cvae": "cvae", "tiny-mdn": "mdn", "tiny-vae": "vae"}
    assert registry.models["tiny-cvae"].spec is CVAE_KIND
    assert registry.models["tiny-cvae"].labels == list(range(10)) and registry.models["tiny-vae"].labels == []


def test_info_shows_the_facts_as_meta_json_spells_them(tiny_checkpoints):
    _edit(tiny_checkpoints / "tiny-mdn", input_range=[[0, 1]])  # ints: validation reads them as floats
    info = load_registry(tiny_checkpoints).models["tiny-mdn"].info
    assert json.dumps(info["input_range"]) == "[[0, 1]]"
    assert {"input_dim", "output_dim", "components", "output_range"} <= set(info)
    assert "latent_dim" not in info and "decoder" not in info
    assert "decoder" in load_registry(tiny_checkpoints).models["tiny-vae"].info


SMALL_VAE = VAE(VAEConfig(latent_dim=3, hidden=[4]))


@pytest.mark.parametrize(("kind", "meta", "model", "message"), [
    (VAE_KIND, {"latent_dim": "3"}, SMALL_VAE, "meta.json latent_dim: Input should be a valid integer"),
    (VAE_KIND, {}, SMALL_VAE, "meta.json latent_dim: Field required"),
    (VAE_KIND, {"latent_dim": 5}, SMALL_VAE, "meta.json latent_dim: 5 does not match the model (3)"),
    (VAE_KIND, {"latent_dim": 3, "image_shape": [32, 32]}, SMALL_VAE, "meta.json image_shape"),
    (CVAE_KIND, {"latent_dim": 2, "labels": [0, 1]}, VAE(VAEConfig(latent_dim=2, hidden=[4], n_labels=3)),
     "meta.json labels: must be 3 distinct integers"),
    (CVAE_KIND, {"latent_dim": 2, "labels": [0, 1, 1]}, VAE(VAEConfig(latent_dim=2, hidden=[4], n_labels=3)),
     "meta.json labels: must be 3 distinct integers"),
    (CVAE_KIND, {"latent_dim": 2, "labels": [0, 1, 2], "label_names": ["a", ""]},
     VAE(VAEConfig(latent_dim=2, hidden=[4], n_labels=3)), "meta.json label_names"),
    (MDN_KIND, {"input_dim": 1, "output_dim": 1, "components": 2, "input_range": [[0, float("nan")]],
                "output_range": [[0, 1]]}, MDN(MDNConfig(components=2, hidden=[4])), "meta.json input_range.0.1"),
    (MDN_KIND, {"input_dim": 1, "output_dim": 1, "components": 2, "input_range": [[1, 0]], "output_range": [[0, 1]]},
     MDN(MDNConfig(components=2, hidden=[4])), "meta.json input_range: must be 1 pairs"),
    (MDN_KIND, {"input_dim": 1, "output_dim": 1, "components": 2, "input_range": [[0, 1]], "output_range": [[0, 1]],
                "arm": {"l1": 0.8, "l2": 0.2, "theta1_range": [0, 1], "theta2_range": [0, 1]}},
     MDN(MDNConfig(components=2, hidden=[4])), "meta.json arm: needs a model from (x1, x2)"),
    (MDN_KIND, {"input_dim": 2, "output_dim": 2, "components": 2, "input_range": [[0, 1]] * 2, "output_range": [[0, 1]] * 2,
                "arm": {"l1": -1, "l2": 0.2, "theta1_range": [0, 1], "theta2_range": [0, 1]}},
     MDN(MDNConfig(input_dim=2, output_dim=2, components=2, hidden=[4])), "meta.json arm.l1"),
])
def test_facts_that_do_not_fit_name_the_file_and_the_field(kind, meta, model, message, tmp_path):
    for name, graph in graphs(model, kind.name, {}).items():
        (tmp_path / f"{name}.onnx").write_bytes(graph.SerializeToString())
    networks = {name: open_network(tmp_path, name, None, None) for name in kind.networks}
    with pytest.raises(CheckpointError) as error:
        read_facts(kind, meta, networks)
    assert message in str(error.value)


def test_an_unknown_kind_names_the_served_ones(tiny_checkpoints):
    _edit(tiny_checkpoints / "tiny-vae", kind="gan")
    registry = load_registry(tiny_checkpoints)
    [failed] = registry.failed
    assert failed["reason"] == f"unknown kind 'gan' (served kinds: {', '.join(k.name for k in BUILTIN_KINDS)})"
    assert "tiny-vae" not in registry.models


def test_the_served_kinds_are_the_ones_given(tiny_checkpoints):
    registry = load_registry(tiny_checkpoints, kinds=(MDN_KIND,))
    assert list(registry.models) == ["tiny-mdn"] and len(registry.failed) == 2


def test_the_version_changes_with_any_file(tiny_checkpoints):
    before = {m.id: m.version for m in load_registry(tiny_checkpoints).models.values()}
    _edit(tiny_checkpoints / "tiny-vae", title="retitled")
    save_file({"data_x": torch.rand(3, 1), "data_t": torch.rand(3, 1)}, str(tiny_checkpoints / "tiny-mdn" / "extras.safetensors"))
    after = {m.id: m.version for m in load_registry(tiny_checkpoints).models.values()}
    assert after["tiny-cvae"] == before["tiny-cvae"]
    assert after["tiny-vae"] != before["tiny-vae"] and after["tiny-mdn"] != before["tiny-mdn"]


@pytest.mark.parametrize(("tensors", "reason"), [
    ({"data_x": torch.rand(3, 1)}, "extras hold data_x without its partner"),
    ({"data_x": torch.rand(3, 2), "data_t": torch.rand(3, 1)}, "extras data_x has shape (3, 2)"),
    ({"data_x": torch.rand(3, 1), "data_t": torch.rand(4, 1)}, "does not fit the model"),
])
def test_extras_must_fit_the_declaration(tiny_checkpoints, tensors, reason):
    save_file(tensors, str(tiny_checkpoints / "tiny-mdn" / "extras.safetensors"))
    [failed] = load_registry(tiny_checkpoints).failed
    assert reason in failed["reason"]


def test_a_failing_warm_up_leaves_the_checkpoint_out(tiny_checkpoints):
    def broken(served):
        raise RuntimeError("no forward pass today")

    kinds = (VAE_KIND, CVAE_KIND, dataclasses.replace(MDN_KIND, warm_up=broken))
    registry = load_registry(tiny_checkpoints, kinds)
    [failed] = registry.failed
    assert failed["reason"] == "warm-up forward pass failed: no forward pass today"
    assert set(registry.models) == {"tiny-vae", "tiny-cvae"}


def test_operations_and_routers_are_read_from_the_declarations():
    assert kinds_supporting(BUILTIN_KINDS, "decode") == ["vae", "cvae"]
    assert kinds_supporting(BUILTIN_KINDS, "density") == ["mdn", "pose"]
    assert set(VAE_KIND.fast) == {"decode", "manifold"} and set(MDN_KIND.fast) == {"density"}
    assert len(routers(BUILTIN_KINDS)) == 5  # images, decoder, encode, mixtures, poses: each once
    assert routers([MDN_KIND, MDN_KIND]) == [MDN_KIND.operations[0].router]
