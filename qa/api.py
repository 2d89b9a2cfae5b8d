"""The HTTP service: ask the report a question, get cited passages back.

Run with `qa serve`. Interactive documentation is at /docs. The routes are in
qa/routes.py, every error and its Swedish message in qa/api_errors.py.
"""
from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager, suppress

import anyio.to_thread
from fastapi import FastAPI

from qa import api_errors
from qa.engine import Engine
from qa.routes import router
from qa.routes_document import router as document_router
from qa.routes_outline import router as outline_router
from qa.settings import Settings, get_settings
from qa.web import mount_web


async def watch_versions(eng: Engine, interval_s: float) -> None:
    """Pick up newly published index versions without a restart."""
    if interval_s <= 0:
        return
    while True:
        await asyncio.sleep(interval_s)
        await asyncio.to_thread(eng.retriever.reload)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """`engine`: one already made (e.g. by `qa serve` after building), to reuse its loaded model."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # The routes run in this pool; under load they wait there for the question batcher.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.http_threads
        app.state.engine = engine or Engine(settings, serving=True)
        app.state.engine.retriever  # load the model and indexes before the first request
        watcher = asyncio.create_task(watch_versions(app.state.engine, settings.reload_interval_s))
        yield
        watcher.cancel()
        with suppress(asyncio.CancelledError):
            await watcher

    app = FastAPI(
        title="Fråga rapporten",
        description="Ställ frågor till Region Västerbottens rapporter och få svar med källhänvisning.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    api_errors.install(app)
    app.include_router(router)
    app.include_router(document_router)
    app.include_router(outline_router)
    mount_web(app)
    return app
