"""The app factory: `uvicorn app.main:app`, or `latent-explorer serve`."""

from __future__ import annotations

import gc
import logging
from contextlib import asynccontextmanager
from pathlib import Path

import torch
from fastapi import FastAPI
from fastapi.templating import Jinja2Templates
from starlette.types import Receive, Scope, Send

from app import errors, inference, serving_stack
from app.body_limit import BodySizeLimit
from app.decoding import DecodeBatcher
from app.hot_path import HotPath
from app.openapi import document_with_model_ids, operation_id
from app.registry import Registry, load_registry
from app.routes import catalog, decoder, docs, encode, images, mixtures, pages
from app.security import SecurityHeaders
from app.settings import Settings
from app.static_assets import IMMUTABLE, REVALIDATE, CachedStaticFiles, folder_version

log = logging.getLogger("latent_explorer")


def _warm_up(registry: Registry, folder: Path) -> None:
    """One forward pass per model, so the first request does not pay for lazy initialisation. A model
    that cannot answer is left out like any other failed checkpoint: it must not stop the server."""
    with torch.inference_mode():
        for model_id, served in list(registry.models.items()):
            try:
                # Through the serving path itself (decode_points uses the prepared addmm layers).
                if served.kind == "mdn":
                    inference.mixture_at(served, torch.zeros(1, served.meta["input_dim"]))
                else:
                    y = inference.label_vector(served, served.labels[0] if served.labels else None)
                    inference.decode_points(served, torch.zeros(1, served.meta["latent_dim"]), y)
            except Exception as e:  # noqa: BLE001 - any failure of a forward pass is a broken checkpoint
                del registry.models[model_id]
                registry.failed.append({"path": str(folder / model_id), "reason": f"warm-up forward pass failed: {e}"})
                log.error("checkpoint %s left out: warm-up failed: %s", model_id, e)


class LatentExplorer(FastAPI):
    """FastAPI with the slider's decodes (and manifolds, densities) answered first (app.hot_path), before FastAPI's own
    per-request layers: its telemetry check (environment lookups on every request), the error,
    exception and body-limit middleware, routing. Those took 5 % of a decode request's time under
    load (py-spy, bench/RESULTS.md); anything the hot path does not take goes through them all,
    unchanged. (So FastAPI's native OpenTelemetry spans, when configured, do not cover hot-path
    decodes; they never covered their route or parameters.)"""

    hot_path: HotPath | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and self.hot_path is not None and not self.root_path
                and await self.hot_path(scope, send)):
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings | None = None) -> LatentExplorer:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        torch.set_num_threads(settings.torch_threads)
        registry = load_registry(settings.checkpoints)
        _warm_up(registry, settings.checkpoints)
        app.state.registry = registry
        app.openapi_schema = None  # rebuilt with the ids just loaded
        # Everything loaded so far (torch, the models, FastAPI's routes) lives as long as the process:
        # keep it out of the cyclic collector's full passes, which otherwise walk it all and show up
        # as 50–100 ms stalls in the p99 latency (bench/).
        gc.collect()
        gc.freeze()
        app.state.serving_stack = stack = serving_stack.current()
        # Under uvicorn, in its own log (the app's logger has no handler there), so an operator sees
        # at start-up whether uvloop and httptools are in use or the pure-Python fallbacks.
        (logging.getLogger("uvicorn.error") if stack.server == "uvicorn" else log).info(
            "serving %d models from %s; %d failed; %s", len(registry.models), settings.checkpoints,
            len(registry.failed), stack.describe())
        yield
        app.state.registry = Registry()

    app = LatentExplorer(
        title="Latent Explorer",
        version="0.1.0",
        description="Decode latent codes of VAE/CVAE checkpoints to digits and query mixture density networks.",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,  # app/routes/docs.py serves them offline
    )
    app.state.settings = settings
    app.state.registry = Registry()
    app.state.serving_stack = None  # known once the lifespan runs
    app.state.decode_batcher = DecodeBatcher()  # shared by the decode route and app.hot_path
    app.state.templates = Jinja2Templates(directory=str(settings.templates_dir))
    app.state.static_url = f"static/{folder_version(settings.static_dir)}"  # relative: works behind a prefix
    errors.install(app)
    for router in (catalog.router, images.router, decoder.router, encode.router, mixtures.router, pages.router,
                   docs.router):
        app.include_router(router)
    # The versioned mounts first: /static would otherwise take their paths.
    docs.mount_assets(app)
    app.mount(f"/{app.state.static_url}", CachedStaticFiles(directory=settings.static_dir, cache_control=IMMUTABLE),
              name="static-versioned")
    app.mount("/static", CachedStaticFiles(directory=settings.static_dir, cache_control=REVALIDATE), name="static")
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)  # app.hot_path sends the same headers itself
    app.hot_path = HotPath(app)  # GET …/decode, /manifold, /density without FastAPI's per-request machinery
    app.openapi = lambda: document_with_model_ids(app)
    return app


def __getattr__(name: str):
    # `uvicorn app.main:app` works without building an app at import time.
    if name == "app":
        return create_app()
    raise AttributeError(name)
