"""Find the passages that answer a question, across every served report.

Each served report version (qa/served.py) scores its candidate passages
(index/stores/: every passage for a small local report, the union of the best
by dense, sentence and BM25 search otherwise); a fusion function from
qa/scoring.py turns the signals into one score; the best `k` passages come
back with the sentence that answers best highlighted, and `answered` says
whether the best one looks like an answer at all.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from index.embedder import Embedder
from index.stores import ReportVersion
from ingest.model import Chunk
from qa import abstain
from qa.abstain_model import fitted_model
from qa.answer_type import AnswerType, expected_type, lift_typed, route_to_kind
from qa.distinct import distinct_order
from qa.highlight import Highlight, pick_highlight
from qa.quantity import asked_quantity, lift_stated
from qa.query_adapter import QueryAdapter, adapt
from qa.report_route import Frame, asks_about, lift_self_description
from qa.scoring import FUSIONS, MODES, Fused, Mode, RetrievalSettings
from qa.served import ServedVersions
from qa.specific_terms import Passage
from qa.topic_route import lift_by_topic

__all__ = ["MODES", "Hit", "Mode", "RetrievalSettings", "Retriever", "SearchResult", "UnknownReport"]


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
    signals: abstain.Signals | None = None


class Retriever:
    def __init__(self, served: ServedVersions, embedder: Embedder, settings: RetrievalSettings,
                 adapter: QueryAdapter | None = None) -> None:
        """`adapter`: moves the question's vector for the report it was fitted on (qa/query_adapter.py)."""
        # Scoring ~1,000 passages needs no threads, and idle BLAS threads spinning
        # beside PyTorch's more than double the question's embedding time on
        # 2 cores (eval/bench_ask.py shows it; the local store limits FAISS too).
        threadpool_limits(1, user_api="blas")
        self.served = served
        self.embedder = embedder
        self.settings = settings
        self.adapter = adapter

    @property
    def indexes(self) -> dict[str, ReportVersion]:
        """The served version of each report."""
        return self.served.versions

    @property
    def load_errors(self) -> dict[str, str]:
        return self.served.load_errors

    def reload(self) -> list[str]:
        return self.served.reload()

    def search(self, question: str, k: int = 5, report: str | None = None, mode: Mode = "hybrid") -> SearchResult:
        start = time.perf_counter()
        versions = self.indexes  # one snapshot for the whole request
        if report is not None:
            if report not in versions:
                raise UnknownReport(report)
            versions = {report: versions[report]}
        if not versions:
            return SearchResult([], False, 0.0, 0.0)
        query = self.embedder.query(question)
        signals = [v.signals(question, adapt(self.adapter, query, self.embedder.name, v.title),
                             self.settings.candidate_depth) for v in versions.values()]
        fused = Fused(*(np.concatenate([getattr(s, name) for s in signals])
                        for name in ("dense", "best_sentence", "lexical")),
                      word_share=np.concatenate([np.full(len(s.chunks), s.word_share) for s in signals]))
        final = FUSIONS[mode](fused, self.settings)
        titles = [v.title for v in versions.values()]
        chunks = [chunk for found in signals for chunk in found.chunks]  # in the order of `final`
        offsets = np.cumsum([0] + [len(s.chunks) for s in signals])

        def locate(flat: int) -> tuple[int, int]:
            which = int(np.searchsorted(offsets, flat, side="right")) - 1
            return which, int(flat - offsets[which])

        def sentences_of(flat: int) -> tuple[Chunk, np.ndarray, np.ndarray]:
            """Passage `flat`, its sentences' spans and their scores against the question."""
            which, position = locate(flat)
            spans, scores = signals[which].sentences(position)
            return chunks[flat], spans, scores

        def best_sentence(flat: int) -> tuple[str, str]:
            """Passage `flat`'s best sentence and its Chunk.kind (qa/answer_type.py reads both)."""
            chunk, spans, scores = sentences_of(flat)
            if not len(spans):
                return chunk.text, chunk.kind
            begin, end = spans[int(np.argmax(scores))]
            return chunk.text[int(begin):int(end)], chunk.kind

        def whole_passage(flat: int) -> Passage:
            """Passage `flat` sentence by sentence, for the specific-terms signal (qa/specific_terms.py)."""
            chunk, spans, _ = sentences_of(flat)
            sentences = [chunk.text[int(begin):int(end)] for begin, end in spans] or [chunk.text]
            return Passage(sentences, chunk.kind, chunk.section)

        kind = expected_type(question)
        about = asks_about(question) if kind != "page" else None
        if about == "report" and kind == "contact":
            kind = "person"  # "Vem på regionen har sammanställt det här?": the makers, not a contact
        if mode == "hybrid":
            kinds = np.array([chunk.kind for chunk in chunks])
            if about:
                frames = [Frame.of(v.title, v.manifest) for v in versions.values()]
                chunk_frames = [frames[locate(flat)[0]] for flat in range(len(chunks))]
                final = lift_self_description(final, about, chunks, chunk_frames, fused.lexical,
                                              self.settings.report_weight, self.settings.report_depth,
                                              self.settings.report_lexical_weight)
            final = route_to_kind(final, kind, kinds, self.settings.route_weight, self.settings.route_depth)
            final = lift_by_topic(final, kind, chunks, kinds, self.settings.topic_weight, self.settings.topic_leaders)
            final = lift_typed(final, kind, best_sentence, self.settings.type_weight, self.settings.type_pool)
            final = lift_stated(final, asked_quantity(question), lambda flat: whole_passage(flat).sentences,
                                self.settings.quantity_weight, self.settings.type_pool)
        order = distinct_order(np.argsort(-final, kind="stable"), chunks, max(k, abstain.LEADERS))
        hits = []
        for flat in order[:k]:
            chunk, spans, scores = sentences_of(int(flat))
            title = titles[locate(int(flat))[0]]
            highlight = pick_highlight(chunk.text, spans, scores, lead=chunk.kind == "contact")
            hits.append(Hit(chunk, title, float(final[flat]), highlight))
        leading = [int(flat) for flat in order[: abstain.LEADERS]]
        evidence = abstain.signals(question, kind, [best_sentence(flat) for flat in leading],
                                   [whole_passage(flat) for flat in leading], [chunk.text for chunk in chunks],
                                   fused.similarity(self.settings), fused.lexical,
                                   fitted_model().prior.log_odds(query, self.embedder.name))
        sure = abstain.answer_probability(evidence)
        answered = bool(hits) and sure >= self.settings.min_confidence
        return SearchResult(hits, answered, sure, (time.perf_counter() - start) * 1000, kind, evidence)
