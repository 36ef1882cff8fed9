"""The ONNX export (models/onnx_export.py): a pure function of the checkpoint folder, recording what
it was exported from, and every served kind's tiny checkpoint gets its graphs on save."""

from __future__ import annotations

import json

import onnx

from models.onnx_export import CONFIG_KEY, WEIGHTS_KEY, config_record, export_checkpoint, weights_digest
from tests.conftest import write_tiny_checkpoints, write_tiny_pose


def test_save_exports_every_served_network(tmp_path):
    folder = write_tiny_pose(write_tiny_checkpoints(tmp_path))
    assert sorted(p.relative_to(folder).as_posix() for p in folder.glob("*/*.onnx")) == [
        "tiny-cvae/decoder.onnx", "tiny-cvae/encoder.onnx", "tiny-mdn/mdn.onnx", "tiny-pose/mdn.onnx",
        "tiny-vae/decoder.onnx", "tiny-vae/encoder.onnx"]


def test_export_is_a_pure_function_of_the_folder(tmp_path):
    folder = write_tiny_pose(write_tiny_checkpoints(tmp_path))
    before = {p: p.read_bytes() for p in folder.glob("*/*.onnx")}
    for directory in folder.iterdir():
        export_checkpoint(directory)
    assert {p: p.read_bytes() for p in folder.glob("*/*.onnx")} == before


def test_each_graph_records_its_config_and_weights(tmp_path):
    directory = write_tiny_checkpoints(tmp_path) / "tiny-cvae"
    props = {p.key: p.value for p in onnx.load(str(directory / "decoder.onnx")).metadata_props}
    meta = json.loads((directory / "meta.json").read_text())
    assert props[CONFIG_KEY] == config_record(meta["config"])
    assert props[WEIGHTS_KEY] == weights_digest(directory)
