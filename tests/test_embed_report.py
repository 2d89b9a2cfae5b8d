"""Building a report's vectors: every sentence gets its own vector, each distinct text is embedded once."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from index.store import BuildSettings, embed_report
from ingest import chunk_document, load_document
from tests.fake_embedder import FakeEmbedder

SENTENCES = " ".join(f"Kommun {n} har en egen busslinje och en ny skola." for n in range(30))
REPORT = f"# Rapport\n\n## Trafik\n\n{SENTENCES}\n"


class CountingEmbedder(FakeEmbedder):
    def __init__(self) -> None:
        self.embedded: list[str] = []

    def passages(self, texts: Sequence[str], on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        self.embedded.extend(texts)
        return super().passages(texts, on_batch)


def test_overlapping_sentences_are_embedded_once_and_each_keeps_its_vector(tmp_path: Path):
    path = tmp_path / "rapport.md"
    path.write_text(REPORT, encoding="utf-8")
    doc = load_document(path)
    settings = BuildSettings(FakeEmbedder.name, FakeEmbedder.version, FakeEmbedder.dim, 60, 30, "ngrams")
    chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap)
    embedder = CountingEmbedder()
    built = embed_report(doc, chunks, embedder, settings)

    texts = [chunks[o].text[a:b] for o, (a, b) in zip(built.sentence_owners, built.sentence_spans)]
    assert len(texts) > len(set(texts))  # the chunks overlap, so sentences repeat
    sentence_calls = embedder.embedded[len(chunks):]
    assert sorted(sentence_calls) == sorted(set(texts))
    expected = np.stack([FakeEmbedder()._one(t) for t in texts])
    np.testing.assert_allclose(built.sentence_vectors, expected, atol=1e-6)
