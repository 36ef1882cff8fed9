"""The app factory: `uvicorn app.main:app`, or `latent-explorer serve`."""

from __future__ import annotations

import ctypes
import gc
import logging
from collections.abc import Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from app import errors, serving_stack
from app.body_limit import BodySizeLimit
from app.hot_path import HotPath
from app.http_cache import IMMUTABLE, REVALIDATE
from app.kind import Kind
from app.kind import routers as kind_routers
from app.kinds import BUILTIN_KINDS
from app.openapi import document_with_model_ids, operation_id
from app.operations.decode import DecodeBatcher
from app.registry import Registry, load_registry
from app.routes import catalog, docs, pages
from app.schemas import model_info
from app.security import SecurityHeaders
from app.settings import Settings
from app.static_assets import CachedStaticFiles, folder_version

log = logging.getLogger("latent_explorer")


class LatentExplorer(FastAPI):
    """FastAPI with the operations a kind declares fast (decode, manifold, density) answered first by
    app.hot_path, before FastAPI's own per-request layers (its telemetry check, the error, exception
    and body-limit middleware, routing); anything the hot path does not take goes through them all,
    unchanged. (So FastAPI's native OpenTelemetry spans, when configured, do not cover hot-path answers.)"""

    hot_path: HotPath | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.hot_path is not None and await self.hot_path(scope, send):
            return
        await super().__call__(scope, receive, send)


def release_free_heap() -> None:
    """Hand the heap freed while loading (file bytes, onnxruntime's graph building) back to the OS:
    glibc keeps it otherwise, 12 MiB of the resident memory after start (bench/RESULTS.md)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, Windows, musl): nothing to hand back this way
        pass


def create_app(settings: Settings | None = None, kinds: Sequence[Kind] = BUILTIN_KINDS) -> LatentExplorer:
    """The app over `settings.checkpoints`, serving the checkpoints of these kinds (app/kinds/)."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        registry = load_registry(settings.checkpoints, kinds, settings.threads)
        app.state.registry = registry
        app.openapi_schema = None  # rebuilt with the ids just loaded
        # Everything loaded so far (onnxruntime, the models, FastAPI's routes) lives as long as the process:
        # keep it out of the cyclic collector's full passes, whose stalls showed in the p99 latency.
        gc.collect()
        gc.freeze()
        release_free_heap()
        app.state.serving_stack = stack = serving_stack.current()
        # Under uvicorn, in its own log (the app's logger has no handler there), so an operator sees
        # at start-up whether uvloop and httptools are in use or the pure-Python fallbacks.
        (logging.getLogger("uvicorn.error") if stack.server == "uvicorn" else log).info(
            "serving %d models from %s; %d failed; %s", len(registry.models), settings.checkpoints,
            len(registry.failed), stack.describe())
        yield
        app.state.registry = Registry(kinds=kinds)

    app = LatentExplorer(
        title="Latent Explorer",
        version="0.1.0",
        description="Decode latent codes of VAE/CVAE checkpoints to digits and query mixture density networks.",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None,  # app/routes/docs.py serves them offline
    )
    app.state.settings = settings
    app.state.registry = Registry(kinds=kinds)
    app.state.serving_stack = None  # known once the lifespan runs
    app.state.decode_batcher = DecodeBatcher()  # shared by the decode route and app.hot_path
    app.state.static_url = f"static/{folder_version(settings.static_dir)}"  # relative: works behind a prefix
    errors.install(app)
    for router in (catalog.model_router(model_info(kinds)), catalog.router, *kind_routers(kinds), pages.router,
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
