"""Static files under versioned URLs: /static/<version>/js/main.js, where <version> is a hash of
every file in static/. A deploy changes the version, so a browser can keep each URL for a year
(immutable) and still never mixes modules of two deploys: the page names one version, and the ES
modules' relative imports (./api.js) resolve under that same version segment.

The unversioned /static/… paths still answer (old links, scripts), revalidated on every use."""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope


def folder_version(folder: Path) -> str:
    """A short hash of the names and bytes of every file under `folder`."""
    digest = hashlib.blake2b(digest_size=6)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


class CachedStaticFiles(StaticFiles):
    """StaticFiles with one Cache-Control for every answer it gives from a file (200 or 304)."""

    def __init__(self, *, directory: Path | str, cache_control: str) -> None:
        super().__init__(directory=directory)
        self.cache_control = cache_control

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = self.cache_control
        return response
