"""latent-explorer data|train|evaluate|export|metrics|serve. Training code is imported only by the commands that
need it, so `serve` never loads training code or the data packages."""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

# What `pip install -e '.[train]'` adds (pyproject.toml): train, evaluate and export need it; data,
# metrics and serve do not.
TRAIN_EXTRA_MODULES = ("torch", "onnx", "tqdm")


def _missing_train_extra(command: str) -> bool:
    """True after one line saying which extra to install, when part of it is missing."""
    missing = [m for m in TRAIN_EXTRA_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        print(f"latent-explorer: {command} needs the 'train' extra ({', '.join(missing)} missing): "
              "pip install -e '.[train]'", file=sys.stderr)
    return bool(missing)


def _training_pipeline():
    """training.pipeline, or None after one line saying which extra to install."""
    if _missing_train_extra("training"):
        return None
    from training import pipeline

    return pipeline


def _data(args: argparse.Namespace) -> int:
    from training.datasets import DataError, fetch

    try:
        folder = fetch(args.name, Path(args.into) if args.into else None)
        if args.name == "poses":  # the frames through forward kinematics, as training will read them
            from training.poses import load_poses, summary

            print(f"Poses: {summary(load_poses(folder))}", file=sys.stderr)
        print(folder)
    except DataError as e:
        print(f"latent-explorer data: {e}", file=sys.stderr)
        return 2
    return 0


def _data_dirs(name: str, values: list[str]) -> dict[str, Path]:
    """--data DIR (the one data set the named models need) or --data NAME=DIR, repeatable."""
    from training.datasets import DATASETS, DataError
    from training.pipeline import datasets_needed

    dirs = {}
    for value in values:
        key, _, folder = value.partition("=")
        if folder and key in DATASETS:
            dirs[key] = Path(folder)
            continue
        needed = datasets_needed(name)
        if len(needed) != 1:
            raise DataError(f"--data {value}: {name!r} needs {', '.join(needed) or 'no image data'}; "
                            f"say which with --data NAME=DIR (NAME one of {', '.join(DATASETS)})")
        dirs[needed[0]] = Path(value)
    return dirs


def _one_line(error: Exception) -> str:
    # KeyError quotes its message in str(); an OSError from the system keeps its file name only there
    return error.args[0] if len(error.args) == 1 else str(error)


def _folders(out: str | None) -> dict:
    """--out DIR: a copy's OUT/checkpoints and OUT/evaluators in place of the shipped folders, e.g. to
    retrain without overwriting what ships and compare the two."""
    if not out:
        return {}
    return {"checkpoints": Path(out) / "checkpoints", "evaluators": Path(out) / "evaluators"}


def _unknown_id(command: str, name: str) -> bool:
    """True after one line naming the choices, when `name` is no checkpoint id: said before the extra
    is looked for, since installing it would not help."""
    from training.order import names

    try:
        names(name)
    except KeyError as e:
        print(f"latent-explorer {command}: {e.args[0]}", file=sys.stderr)
        return True
    return False


def _train(args: argparse.Namespace) -> int:
    if _unknown_id("train", args.name):
        return 2
    pipeline = _training_pipeline()
    if pipeline is None:
        return 2
    from training.datasets import DataError

    if args.seed is not None and not args.out:  # the shipped weights are the recipe's seed, always
        print("latent-explorer train: --seed trains another seed than the recipe's; give --out DIR for it",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        written = pipeline.train(args.name, _data_dirs(args.name, args.data), show_progress=not args.quiet,
                                 seed=args.seed, **_folders(args.out))
    except (KeyError, DataError, FileNotFoundError) as e:  # a bad id or data: one line, not a traceback
        print(f"latent-explorer train: {_one_line(e)}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    print(f"total training and evaluation time: {time.perf_counter() - started:.1f} s")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    if _unknown_id("evaluate", args.name):
        return 2
    pipeline = _training_pipeline()
    if pipeline is None:
        return 2
    from training.datasets import DataError

    try:
        results = pipeline.evaluate(args.name, _data_dirs(args.name, args.data), show_progress=not args.quiet,
                                    **_folders(args.out))
    except (KeyError, DataError, FileNotFoundError) as e:
        print(f"latent-explorer evaluate: {_one_line(e)}", file=sys.stderr)
        return 2
    print(json.dumps(results, indent=2))
    return 0


def _export(args: argparse.Namespace) -> int:
    """Write the ONNX graphs the server runs (models/onnx_export.py) for one checkpoint or every one."""
    from latent_explorer.paths import CHECKPOINTS

    folder = Path(args.checkpoints) if args.checkpoints else CHECKPOINTS
    if args.name == "all":
        targets = sorted(d for d in folder.iterdir() if (d / "meta.json").is_file()) if folder.is_dir() else []
        if not targets:
            print(f"latent-explorer export: no checkpoint in {folder}", file=sys.stderr)
            return 2
    else:
        targets = [folder / args.name]
        if not (targets[0] / "meta.json").is_file():
            print(f"latent-explorer export: no checkpoint {args.name!r} in {folder}", file=sys.stderr)
            return 2
    if _missing_train_extra("export"):
        return 2
    from models.checkpoint import CheckpointError
    from models.onnx_export import export_checkpoint

    failed = 0
    for directory in targets:
        try:
            written = export_checkpoint(directory)
        except (CheckpointError, ValueError) as e:
            print(f"latent-explorer export: {directory}: {e}", file=sys.stderr)
            failed += 1
            continue
        for path in written:
            print(f"wrote {path}")
    return 1 if failed else 0


def _metrics(args: argparse.Namespace) -> int:
    # Reads meta.json only: no training code, so it works without the 'train' extra.
    from training.order import checkpoint_dir, names
    from training.report import metrics_table

    folders = _folders(args.out)
    print(metrics_table([checkpoint_dir(n, **folders) for n in names("all")
                         if (checkpoint_dir(n, **folders) / "meta.json").is_file()]))
    return 0


def _serve(args: argparse.Namespace) -> int:
    problem = _unservable(args)
    if problem:  # before any model loads: a server that cannot do its job should not start
        print(f"latent-explorer serve: {problem}", file=sys.stderr)
        return 2
    import uvicorn

    if args.checkpoints:
        os.environ["LATENT_EXPLORER_CHECKPOINTS"] = args.checkpoints
    from latent_explorer.nodelay import http_protocol

    # loop="auto" (uvicorn's default): uvloop where it imports, asyncio otherwise; the HTTP parser
    # likewise httptools or h11, with TCP_NODELAY set per connection (nodelay.py).
    uvicorn.run("app.main:create_app", factory=True, host=args.host, port=args.port, workers=args.workers,
                log_level=args.log_level, http=http_protocol())
    return 0


def _unservable(args: argparse.Namespace) -> str | None:
    """Why `serve` cannot do what it was asked, in one line; None when it can."""
    if not 1 <= args.port <= 65535:  # the socket layer would wrap 99999 to 34463, and refuse −1 obscurely
        return f"--port {args.port} is not a TCP port; choose one in 1–65535 (the default is 8000)"
    if args.workers < 1:
        return f"--workers {args.workers}: at least one worker is needed"
    from latent_explorer.paths import CHECKPOINTS

    folder = Path(args.checkpoints) if args.checkpoints else Path(os.environ.get("LATENT_EXPLORER_CHECKPOINTS") or CHECKPOINTS)
    if not folder.is_dir():
        return f"--checkpoints {folder}: no such folder; give a folder of checkpoints (the shipped ones are {CHECKPOINTS})"
    if not any((d / "meta.json").is_file() for d in folder.iterdir() if d.is_dir()):
        return f"--checkpoints {folder}: no checkpoint in it (a checkpoint is a folder with meta.json and weights.safetensors)"
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="latent-explorer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="fetch a data set (mnist, fashion, poses) into the cache and verify its sha256s")
    data.add_argument("name", choices=["mnist", "fashion", "poses"])
    data.add_argument("--into", default=None, help="folder to put the files in (default: the cache)")
    data.set_defaults(func=_data)

    data_help = ("folder of a data set's files got another way, instead of the cache `latent-explorer data` fills: "
                 "DIR, or NAME=DIR (mnist=…, fashion=…, poses=…) when the models need several; repeatable")
    train = sub.add_parser("train", help="train a shipped checkpoint (or all) from scratch, then evaluate it")
    train.add_argument("name", help="checkpoint id, or 'all'")
    train.add_argument("--data", action="append", default=[], help=data_help)
    train.add_argument("--quiet", action="store_true", help="no progress bar")
    train.add_argument("--out", default=None,
                       help="write to OUT/checkpoints and OUT/evaluators instead of the shipped folders")
    train.add_argument("--seed", type=int, default=None,
                       help="train with this seed instead of the recipe's (needs --out): how much a metric owes to luck")
    train.set_defaults(func=_train)

    evaluate = sub.add_parser("evaluate", help="compute held-out metrics and store them in meta.json")
    evaluate.add_argument("name", help="checkpoint id, or 'all'")
    evaluate.add_argument("--data", action="append", default=[], help=data_help)
    evaluate.add_argument("--quiet", action="store_true")
    evaluate.add_argument("--out", default=None,
                          help="evaluate OUT/checkpoints (a `train --out` copy, judged by OUT/evaluators), "
                               "not the shipped ones")
    evaluate.set_defaults(func=_evaluate)

    export = sub.add_parser("export", help="write the ONNX graphs the server runs, beside each checkpoint's weights")
    export.add_argument("name", help="checkpoint id (a folder under --checkpoints), or 'all'")
    export.add_argument("--checkpoints", default=None, help="checkpoint folder (default: the shipped ones)")
    export.set_defaults(func=_export)

    metrics = sub.add_parser("metrics", help="print the stored metrics of every shipped checkpoint as a table")
    metrics.add_argument("--out", default=None, help="the checkpoints of a `train --out` copy instead of the shipped ones")
    metrics.set_defaults(func=_metrics)

    serve = sub.add_parser("serve", help="serve the checkpoints and the explorer page")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    serve.add_argument("--checkpoints", default=None, help="checkpoint folder (default: the shipped ones)")
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(func=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
