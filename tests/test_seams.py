"""The seams the tree promises: the server loads no torch, no model or training code, no httpx, and
each command of the CLI imports what it needs and no more (a fresh interpreter per check, so nothing is already loaded)."""

from __future__ import annotations

import subprocess
import sys

from latent_explorer import cli
from latent_explorer.paths import REPO_ROOT

# torch and models/: training only (the server runs ONNX graphs, app/networks.py). httpx: only tests
# and the client use it. onnx: the exporter's, not the runtime's.
NOT_FOR_SERVING = ("torch", "models", "training", "httpx", "onnx", "tqdm")


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"})


def test_serving_imports_no_torch_and_no_training_module():
    result = _run(
        "import asyncio, sys\n"
        "from app.main import create_app\n"
        "app = create_app()\n"
        "async def serve():\n"
        "    async with app.router.lifespan_context(app):\n"  # loads and warms up every shipped checkpoint
        "        assert app.state.registry.models\n"
        "asyncio.run(serve())\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {NOT_FOR_SERVING!r}))\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_metrics_runs_without_the_train_extra():
    # sys.modules[name] = None makes `import name` fail, as if the package were not installed.
    result = _run("import sys\n"
                  "sys.modules.update(tqdm=None)\n"
                  "from latent_explorer.cli import main\n"
                  "sys.exit(main(['metrics']))\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| vae-2d |" in result.stdout and "| mdn-arm |" in result.stdout


def test_a_bad_id_is_named_before_the_missing_extra(monkeypatch, capsys):
    monkeypatch.setattr(cli, "TRAIN_EXTRA_MODULES", ("no_such_module_latent_explorer",))
    for command in (["train", "nope"], ["evaluate", "nope"]):
        assert cli.main(command) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "unknown checkpoint 'nope'" in err and "extra" not in err, err


def test_train_without_the_extra_names_it_in_one_line(monkeypatch, capsys):
    monkeypatch.setattr(cli, "TRAIN_EXTRA_MODULES", ("no_such_module_latent_explorer",))
    for command in (["train", "all"], ["evaluate", "all"]):
        assert cli.main(command) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "pip install -e '.[train]'" in err, err


def test_serve_command_imports_no_torch():
    # The CLI module and the checks `serve` runs before uvicorn starts: nothing of torch or training.
    result = _run("import sys\n"
                  "from latent_explorer import cli\n"
                  "args = cli.build_parser().parse_args(['serve'])\n"
                  "assert cli._unservable(args) is None\n"
                  f"print(sorted(m for m in sys.modules if m.split('.')[0] in {NOT_FOR_SERVING!r}))\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_metrics_imports_no_torch():
    result = _run("import sys\n"
                  "from latent_explorer.cli import main\n"
                  "main(['metrics'])\n"
                  "print('torch' in sys.modules)\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("False")
