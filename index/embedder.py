"""The multilingual embedding model, behind the sentence-transformers interface.

The model folder is made from installed weights (index/convert_model.py) the
first time it is needed; nothing is ever fetched from a model hub.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index import convert_model

# Fail fast instead of reaching for the network if anything asks the hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_ID = "intfloat/multilingual-e5-small"
# Bump when convert_model.py changes what it writes, so old indexes are refused.
CONVERSION_VERSION = "1"
GROUP = 256  # texts per encode call


def model_version() -> str:
    """What the manifest records: an index built with another version is refused."""
    return f"{convert_model.SOURCE_PACKAGE} {convert_model.source_version()} q4, conversion {CONVERSION_VERSION}"


def ensure_model(model_dir: Path) -> Path:
    """Convert the packaged weights into `model_dir` unless a matching folder is there."""
    stamp = model_dir / "VERSION"
    if stamp.is_file() and stamp.read_text() == model_version():
        return model_dir
    convert_model.convert(model_dir)
    stamp.write_text(model_version())
    return model_dir


class Embedder:
    """Turns questions and passages into unit vectors, with e5's prefixes."""

    def __init__(self, model_dir: Path, batch_size: int = 16) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()
        self.model = SentenceTransformer(str(ensure_model(model_dir)), device="cpu", local_files_only=True)
        self.batch_size = batch_size
        self.name = MODEL_ID
        self.version = model_version()
        self.dim = int(self.model.get_embedding_dimension())

    def count_tokens(self, text: str) -> int:
        """Model tokens of a passage, prefix included (to check the 512 limit)."""
        return len(self.model.tokenizer("passage: " + text)["input_ids"])

    def passages(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed passages in large groups: sentence-transformers sorts each group
        by length, so padding is small; one group at a time lets a caller show progress."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), GROUP):
            group = list(texts[start : start + GROUP])
            out[start : start + len(group)] = self.model.encode(
                group, prompt_name="passage", batch_size=self.batch_size, normalize_embeddings=True
            )
            if on_batch:
                on_batch(len(group))
        return out

    def query(self, text: str) -> np.ndarray:
        return self.model.encode([text], prompt_name="query", normalize_embeddings=True)[0].astype(np.float32)
