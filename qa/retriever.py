"""Find the passages that answer a question, across every served report.

A passage's similarity to the question blends its own e5 cosine (FAISS)
with that of its best sentence, so one precise sentence inside a broad
passage still counts; a small share of Swedish BM25 then rewards exact
names and numbers. The weights were chosen on eval/ (see README). The
retriever also owns which index versions are loaded: `reload()` swaps in new
CURRENT versions in one assignment, so a search in flight keeps the
snapshot it started with.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Literal

import faiss
import numpy as np
from threadpoolctl import threadpool_limits

from index.catalog import Catalog
from index.embedder import Embedder
from index.store import BuildSettings, IndexMismatch, ReportIndex, load_index
from ingest.model import Chunk
from qa.abstain import LEADERS, Signals, answer_probability, signals
from qa.answer_type import AnswerType, expected_type, lift_typed
from qa.highlight import Highlight, pick_highlight

Mode = Literal["hybrid", "dense", "dense+sentences", "lexical", "rrf"]
# hybrid: passage and best-sentence similarity plus a little normalised BM25 (the service's mode);
# the others are the baselines `qa eval --compare` shows beside it.
MODES: tuple[Mode, ...] = ("hybrid", "dense", "dense+sentences", "lexical", "rrf")


class UnknownReport(KeyError):
    pass


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    report_title: str
    score: float
    highlight: Highlight | None


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    answered: bool
    confidence: float  # probability that the report answers (qa/abstain.py)
    took_ms: float
    answer_type: AnswerType | None = None
    signals: Signals | None = None


@dataclass(frozen=True)
class RetrievalSettings:
    sentence_weight: float = 0.5  # share of the best sentence's similarity in a passage's
    lexical_weight: float = 0.05  # weight of BM25, normalised to the best passage's score
    rrf_k: int = 10  # only for the "rrf" baseline
    min_confidence: float = 0.0  # below this the service abstains (qa/abstain.py)
    type_weight: float = 0.0  # lift for a passage whose best sentence holds the asked answer type
    type_pool: int = 20  # how many leading passages the lift may reorder


@dataclass(frozen=True)
class _Scores:
    dense: np.ndarray  # cosine of question and passage
    similarity: np.ndarray  # dense blended with the best sentence's cosine
    lexical: np.ndarray  # BM25
    sentence_scores: np.ndarray  # cosine of question and every sentence


class Retriever:
    def __init__(
        self,
        catalog: Catalog,
        embedder: Embedder,
        build: BuildSettings,
        settings: RetrievalSettings | None = None,
    ) -> None:
        # Scoring ~1,000 passages needs no threads, and idle BLAS/OpenMP threads
        # spinning beside PyTorch's more than double the question's embedding
        # time on 2 cores (eval/bench_ask.py shows it).
        threadpool_limits(1, user_api="blas")
        faiss.omp_set_num_threads(1)
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
        if not indexes:
            return SearchResult([], False, 0.0, 0.0)
        query = self.embedder.query(question)
        scored = [self._score(index, question, query, mode) for index in indexes.values()]
        similarity = np.concatenate([s.similarity for s in scored])
        lexical = np.concatenate([s.lexical for s in scored])
        if mode == "rrf":
            final = self._rrf(np.concatenate([s.dense for s in scored]), lexical)
        elif mode == "lexical":
            final = lexical
        elif mode == "hybrid":
            final = similarity + self.settings.lexical_weight * lexical / max(float(lexical.max()), 1e-9)
        else:
            final = similarity
        reports = list(indexes.values())
        offsets = np.cumsum([0] + [len(index.chunks) for index in reports])

        def locate(flat: int) -> tuple[ReportIndex, int, _Scores]:
            which = int(np.searchsorted(offsets, flat, side="right")) - 1
            return reports[which], int(flat - offsets[which]), scored[which]

        def best_sentence(flat: int) -> tuple[str, str]:
            index, position, scores = locate(flat)
            spans, sentence_scores = index.sentences.of(position, scores.sentence_scores)
            chunk = index.chunks[position]
            if not len(spans):
                return chunk.text, chunk.kind
            start, end = spans[int(np.argmax(sentence_scores))]
            return chunk.text[start:end], chunk.kind

        kind = expected_type(question)
        if mode == "hybrid":
            final = lift_typed(final, kind, best_sentence, self.settings.type_weight, self.settings.type_pool)
        order = np.argsort(-final, kind="stable")
        hits = []
        for flat in order[:k]:
            index, position, scores = locate(int(flat))
            spans, sentence_scores = index.sentences.of(position, scores.sentence_scores)
            chunk = index.chunks[position]
            hits.append(Hit(chunk, index.title, float(final[flat]), pick_highlight(chunk.text, spans, sentence_scores)))
        found = signals(question, kind, [best_sentence(int(f)) for f in order[:LEADERS]], similarity, lexical)
        sure = answer_probability(found)
        answered = bool(hits) and sure >= self.settings.min_confidence
        return SearchResult(hits, answered, sure, (time.perf_counter() - start) * 1000, kind, found)

    def _score(self, index: ReportIndex, question: str, query: np.ndarray, mode: Mode) -> _Scores:
        """Every passage of one report scored every way the modes need (exact: reports are small)."""
        n = len(index.chunks)
        dense = np.zeros(n, dtype=np.float32)
        scores, positions = index.vectors.search(query[None, :], n)
        dense[positions[0]] = scores[0]
        sentence_scores = index.sentences.vectors @ query
        if mode == "dense":
            similarity = dense
        else:
            best = index.sentences.best_per_passage(sentence_scores, fallback=dense)
            w = self.settings.sentence_weight
            similarity = (1 - w) * dense + w * best
        lexical = np.zeros(n, dtype=np.float32)
        for position, score in index.lexical.search(question, n):
            lexical[position] = score
        return _Scores(dense, similarity, lexical, sentence_scores)

    def _rrf(self, dense: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        """Reciprocal rank fusion, the usual baseline for hybrid search."""
        k = self.settings.rrf_k
        fused = np.zeros(len(dense))
        for scores in (dense, lexical):
            ranks = np.empty(len(scores))
            ranks[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
            fused += 1.0 / (k + ranks + 1)
        return fused
