"""Where a source checkout keeps what the server reads and training writes: one definition for
the app's settings, the training pipeline, the benchmarks and the tests."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHECKPOINTS = REPO_ROOT / "checkpoints"  # served
EVALUATORS = REPO_ROOT / "evaluators"  # used by evaluation only, never served
