"""All configuration in one place.

Every knob of the chain lives on `Settings`. Values come from, in rising
priority: the defaults below, environment variables prefixed `QA_` (for
example `QA_HOME=/srv/fraga`), and the command line, which passes overrides
to `get_settings(**overrides)`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="forbid")

    # Where built things live: converted model, index versions.
    home: Path = REPO_ROOT / "var"
    # The report served when nothing else has been ingested.
    default_source: Path = REPO_ROOT / "data" / "resultat-vasterbotten-2024.pdf"
    default_title: str | None = None

    # Embedding model (see index/embedder.py).
    model_name: str = "multilingual-e5-small-q4"
    embed_batch_size: int = 16

    # Chunking (see ingest/chunk.py): tokens are tiktoken cl100k tokens.
    chunk_tokens: int = 200
    chunk_overlap: int = 40

    # Service.
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str | None = None

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def model_dir(self) -> Path:
        return self.home / "models" / self.model_name


@lru_cache
def get_settings(**overrides: object) -> Settings:
    """The settings in force; cached so the service builds them once."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
