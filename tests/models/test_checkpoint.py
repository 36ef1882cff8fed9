import json

import pytest
import torch

from models.checkpoint import Checkpoint, CheckpointError, load_checkpoint, save_checkpoint
from models.mdn import MDN, MDNConfig
from models.vae import VAE, VAEConfig


def _meta(kind, config):
    return {"id": "m", "kind": kind, "title": "t", "config": config}


def test_round_trip_rebuilds_the_same_model(tmp_path):
    torch.manual_seed(0)
    model = VAE(VAEConfig(latent_dim=3, hidden=[16], n_labels=10))
    extras = {"embedding_mu": torch.randn(5, 3)}
    save_checkpoint(tmp_path, Checkpoint(model, _meta("cvae", model.config.to_dict()), extras))
    loaded = load_checkpoint(tmp_path)
    z, y = torch.randn(2, 3), torch.eye(10)[:2]
    assert torch.equal(loaded.model.decode(z, y), model.decode(z, y))
    assert torch.equal(loaded.extras["embedding_mu"], extras["embedding_mu"])
    assert not loaded.model.training


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda d: (d / "weights.safetensors").write_bytes((d / "weights.safetensors").read_bytes()[:100]), "unreadable"),
        (lambda d: (d / "weights.safetensors").unlink(), "missing weights"),
        (lambda d: (d / "meta.json").write_text("{not json"), "not valid JSON"),
        (lambda d: (d / "meta.json").write_text(json.dumps(_meta("gan", {}))), "unknown kind"),
        (lambda d: (d / "meta.json").write_text(json.dumps(_meta("mdn", {"components": 9}))), "do not match"),
        (lambda d: (d / "meta.json").write_text(json.dumps(_meta("mdn", {"bogus": 1}))), "does not describe"),
        (lambda d: (d / "meta.json").write_text("[1, 2]"), "JSON object"),
    ],
)
def test_damaged_checkpoints_are_refused_with_a_reason(tmp_path, damage, reason):
    model = MDN(MDNConfig(components=3, hidden=[4]))
    save_checkpoint(tmp_path, Checkpoint(model, _meta("mdn", model.config.to_dict())))
    damage(tmp_path)
    with pytest.raises(CheckpointError, match=reason):
        load_checkpoint(tmp_path)
