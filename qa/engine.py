"""The library API behind the CLI, the HTTP service and the evaluation runner.

`Engine` wires settings to the store of indexes (local or Milvus), the embedding model and
the retriever, and turns search hits into cited answers.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from index.build import BuildResult, build_report
from index.catalog import Catalog
from index.embedder import Embedder
from index.store import BuildSettings
from index.stores import ReportVersion, Store, open_store
from index.stores.base import Neighbourhood
from ingest import load_document
from ingest.model import Chunk
from qa.batcher import QuestionBatcher
from qa.citation import format_citation
from qa.query_adapter import fitted_adapter
from qa.retriever import Mode, RetrievalSettings, Retriever
from qa.served import ServedVersions
from qa.settings import Settings


NOT_ANSWERED = "Rapporten verkar inte svara på den frågan. De närmaste avsnitten, som kanske inte svarar:"


class NoIndex(Exception):
    """Nothing has been ingested yet: there is nothing to search."""


@dataclass(frozen=True)
class Passage:
    """One cited passage of an answer (also the HTTP API's schema)."""

    rank: int
    id: str
    text: str
    score: float
    page: int | None
    pages: list[int]
    section: list[str]
    report: str
    report_title: str
    citation: str
    highlight: str | None = None  # the sentence(s) of `text` that best answer the question
    highlight_spans: list[tuple[int, int]] | None = None  # their character offsets in `text`
    # Where the passage stands in the original PDF (ingest/locate.py), for the viewer: PDF page
    # indexes parallel to `pages`, and one box per line, (pdf_page, x0, top, x1, bottom) in points.
    pdf_pages: list[int] = field(default_factory=list)
    page_source: str = "index"
    boxes: list[tuple[int, float, float, float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class PassageView:
    """A passage with its neighbours' ids, so a reader can read on."""

    passage: Passage
    previous: str | None
    next: str | None


@dataclass(frozen=True)
class Answer:
    """What /ask returns. `answered` is false when the report does not seem to
    answer (the passages are then the nearest text); `confidence` is the
    probability that it does (qa/abstain.py), compared with `min_confidence`."""

    question: str
    answered: bool
    confidence: float
    passages: list[Passage]
    took_ms: float
    # What the question asks for: contact, person, number, date, place or page (qa/answer_type.py); None: no one kind.
    answer_type: str | None = None
    # Said plainly when the service abstains; None when it answers.
    message: str | None = None


def to_passage(rank: int, chunk: Chunk, report_title: str, score: float) -> Passage:
    return Passage(
        rank=rank,
        id=chunk.id,
        text=chunk.text,
        score=round(score, 6),
        page=chunk.page,
        pages=list(chunk.pages),
        section=list(chunk.section),
        report=chunk.report,
        report_title=report_title,
        citation=format_citation(report_title, chunk.pages, chunk.section),
        pdf_pages=list(chunk.pdf_pages),
        page_source=chunk.page_source,
        boxes=list(chunk.boxes),
    )


def load_embedder(settings: Settings, serving: bool = False) -> Embedder:
    """The embedding model on the configured encoder; `serving`: in a server process, which shares the
    cores with the requests it answers."""
    return Embedder(settings.model_dir, settings.embed_batch_size, settings.encoder,
                    settings.encoder_threads_for(serving), settings.query_batch_size,
                    settings.lone_question_threads_now())


def batched(embedder: Embedder, settings: Settings) -> QuestionBatcher:
    """`embedder` with questions asked together embedded together (the service's way)."""
    return QuestionBatcher(embedder, settings.batch_max_size, settings.batch_max_wait_ms, settings.query_cache_size)


class Engine:
    def __init__(self, settings: Settings, embedder: Embedder | QuestionBatcher | None = None,
                 serving: bool = False) -> None:
        """`embedder`: an already loaded model to share (tests, several engines); by default the
        configured one, behind the question batcher. `serving`: this engine answers HTTP requests,
        so its encoder leaves cores to them (Settings.encoder_threads_for)."""
        self.settings = settings
        self._embedder = embedder
        self.serving = serving

    @cached_property
    def store(self) -> Store:
        """Where versions are kept: Settings.backend (local files or Milvus)."""
        return open_store(self.settings)

    @property
    def catalog(self) -> Catalog:
        """The local store's directories (tests and tools that look at files)."""
        return Catalog(self.settings.index_dir)

    @property
    def embedder(self) -> Embedder | QuestionBatcher:
        if self._embedder is None:
            self._embedder = batched(load_embedder(self.settings, self.serving), self.settings)
        return self._embedder

    @cached_property
    def build_settings(self) -> BuildSettings:
        return BuildSettings(
            model=self.embedder.name,
            model_version=self.embedder.version,
            dim=self.embedder.dim,
            chunk_tokens=self.settings.chunk_tokens,
            chunk_overlap=self.settings.chunk_overlap,
            lexical_compounds=self.settings.lexical_compounds,
        )

    @cached_property
    def retriever(self) -> Retriever:
        s = self.settings
        return Retriever(
            ServedVersions(self.store, self.build_settings),
            self.embedder,
            RetrievalSettings(
                sentence_weight=s.sentence_weight,
                lexical_weight=s.lexical_weight,
                lexical_share_power=s.lexical_share_power,
                rrf_k=s.rrf_k,
                min_confidence=s.min_confidence,
                candidate_depth=s.candidate_depth,
                type_weight=s.type_weight,
                type_pool=s.type_pool,
                quantity_weight=s.quantity_weight,
                route_weight=s.route_weight,
                route_depth=s.route_depth,
                topic_weight=s.topic_weight,
                topic_leaders=s.topic_leaders,
                report_weight=s.report_weight,
                report_depth=s.report_depth,
                report_lexical_weight=s.report_lexical_weight,
            ),
            fitted_adapter() if s.query_adapter else None,
        )

    def ingest(self, path: Path, report_id: str | None = None, title: str | None = None,
               progress: bool = False, on_rebuild: Callable[[list[str]], None] | None = None) -> BuildResult:
        """Build a new version of a report's index and serve it if the retriever is up.

        The file is read before the model is loaded, so bad input is refused at once.
        `on_rebuild`: told which settings changed, when that is why the report is rebuilt.
        """
        start = time.perf_counter()
        doc = load_document(path, report_id=report_id, title=title, progress=progress)
        parse_s = time.perf_counter() - start
        result = build_report(doc, self.store, self.embedder, self.build_settings, self.settings.index_dir,
                              progress=progress, on_rebuild=on_rebuild)
        result.timings = {"parse_s": parse_s, **result.timings}
        result.warnings = list(doc.warnings)
        if "retriever" in self.__dict__:
            self.retriever.reload()
        return result

    def ask(self, question: str, k: int = 5, report: str | None = None, mode: Mode = "hybrid") -> Answer:
        if not self.retriever.indexes:
            raise NoIndex()
        result = self.retriever.search(question, k=k, report=report, mode=mode)
        passages = [
            replace(
                to_passage(rank, hit.chunk, hit.report_title, hit.score),
                highlight=hit.highlight.text if hit.highlight else None,
                highlight_spans=hit.highlight.spans if hit.highlight else None,
            )
            for rank, hit in enumerate(result.hits, start=1)
        ]
        return Answer(question, result.answered, round(result.confidence, 4), passages, round(result.took_ms, 2),
                      result.answer_type, None if result.answered else NOT_ANSWERED)

    def find(self, passage_id: str) -> tuple[ReportVersion, Neighbourhood] | None:
        """The served version holding a passage (ids are "report:number") and the passage there."""
        version = self.retriever.indexes.get(passage_id.rsplit(":", 1)[0])
        found = version.neighbourhood(passage_id) if version else None
        return (version, found) if found else None

    def passage(self, passage_id: str) -> PassageView | None:
        located = self.find(passage_id)
        if located is None:
            return None
        version, found = located
        return PassageView(to_passage(0, found.chunk, version.title, 0.0), found.previous, found.next)
