"""Sentences of each passage, embedded at build time for answer highlighting.

Embedding the sentences once per build keeps highlighting to a dot product
per sentence at question time, and makes it work across languages (an
English question still finds the Swedish sentence that answers it).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingest.chunk import split_sentences

FILE = "sentences.npz"
_LINE = re.compile(r"[^\n]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`; a line break always ends one
    (headings and list items carry no final period)."""
    spans = []
    for line in _LINE.finditer(text):
        offset = line.start()
        for sentence in split_sentences(line.group()):
            start = text.index(sentence, offset)
            offset = start + len(sentence)
            spans.append((start, offset))
    return spans


def save_sentences(directory: Path, owners: Sequence[int], spans: Sequence[tuple[int, int]],
                   vectors: np.ndarray) -> None:
    np.savez(directory / FILE, owner=np.asarray(owners, np.int32),
             span=np.asarray(spans, np.int32).reshape(-1, 2), vectors=vectors.astype(np.float16))


class SentenceIndex:
    """For each passage, its sentences' spans and unit vectors."""

    def __init__(self, owner: np.ndarray, span: np.ndarray, vectors: np.ndarray, n_passages: int) -> None:
        order = np.argsort(owner, kind="stable")
        self.span, self.vectors = span[order], vectors[order].astype(np.float32)
        # Passage p's sentences are rows _starts[p] to _starts[p + 1].
        self._starts = np.searchsorted(owner[order], np.arange(n_passages + 1))

    @classmethod
    def load(cls, directory: Path, n_passages: int) -> SentenceIndex:
        data = np.load(directory / FILE)
        return cls(data["owner"], data["span"], data["vectors"], n_passages)

    def rows(self, position: int) -> slice:
        """The rows of `vectors` and `span` that hold the passage's sentences."""
        return slice(int(self._starts[position]), int(self._starts[position + 1]))

    def owners(self, rows: np.ndarray) -> np.ndarray:
        """The passage of each row."""
        return np.searchsorted(self._starts, rows, side="right") - 1

    def of(self, position: int, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Spans (n×2) of the passage's sentences and their entries in `scores`."""
        lo, hi = self._starts[position], self._starts[position + 1]
        return self.span[lo:hi], scores[lo:hi]

    def best_per_passage(self, scores: np.ndarray, fallback: np.ndarray) -> np.ndarray:
        """Each passage's best sentence score; `fallback` for a passage without sentences."""
        best = fallback.astype(np.float32).copy()
        starts, ends = self._starts[:-1], self._starts[1:]
        has = ends > starts
        if has.any():
            best[has] = np.maximum.reduceat(scores, starts[has])
        return best
