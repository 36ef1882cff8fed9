"""The page's decoder (static/js/decoder.js) timed in Node, against a plain dot-product forward
pass measured in the same run: `python bench/page_decoder.py` (needs `node` on the PATH).

Chromium runs the same V8 engine, so the per-decode figures carry over to the page, minus the
drawing; tests/browser/test_page_decoder.py measures slider-to-pixels in the page itself."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path.insert(0, str(REPO))
    from app.registry import load_registry

    node = shutil.which("node")
    if node is None:
        sys.exit("node is not installed (apt-get install nodejs)")
    registry = load_registry(REPO / "checkpoints")
    with tempfile.TemporaryDirectory() as folder:
        models = []
        for served in registry.models.values():
            if served.page_decoder is None:
                continue
            (Path(folder) / f"{served.id}.safetensors").write_bytes(served.page_decoder.body)
            models.append({"id": served.id, "decoder": served.page_decoder.description, "labels": served.labels})
        (Path(folder) / "models.json").write_text(json.dumps(models))
        subprocess.run([node, str(REPO / "bench" / "page_decoder.mjs"), folder], check=True)


if __name__ == "__main__":
    main()
