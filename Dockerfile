# Latent Explorer: the server and its shipped checkpoints on onnxruntime: no torch, no training
# extras, no tests. Users:   docker build -t latent-explorer . && docker run -p 8000:8000 latent-explorer
# Offline or behind a proxy (no registry, no PyTorch index, a private CA): see docs/deploy.md.

# The base comes from a build argument so that hosts without a registry can pass a local one.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# A virtual environment works the same on python:3.11-slim and on Debian's python3 (PEP 668).
# The server runs as an unprivileged user that owns nothing in the image.
RUN python3 -m venv /opt/venv \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin latent

# Layer 1, the server's dependencies, read from [project.dependencies]: changes only with
# pyproject.toml. The training extra (torch, onnx, tqdm) is never installed. deploy/wheels/ is
# bind-mounted, not copied: wheels placed there are used before any index. The optional secret "ca"
# is a CA bundle for a TLS-intercepting proxy; it is mounted for this step only, never stored.
COPY pyproject.toml /srv/app/
RUN --mount=type=secret,id=ca \
    --mount=type=bind,source=deploy/wheels,target=/wheels \
    if [ -s /run/secrets/ca ]; then export PIP_CERT=/run/secrets/ca; fi \
 && python3 -c 'import tomllib; print("\n".join(tomllib.load(open("/srv/app/pyproject.toml", "rb"))["project"]["dependencies"]))' > /tmp/requirements.txt \
 && pip install --find-links /wheels --requirement /tmp/requirements.txt \
 && rm /tmp/requirements.txt \
 && python3 -c 'import importlib.util, sys; sys.exit("torch in the image" if importlib.util.find_spec("torch") else 0)' \
 && python3 -m pip uninstall -q -y pip setuptools
# (pip and setuptools last: nothing installs at run time, and they are 26 MB of a ~400 MB image.)

# Layer 3, the application in the repository's layout (app/settings.py finds static/, templates/
# and checkpoints/ beside app/). Code changes rebuild only from here.
WORKDIR /srv/app
COPY checkpoints ./checkpoints
COPY runtime ./runtime
COPY latent_explorer ./latent_explorer
COPY app ./app
COPY templates ./templates
COPY static ./static
ENV PYTHONPATH=/srv/app
# `latent-explorer …` inside the container, as outside it. Everything under /srv/app readable by
# the server's user whatever the modes in the build context were (a checkpoint written with 0600
# would otherwise fail to load), and byte-compiled, since that user cannot write __pycache__.
RUN printf '#!/bin/sh\nexec python3 -m latent_explorer.cli "$@"\n' > /opt/venv/bin/latent-explorer \
 && chmod 0755 /opt/venv/bin/latent-explorer \
 && find /srv/app \( \( -type f ! -perm -0444 \) -o \( -type d ! -perm -0555 \) \) -exec chmod a+rX {} + \
 && python3 -m compileall -q /srv/app

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import json, urllib.request; r = urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2); assert json.load(r)['status'] == 'ok'"]
# One worker per container: scale with replicas (compose.yaml, deploy/k8s/), or append
# `--workers N` to this command (docs/deploy.md has the measurements).
CMD ["latent-explorer", "serve", "--host", "0.0.0.0", "--port", "8000"]
