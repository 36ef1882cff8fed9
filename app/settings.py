"""Settings in one place; tests and deployments override them through the environment or arguments."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from latent_explorer.paths import CHECKPOINTS, REPO_ROOT


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


@dataclass
class Settings:
    checkpoints: Path = field(default_factory=lambda: _env_path("LATENT_EXPLORER_CHECKPOINTS", CHECKPOINTS))
    static_dir: Path = REPO_ROOT / "static"
    templates_dir: Path = REPO_ROOT / "templates"
    # Intra-op threads of each network's onnxruntime session. The models are small MLPs: a second
    # thread mostly adds synchronisation (bench/RESULTS.md, "ONNX Runtime"); scale out with workers.
    threads: int = field(default_factory=lambda: int(os.environ.get("LATENT_EXPLORER_THREADS", "1")))
    cache_max_age: int = 3600  # seconds a browser or CDN may reuse a pure GET
    max_body_bytes: int = 2 * 1024 * 1024  # POST /encode: a 28×28 JSON or a PNG is far smaller
