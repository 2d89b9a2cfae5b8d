"""A small, fast stand-in for the e5 model in unit tests: each word (lower-cased,
cut to its first five letters, so inflections meet) is hashed to a direction,
and a text is the normalised sum of its words. Texts that share words are
close; nothing is learned and nothing is loaded."""
from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Sequence

import numpy as np

DIM = 64


class FakeEmbedder:
    name = "fake-hash-embedder"
    version = "1"
    dim = DIM

    def _one(self, text: str) -> np.ndarray:
        vector = np.zeros(DIM, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            seed = zlib.crc32(word[:5].encode("utf-8"))
            vector += np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector

    def passages(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.stack([self._one(t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)
        if on_batch:
            on_batch(len(texts))
        return out

    def query(self, text: str) -> np.ndarray:
        return self._one(text)

    def count_tokens(self, text: str) -> int:
        return len(text.split())
