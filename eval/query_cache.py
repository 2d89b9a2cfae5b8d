"""Embed each question once when a sweep asks the same questions many times."""
from __future__ import annotations

from functools import lru_cache

from qa.engine import Engine


def cache_queries(engine: Engine) -> None:
    """Memoise the retriever's question embeddings (the model is deterministic; nothing mutates them)."""
    embedder = engine.retriever.embedder
    embedder.query = lru_cache(maxsize=None)(embedder.query)
