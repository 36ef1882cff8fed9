"""The served networks: one onnxruntime session per ONNX graph that `latent-explorer export` wrote
beside a checkpoint's weights (models/onnx_export.py says what each graph computes).

A graph is served only if it was exported from the folder as it is now: it records meta.json's config
and the sha256 of weights.safetensors, and a graph whose record differs (retrained, not re-exported;
a config edited by hand) is a broken checkpoint, as is one onnxruntime cannot load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort

from runtime.checkpoint import CONFIG_KEY, OPS_KEY, WEIGHTS, WEIGHTS_KEY, ChangedOnDisk, CheckpointError


def session_options(threads: int) -> ort.SessionOptions:
    """Thread settings measured in bench/RESULTS.md ("ONNX Runtime"): one intra-op thread by default
    (the networks are small; scale out with workers), no inter-op parallelism (each graph is a chain),
    and no spinning: a spinning pool would take the core the event loop needs for I/O between calls."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    # The arena keeps a high-water mark of activations per session for the process's life: +10 MiB
    # resident after start with it, and no call measured faster (bench/RESULTS.md).
    options.enable_cpu_mem_arena = False
    options.log_severity_level = 3  # errors only: a broken graph is reported by the registry
    return options


@dataclass
class Network:
    """One graph's session; `inputs` maps each input's name to its width (the size after the batch),
    `outputs` each output's name to its shape after the batch."""

    name: str
    path: Path
    threads: int
    session: ort.InferenceSession | None  # None between `release` and the next `run`
    inputs: dict[str, int]
    outputs: dict[str, tuple]
    ops: tuple[str, ...]  # the graph's operators in order, as the export recorded them
    record: dict[str, str]  # what the graph recorded when it was checked at start-up

    def run(self, **feeds: np.ndarray) -> list[np.ndarray]:
        """float32 inputs (B, width) by name → the outputs, in the graph's order."""
        if self.session is None:
            self.session = self._reopen()
        return self.session.run(None, feeds)

    def _reopen(self) -> ort.InferenceSession:
        """The session again after `release`, if the file still holds the graph checked at start-up;
        ChangedOnDisk otherwise (the routes answer 503: restart the server to serve a new export)."""
        try:
            session = _session(self.path, self.threads)
        except Exception as e:  # noqa: BLE001 - onnxruntime's own error types
            raise ChangedOnDisk(f"{self.path} no longer loads ({str(e).splitlines()[0][:120]}); restart the server") from None
        if session.get_modelmeta().custom_metadata_map != self.record:
            raise ChangedOnDisk(f"{self.path} changed since start-up; restart the server to serve it")
        return session

    def width(self, output: str) -> tuple | None:
        """An output's declared shape after the batch dimension; None for a graph without that output."""
        return self.outputs.get(output)

    def release(self) -> None:
        """Drop the session until the next `run`: for a graph few requests use (the encoder), whose
        weights need not be resident from start-up (bench/RESULTS.md, "ONNX Runtime": memory)."""
        self.session = None


def _session(path: Path, threads: int) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), session_options(threads), providers=["CPUExecutionProvider"])


def open_network(directory: Path, name: str, config_record: str | None, weights_digest: str | None,
                 threads: int = 1) -> Network:
    """<directory>/<name>.onnx in a session; CheckpointError naming the file and the reason otherwise.
    The graph must record this config and weights digest (None: not checked)."""
    path = Path(directory) / f"{name}.onnx"
    if not path.is_file():
        raise CheckpointError(f"missing {path.name} (write it with: latent-explorer export {Path(directory).name})")
    try:
        session = _session(path, threads)
    except Exception as e:  # noqa: BLE001 - onnxruntime raises its own types for a truncated or invalid graph
        raise CheckpointError(f"{path.name} does not load: {str(e).splitlines()[0][:200]}") from None
    record = session.get_modelmeta().custom_metadata_map
    if record.get(CONFIG_KEY) != config_record and config_record is not None:
        raise CheckpointError(f"{path.name} was exported from another config than meta.json's "
                              f"(re-export: latent-explorer export {Path(directory).name})")
    if record.get(WEIGHTS_KEY) != weights_digest and weights_digest is not None:
        raise CheckpointError(f"{path.name} was exported from other weights than {WEIGHTS} "
                              f"(re-export: latent-explorer export {Path(directory).name})")
    inputs = {}
    for i in session.get_inputs():
        if i.type != "tensor(float)" or len(i.shape) != 2 or not isinstance(i.shape[1], int):
            raise CheckpointError(f"{path.name} input {i.name} is not a float32 (batch, width) tensor")
        inputs[i.name] = i.shape[1]
    return Network(name, path, threads, session, inputs, {o.name: tuple(o.shape[1:]) for o in session.get_outputs()},
                   tuple(op for op in record.get(OPS_KEY, "").split(",") if op), dict(record))

