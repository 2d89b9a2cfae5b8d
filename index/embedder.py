"""The multilingual embedding model: questions and passages in, unit vectors out.

The model folder is made from installed weights (index/convert_model.py) the
first time it is needed; nothing is ever fetched from a model hub.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index import convert_model
from index.encoders import load_encoder

# Fail fast instead of reaching for the network if anything asks the hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

MODEL_ID = "intfloat/multilingual-e5-small"
# Bump when convert_model.py changes what it writes, so old indexes are refused.
CONVERSION_VERSION = "1"
GROUP = 256  # texts per encode call
# e5 was trained with these prefixes (the converted model's configured prompts).
QUERY = "query: "
PASSAGE = "passage: "


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
    """Turns questions and passages into unit vectors, with e5's prefixes, on the chosen encoder."""

    def __init__(self, model_dir: Path, batch_size: int, encoder: str, threads: int, query_batch_size: int,
                 lone_query_threads: int | None = None) -> None:
        """`threads`: the encoder's own; `lone_query_threads`: for a question embedded alone, when
        nobody else is asking (None: the encoder's own)."""
        self.encoder = load_encoder(encoder, ensure_model(model_dir), threads)
        self.batch_size = batch_size
        self.query_batch_size = query_batch_size
        self.lone_query_threads = lone_query_threads
        self.name = MODEL_ID
        # Vectors of two encoders differ slightly: an index records which one made it.
        self.version = f"{model_version()}, {self.encoder.name}"
        self.max_seq_length = self.encoder.max_seq_length
        self.dim = self.queries(["dimension"]).shape[1]  # also warms the encoder up

    def count_tokens(self, text: str) -> int:
        """Model tokens of a passage, prefix included (to check the 512 limit)."""
        return self.encoder.count_tokens(PASSAGE + text)

    def passages(
        self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None
    ) -> np.ndarray:
        """Embed passages in large groups: the encoder sorts each group by length,
        so padding is small; one group at a time lets a caller show progress."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), GROUP):
            group = [PASSAGE + text for text in texts[start : start + GROUP]]
            out[start : start + len(group)] = self.encoder.encode(group, self.batch_size)
            if on_batch:
                on_batch(len(group))
        return out

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Several questions at once (qa/batcher.py gathers them), in groups of similar length."""
        threads = self.lone_query_threads if len(texts) == 1 else None
        return self.encoder.encode([QUERY + text for text in texts], self.query_batch_size, threads)

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]
