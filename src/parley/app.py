"""create_app(): routers, middleware and the lifespan that builds shared clients once per event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from parley.accounts.auth_config import router as auth_config_router
from parley.accounts.router import router as accounts_router
from parley.accounts.supabase import SupabaseVerifier
from parley.bots.router import router as bots_router
from parley.chat.openai_compat import router as openai_router
from parley.chat.router import router as chat_router
from parley.config import Settings
from parley.frontend import mount_frontends
from parley.jobs.runtime import set_job_runtime
from parley.kit.db import Database, libpq_url
from parley.kit.errors import install_error_handlers
from parley.kit.observability import ObservabilityMiddleware
from parley.kit.ratelimit import PostgresRateLimitStore, RateLimiter, RedisRateLimitStore
from parley.kit.security import JwtCodec, SecretBox
from parley.knowledge.drive_connections.router import router as drive_router
from parley.knowledge.router import openapi_schemas as knowledge_openapi_schemas
from parley.knowledge.router import router as knowledge_router
from parley.ops.router import router as ops_router
from parley.orgs.router import router as orgs_router
from parley.providers.embeddings import Embedder, build_embedder
from parley.providers.llm.registry import ChatModelRegistry
from parley.runtime import Runtime
from parley.voice.providers import VoiceProviders
from parley.voice.router import router as voice_router
from parley.widget.router import router as widget_router

log = logging.getLogger("parley.app")


def build_runtime(settings: Settings, db: Database | None = None) -> Runtime:
    if not settings.database_url:
        raise RuntimeError("No database configured: set DATABASE_URL or start through `parley serve`.")
    db = db or Database(settings.database_url, pool_size=settings.db_pool_size,
                        pool_timeout_s=settings.db_pool_timeout_s)
    store = RedisRateLimitStore(settings.redis_url) if settings.redis_url else PostgresRateLimitStore(db.engine)
    supabase = None
    if settings.supabase_jwt_secret or settings.supabase_url:
        secret = settings.supabase_jwt_secret.get_secret_value() if settings.supabase_jwt_secret else None
        supabase = SupabaseVerifier(jwt_secret=secret, url=settings.supabase_url,
                                    audience=settings.supabase_jwt_audience)
    return Runtime(settings=settings, db=db, jwt=JwtCodec(settings.secret), secret_box=SecretBox(settings.secret),
                   limiter=RateLimiter(store), supabase=supabase, embedder=build_settings_embedder(settings),
                   chat_models=ChatModelRegistry(), voice=VoiceProviders(settings))


def build_settings_embedder(settings: Settings) -> Embedder:
    models_dir = settings.models_dir or settings.data_dir / "models"
    if settings.embeddings_provider == "openai-compatible":
        if not (settings.embeddings_base_url and settings.embeddings_model and settings.embeddings_dim):
            raise RuntimeError("The openai-compatible embeddings provider needs PARLEY_EMBEDDINGS_BASE_URL, "
                               "PARLEY_EMBEDDINGS_MODEL and PARLEY_EMBEDDINGS_DIM.")
        key = settings.embeddings_api_key.get_secret_value() if settings.embeddings_api_key else "not-needed"
        return build_embedder("openai-compatible", cache_dir=models_dir,
                              base_url=settings.embeddings_base_url, api_key=key, model=settings.embeddings_model,
                              dim=settings.embeddings_dim)
    return build_embedder("local", cache_dir=models_dir, threads=settings.embeddings_threads)


@contextlib.asynccontextmanager
async def _run_job_worker(settings: Settings) -> AsyncIterator[None]:
    """Run queued jobs inside the server process (the single-machine default)."""
    from parley.jobs.queue import build_queue_app

    queue = build_queue_app(libpq_url(settings.database_url))
    async with queue.open_async():
        task = asyncio.create_task(queue.run_worker_async(install_signal_handlers=False))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None,
               run_jobs: bool | None = None) -> FastAPI:
    settings = settings or (runtime.settings if runtime else Settings())

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.runtime = runtime or build_runtime(settings)
        jobs_enabled = settings.run_jobs_in_server if run_jobs is None else run_jobs
        async with contextlib.AsyncExitStack() as stack:
            if jobs_enabled:
                set_job_runtime(app.state.runtime)
                await stack.enter_async_context(_run_job_worker(settings))
            yield
        if runtime is None:
            await app.state.runtime.chat_models.aclose()
            await app.state.runtime.voice.aclose()
            await app.state.runtime.db.dispose()

    app = FastAPI(title="Parley API", version="0.1.0", lifespan=lifespan,
                  description="Chatbots that answer from your documents, by text and voice.")
    install_error_handlers(app)
    app.add_middleware(ObservabilityMiddleware)
    app.include_router(ops_router)
    app.include_router(accounts_router)
    app.include_router(auth_config_router)
    app.include_router(orgs_router)
    app.include_router(bots_router)
    app.include_router(knowledge_router)
    app.include_router(drive_router)
    app.include_router(chat_router)
    app.include_router(widget_router)
    app.include_router(openai_router)
    app.include_router(voice_router)
    mount_frontends(app)  # last: the dashboard is mounted at /
    _add_schemas(app, knowledge_openapi_schemas())
    return app


def _add_schemas(app: FastAPI, schemas: dict) -> None:
    build = app.openapi

    def openapi() -> dict:
        schema = build()
        schema.setdefault("components", {}).setdefault("schemas", {}).update(schemas)
        return schema

    app.openapi = openapi
