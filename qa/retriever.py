"""Find the passages that answer a question, across every served report.

Dense (e5 + FAISS) and lexical (Swedish BM25) candidates are merged with
reciprocal rank fusion; `mode` picks one side alone for comparisons. The
retriever also owns which index versions are loaded: `reload()` swaps in new
CURRENT versions in one assignment, so a search in flight keeps the
snapshot it started with.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Literal

from index.catalog import Catalog
from index.embedder import Embedder
from index.store import BuildSettings, IndexMismatch, ReportIndex, load_index
from ingest.model import Chunk
from qa.highlight import Highlight, pick_highlight

Mode = Literal["hybrid", "dense", "lexical"]
MODES: tuple[Mode, ...] = ("hybrid", "dense", "lexical")


class UnknownReport(KeyError):
    pass


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    report_title: str
    score: float
    similarity: float  # cosine between question and passage: what abstention looks at
    highlight: Highlight | None


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    answered: bool
    took_ms: float


@dataclass(frozen=True)
class RetrievalSettings:
    candidates: int = 50  # how deep each side looks before fusion
    rrf_k: int = 60
    lexical_weight: float = 1.0
    min_similarity: float = 0.0  # below this top similarity the service abstains


class Retriever:
    def __init__(
        self,
        catalog: Catalog,
        embedder: Embedder,
        build: BuildSettings,
        settings: RetrievalSettings | None = None,
    ) -> None:
        self.catalog = catalog
        self.embedder = embedder
        self.build = build
        self.settings = settings or RetrievalSettings()
        self._indexes: dict[str, ReportIndex] = {}
        self.load_errors: dict[str, str] = {}
        self._lock = threading.Lock()
        self.reload()

    @property
    def indexes(self) -> dict[str, ReportIndex]:
        return self._indexes

    def reload(self) -> list[str]:
        """Load any report whose CURRENT version changed; return the reports that changed.

        A version that fails to load is skipped and the one already loaded
        stays in service: a broken build must never take a report offline.
        """
        with self._lock:
            fresh: dict[str, ReportIndex] = {}
            changed = []
            self.load_errors = {}
            for report in self.catalog.reports():
                directory = self.catalog.current(report)
                loaded = self._indexes.get(report)
                if loaded is not None and loaded.directory == directory:
                    fresh[report] = loaded
                    continue
                try:
                    fresh[report] = load_index(directory, self.build)
                    changed.append(report)
                except (IndexMismatch, OSError, ValueError) as error:
                    self.load_errors[report] = str(error)
                    if loaded is not None:
                        fresh[report] = loaded
            changed += [r for r in self._indexes if r not in fresh]
            self._indexes = fresh
            return changed

    def chunk(self, chunk_id: str) -> tuple[ReportIndex, int] | None:
        report = chunk_id.rsplit(":", 1)[0]
        index = self._indexes.get(report)
        if index is None:
            return None
        for position, chunk in enumerate(index.chunks):
            if chunk.id == chunk_id:
                return index, position
        return None

    def search(self, question: str, k: int = 5, report: str | None = None, mode: Mode = "hybrid") -> SearchResult:
        start = time.perf_counter()
        indexes = self._indexes  # one snapshot for the whole request
        if report is not None:
            if report not in indexes:
                raise UnknownReport(report)
            indexes = {report: indexes[report]}
        query = self.embedder.query(question)
        depth = max(k, self.settings.candidates)

        similarity: dict[tuple[str, int], float] = {}
        dense_ranked: list[tuple[float, tuple[str, int]]] = []
        lexical_ranked: list[tuple[float, tuple[str, int]]] = []
        for report_id, index in indexes.items():
            scores, positions = index.vectors.search(query[None, :], min(depth, index.vectors.ntotal))
            for score, position in zip(scores[0], positions[0]):
                similarity[(report_id, int(position))] = float(score)
                dense_ranked.append((float(score), (report_id, int(position))))
            if mode != "dense":
                for position, score in index.lexical.search(question, depth):
                    lexical_ranked.append((score, (report_id, position)))
        dense_ranked.sort(key=lambda item: -item[0])
        lexical_ranked.sort(key=lambda item: -item[0])

        if mode == "dense":
            fused = dense_ranked
        elif mode == "lexical":
            fused = lexical_ranked
        else:
            fused = self._fuse([key for _, key in dense_ranked], [key for _, key in lexical_ranked])

        hits = []
        for score, (report_id, position) in fused[:k]:
            index = indexes[report_id]
            sim = similarity.get((report_id, position))
            if sim is None:  # a lexical-only candidate outside the dense top list
                sim = float(index.vectors.reconstruct(position) @ query)
            spans, vectors = index.sentences.of(position)
            highlight = pick_highlight(index.chunks[position].text, spans, vectors, query)
            hits.append(Hit(index.chunks[position], index.title, float(score), sim, highlight))
        answered = bool(hits) and max(h.similarity for h in hits) >= self.settings.min_similarity
        return SearchResult(hits, answered, (time.perf_counter() - start) * 1000)

    def _fuse(self, dense: list, lexical: list) -> list[tuple[float, tuple[str, int]]]:
        """Reciprocal rank fusion: robust to the two sides' incomparable scores."""
        s = self.settings
        fused: dict[tuple[str, int], float] = {}
        for rank, key in enumerate(dense):
            fused[key] = fused.get(key, 0.0) + 1.0 / (s.rrf_k + rank + 1)
        for rank, key in enumerate(lexical):
            fused[key] = fused.get(key, 0.0) + s.lexical_weight / (s.rrf_k + rank + 1)
        return sorted(((score, key) for key, score in fused.items()), key=lambda item: -item[0])
