"""All configuration in one place.

Every knob of the chain lives on `Settings`. Values come from, in rising
priority: the defaults below, environment variables prefixed `QA_` (for
example `QA_INDEX_DIR=/srv/fraga/index`), and the command line, which passes overrides
to `get_settings(**overrides)`.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", extra="forbid")

    # Where built things live: index versions of every report, converted model.
    index_dir: Path = REPO_ROOT / "var" / "index"
    model_dir: Path = REPO_ROOT / "var" / "models" / "multilingual-e5-small-q4"
    # The report served when nothing else has been ingested.
    default_source: Path = REPO_ROOT / "data" / "resultat-vasterbotten-2024.pdf"
    default_title: str | None = None

    # Embedding model (see index/embedder.py).
    embed_batch_size: int = 16

    # Chunking (see ingest/chunk.py): tokens are tiktoken cl100k tokens.
    chunk_tokens: int = 300
    chunk_overlap: int = 60

    # Lexical side (see index/swedish.py): how Swedish compounds are matched.
    lexical_compounds: str = "ngrams"

    # Retrieval (see qa/retriever.py): blending and abstention, chosen on eval/.
    sentence_weight: float = 0.5
    lexical_weight: float = 0.05
    rrf_k: int = 10
    # Probability that the report answers (qa/abstain.py) below which the service abstains:
    # python -m eval.calibrate_abstain, at most 3 % of tune's answerable questions abstained on.
    min_confidence: float = 0.1041
    # Answer types (qa/answer_type.py): lift for a leading passage whose best sentence holds the asked type.
    type_weight: float = 0.02  # python -m eval.sweep_answer_type: best tune hit@5, then MRR@10 (README)
    type_pool: int = 20

    # Service.
    host: str = "127.0.0.1"
    port: int = 8000
    # Admin routes (POST /admin/reload) need this token; unset = admin routes off.
    admin_token: str | None = None
    # How often the service looks for new CURRENT index versions (0 = only on /admin/reload).
    reload_interval_s: float = 5.0


@lru_cache
def get_settings(**overrides: object) -> Settings:
    """The settings in force; cached so the service builds them once."""
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
