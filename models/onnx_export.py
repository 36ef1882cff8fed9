"""Each served network of a checkpoint as an ONNX graph, for the torch-free server (app/networks.py).

The graphs are written node by node from the trained weights with `onnx.helper` rather than by
torch.onnx.export, which in torch 2.x traces through dynamo and needs onnxscript besides onnx. The
networks are small MLPs, so the graph is a direct transcription of each `forward`: Gemm for
nn.Linear (Wᵀ via transB), Relu/Tanh, BatchNormalization in inference form, Concat for the label,
LogSoftmax for π. Every graph takes a symbolic batch dimension "batch".

What each file computes (inputs → outputs, float32):
    decoder.onnx  z (B, latent_dim) [, y (B, n_labels)] → pixels (B, 784) in [0, 1]   VAE.decode
    encoder.onnx  x (B, 784) [, y (B, n_labels)] → mu, logvar (B, latent_dim)         VAE.encode
    mdn.onnx      x (B, input_dim) → log_pi (B, K), log_sigma (B, K), mu (B, K, L)    MDN.forward
                  for a pose model: x the 2-D joints (B, 30) in metres, and the mixture over the
                  depths in metres (the served units: app/kinds/poses.py), input centring, z-scoring
                  and the fixed bone lengths inside the graph.

The export is a pure function of the checkpoint folder: the same files give the same bytes, so
`latent-explorer export all` after retraining changes exactly the graphs whose weights changed.
Each graph records meta.json's config and the sha256 of weights.safetensors it came from; the
server refuses a graph whose record differs from the folder (weights retrained, not re-exported)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

from models import skeleton
from models.checkpoint import WEIGHTS, load_checkpoint
from models.mdn import MDN
from models.pose_mdn import PoseMDN, ResidualBlock
from models.vae import IMAGE_PIXELS, VAE
from runtime.checkpoint import CONFIG_KEY, OPS_KEY, WEIGHTS_KEY, config_record
from runtime.checkpoint import weights_digest as digest_of

OPSET = 17  # onnxruntime ≥ 1.14 runs it; every op used here exists in it unchanged
# The files a kind's checkpoint serves from; the classifier (evaluators/) is not served.
NETWORKS = {"vae": ("decoder", "encoder"), "cvae": ("decoder", "encoder"), "mdn": ("mdn",), "pose": ("mdn",)}


def weights_digest(directory: Path) -> str:
    return digest_of((Path(directory) / WEIGHTS).read_bytes())


class _Graph:
    """Nodes and constants appended in order; names are made unique by a counter."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.count = 0

    def name(self, stem: str) -> str:
        self.count += 1
        return f"{stem}_{self.count}"

    def const(self, value, stem: str = "c", dtype=np.float32) -> str:
        name = self.name(stem)
        self.initializers.append(numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    def op(self, op_type: str, *inputs: str, out: str | None = None, **attrs) -> str:
        out = out or self.name(op_type.lower())
        self.nodes.append(helper.make_node(op_type, list(inputs), [out], **attrs))
        return out

    def tensor(self, t: torch.Tensor, stem: str) -> str:
        return self.const(t.detach().cpu().numpy(), stem)

    def module(self, m: nn.Module, x: str) -> str:
        """One eval-mode module applied to x (B, in): the layer types the served networks use."""
        if isinstance(m, nn.Sequential):
            for child in m:
                x = self.module(child, x)
            return x
        if isinstance(m, nn.Linear):
            return self.linear(m, x)
        if isinstance(m, nn.ReLU):
            return self.op("Relu", x)
        if isinstance(m, nn.Tanh):
            return self.op("Tanh", x)
        if isinstance(m, nn.Dropout):
            return x  # the identity at inference
        if isinstance(m, nn.BatchNorm1d):
            return self.op("BatchNormalization", x, self.tensor(m.weight, "bn_scale"), self.tensor(m.bias, "bn_bias"),
                           self.tensor(m.running_mean, "bn_mean"), self.tensor(m.running_var, "bn_var"),
                           epsilon=float(m.eps))
        if isinstance(m, ResidualBlock):
            return self.op("Add", x, self.module(m.layers, x))
        raise ValueError(f"no ONNX transcription for {type(m).__name__}")

    def linear(self, m: nn.Linear, x: str) -> str:
        if m.bias is None:
            raise ValueError("a Linear without bias")
        return self.op("Gemm", x, self.tensor(m.weight, "weight"), self.tensor(m.bias, "bias"), transB=1)

    def model(self, inputs: list[tuple[str, list]], outputs: list[tuple[str, list]], doc: str,
              metadata: dict[str, str]) -> onnx.ModelProto:
        graph = helper.make_graph(
            self.nodes, "latent_explorer",
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
            [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in outputs],
            initializer=self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="latent-explorer export", doc_string=doc)
        model.ir_version = 8  # what opset 17 needs; not the newest onnx's default, which older runtimes refuse
        helper.set_model_props(model, {**metadata, OPS_KEY: ",".join(n.op_type for n in self.nodes)})
        onnx.checker.check_model(model, full_check=True)
        return model


B = "batch"  # the symbolic batch dimension


def _with_label(g: _Graph, v: str, vae: VAE) -> str:
    return g.op("Concat", v, "y", axis=1) if vae.config.n_labels else v


def _label_input(vae: VAE) -> list:
    return [("y", [B, vae.config.n_labels])] if vae.config.n_labels else []


def decoder_graph(vae: VAE, metadata: dict[str, str]) -> onnx.ModelProto:
    g = _Graph()
    g.op("Sigmoid", g.module(vae.decoder, _with_label(g, "z", vae)), out="pixels")
    return g.model([("z", [B, vae.config.latent_dim]), *_label_input(vae)], [("pixels", [B, IMAGE_PIXELS])],
                   "VAE.decode: pixel probabilities of z (and the label weights y)", metadata)


def encoder_graph(vae: VAE, metadata: dict[str, str]) -> onnx.ModelProto:
    g = _Graph()
    h = g.module(vae.encoder_body, _with_label(g, "x", vae))
    g.op("Identity", g.linear(vae.to_mu, h), out="mu")
    g.op("Identity", g.linear(vae.to_logvar, h), out="logvar")
    d = vae.config.latent_dim
    return g.model([("x", [B, IMAGE_PIXELS]), *_label_input(vae)], [("mu", [B, d]), ("logvar", [B, d])],
                   "VAE.encode: mean and log-variance of q(z|x)", metadata)


def _mixture_outputs(k: int, l: int) -> list:
    return [("log_pi", [B, k]), ("log_sigma", [B, k]), ("mu", [B, k, l])]


def mdn_graph(mdn: MDN, metadata: dict[str, str]) -> onnx.ModelProto:
    g = _Graph()
    c = mdn.config
    h = g.module(mdn.body, "x")
    g.op("LogSoftmax", g.linear(mdn.to_pi, h), axis=-1, out="log_pi")
    g.op("Max", g.linear(mdn.to_sigma, h), g.const(c.log_sigma_min), out="log_sigma")  # σ's clamp (MDNConfig)
    g.op("Reshape", g.linear(mdn.to_mu, h), g.const([-1, c.components, c.output_dim], dtype=np.int64), out="mu")
    return g.model([("x", [B, c.input_dim])], _mixture_outputs(c.components, c.output_dim),
                   "MDN.forward: the mixture p(t|x)", metadata)


def pose_graph(model: PoseMDN, metadata: dict[str, str]) -> onnx.ModelProto:
    """PoseMDN.forward and the server's conversion to metres (app/kinds/poses.py: one target scale s,
    log σ + log s, μ·s + target mean), from the flat 2-D joints (B, 2·joints)."""
    c = model.config
    std = model.target_std
    if not bool((std == std[0]).all()):
        raise ValueError("the targets are z-scored with several scales: the density in metres needs one")
    g = _Graph()
    joints = g.op("Reshape", "x", g.const([-1, c.joints, 2], dtype=np.int64))  # (B, 15, 2)
    root = g.op("Slice", joints, g.const([skeleton.ROOT], dtype=np.int64), g.const([skeleton.ROOT + 1], dtype=np.int64),
                g.const([1], dtype=np.int64))
    centred = g.op("Reshape", g.op("Sub", joints, root), g.const([-1, c.input_dim], dtype=np.int64))
    x = g.op("Div", g.op("Sub", centred, g.tensor(model.input_mean, "input_mean")), g.tensor(model.input_std, "input_std"))
    h = g.module(model.blocks, g.module(model.stem, x))
    g.op("LogSoftmax", g.linear(model.to_pi, h), axis=-1, out="log_pi")
    a_sigma = g.linear(model.to_sigma, h)
    # σ = ELU(a) + 1 in log form: a below 0, log(1 + a) above (ONNX has no Log1p; the difference is
    # in log σ's last bits near 0, where σ itself is 1).
    zero = g.const(0.0)
    log_sigma = g.op("Where", g.op("Less", a_sigma, zero), a_sigma,
                     g.op("Log", g.op("Add", g.const(1.0), g.op("Max", a_sigma, zero))))
    log_sigma = g.op("Max", log_sigma, g.const(c.log_sigma_min))
    scale = float(std[0])
    g.op("Add", log_sigma, g.const(math.log(scale)), out="log_sigma")
    mu = g.op("Reshape", g.linear(model.to_mu, h), g.const([-1, c.components, c.output_dim], dtype=np.int64))
    target_mean = g.tensor(model.target_mean, "target_mean")
    if c.fixed_bone_lengths:
        parents, children = (list(side) for side in zip(*skeleton.BONES))
        bones = g.op("Sub", g.op("Gather", joints, g.const(children, dtype=np.int64), axis=1),
                     g.op("Gather", joints, g.const(parents, dtype=np.int64), axis=1))  # (B, 14, 2)
        across = g.op("ReduceSum", g.op("Mul", bones, bones), g.const([-1], dtype=np.int64), keepdims=0)  # (B, 14)
        length = model.bone_length
        reach = g.op("Sqrt", g.op("Max", g.op("Sub", g.tensor(length * length, "bone_length_sq"), across), zero))
        mu = g.op("Mul", g.op("Tanh", mu), g.op("Unsqueeze", reach, g.const([1], dtype=np.int64)))
        mu = g.op("Div", g.op("Sub", mu, target_mean), g.tensor(std, "target_std"))
    g.op("Add", g.op("Mul", mu, g.const(scale)), target_mean, out="mu")
    return g.model([("x", [B, c.input_dim])], _mixture_outputs(c.components, c.output_dim),
                   "PoseMDN.forward in metres: the mixture over the joints' depths given the 2-D joints", metadata)


def graphs(model: nn.Module, kind: str, metadata: dict[str, str]) -> dict[str, onnx.ModelProto]:
    """name → graph for every network a kind serves."""
    if kind in ("vae", "cvae"):
        return {"decoder": decoder_graph(model, metadata), "encoder": encoder_graph(model, metadata)}
    if kind == "mdn":
        return {"mdn": mdn_graph(model, metadata)}
    if kind == "pose":
        return {"mdn": pose_graph(model, metadata)}
    raise ValueError(f"kind {kind!r} serves no network")


def export_checkpoint(directory: Path) -> list[Path]:
    """Write <name>.onnx beside weights.safetensors for every network the checkpoint serves; the
    paths written (none for a kind that is not served)."""
    directory = Path(directory)
    ckpt = load_checkpoint(directory)
    kind = ckpt.meta["kind"]
    if kind not in NETWORKS:
        return []
    metadata = {CONFIG_KEY: config_record(ckpt.meta["config"]), WEIGHTS_KEY: weights_digest(directory)}
    for stale in directory.glob("*.onnx"):  # a failed export must not leave the previous weights' graphs
        stale.unlink()
    written = []
    with torch.no_grad():
        for name, model in graphs(ckpt.model, kind, metadata).items():
            path = directory / f"{name}.onnx"
            path.write_bytes(model.SerializeToString())
            written.append(path)
    return written
