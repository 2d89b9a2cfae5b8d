"""What every store keeps of one report version, computed once whatever the store.

`embed_report` turns a document's chunks into a `BuiltReport`: passage vectors
(each chunk embedded with its heading path, `embedding_text`), the sentences of
every passage embedded for highlighting, the Swedish BM25 index, and the
manifest that records what was built, from what, with which model and settings.
A store (index/stores/) then writes it in its own form; `check_manifest` is how
every store refuses vectors from another model or other chunking.
"""
from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from index.embedder import Embedder
from index.lexical import LexicalIndex
from index.sentences import sentence_spans
from ingest.model import Chunk, Document

# 2: the lexical analyser keeps the stems its texts use (index/swedish.py `word_share`).
FORMAT_VERSION = 2


class IndexMismatch(Exception):
    """A saved index was built with settings other than the running ones, or is incomplete."""


@dataclass(frozen=True)
class BuildSettings:
    """The settings an index depends on: change one and the index must be rebuilt."""

    model: str
    model_version: str
    dim: int
    chunk_tokens: int
    chunk_overlap: int
    lexical_compounds: str

    def differences(self, built: dict) -> list[str]:
        """What differs from the settings an index was built with, as "chunk_tokens: 200 → 300"."""
        return [
            f"{key}: {built.get(key, 'saknas')} → {value}"
            for key, value in asdict(self).items()
            if built.get(key) != value
        ]


def passages_digest(chunks: Sequence[Chunk]) -> str:
    """SHA-256 over every field of every passage, so a change in how a file is read shows."""
    text = json.dumps([asdict(chunk) for chunk in chunks], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def embedding_text(chunk: Chunk) -> str:
    """What the model sees: the heading path gives short passages their topic,
    and tells apart the many chapters that share a sub-heading."""
    return " › ".join(chunk.section) + "\n" + chunk.text


@dataclass
class BuiltReport:
    """One report version, embedded and analysed, not yet written anywhere."""

    manifest: dict
    chunks: list[Chunk]
    vectors: np.ndarray  # one unit vector per chunk
    sentence_owners: np.ndarray  # for each sentence, the position of its chunk
    sentence_spans: np.ndarray  # (n × 2) character offsets of each sentence in its chunk's text
    sentence_vectors: np.ndarray
    lexical: LexicalIndex
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def report_id(self) -> str:
        return self.manifest["report"]["id"]


def embed_report(
    doc: Document,
    chunks: Sequence[Chunk],
    embedder: Embedder,
    settings: BuildSettings,
    progress: bool = False,
) -> BuiltReport:
    """Embed passages and sentences and build the lexical index; `timings` holds the stages."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    vectors = _embed(embedder, [embedding_text(c) for c in chunks], "Bäddar in textavsnitt", progress)
    timings["embed_s"] = time.perf_counter() - start

    start = time.perf_counter()
    owners, spans = [], []
    for position, chunk in enumerate(chunks):
        for span in sentence_spans(chunk.text):
            owners.append(position)
            spans.append(span)
    sentence_vectors = _embed_unique(embedder, [chunks[o].text[a:b] for o, (a, b) in zip(owners, spans)],
                                     "Bäddar in meningar", progress)
    timings["embed_sentences_s"] = time.perf_counter() - start

    lexical = LexicalIndex.build([embedding_text(c) for c in chunks], compounds=settings.lexical_compounds)
    manifest = {
        "format": FORMAT_VERSION,
        "report": {
            "id": doc.report_id,
            "title": doc.title,
            "source": Path(doc.source_path).name,
            "sha256": doc.sha256,
        },
        "build": asdict(settings),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "counts": {
            "pages": doc.page_count, "blocks": len(doc.blocks), "chunks": len(chunks), "sentences": len(spans),
        },
        # What the passages were: a rebuild of the same file is skipped only if they come out the same.
        "passages_sha256": passages_digest(chunks),
        # The report's table of contents (or heading tree), served by GET /reports/{id}/outline.
        "outline": [asdict(entry) for entry in doc.outline],
    }
    return BuiltReport(manifest, list(chunks), vectors, np.asarray(owners, np.int32),
                       np.asarray(spans, np.int32).reshape(-1, 2), sentence_vectors, lexical, timings)


def _embed(embedder: Embedder, texts: list[str], label: str, progress: bool) -> np.ndarray:
    with tqdm(total=len(texts), desc=label, unit="st", disable=not progress) as bar:
        return embedder.passages(texts, on_batch=bar.update)


def _embed_unique(embedder: Embedder, texts: list[str], label: str, progress: bool) -> np.ndarray:
    """Each distinct text embedded once: overlapping chunks repeat their edge sentences
    (the bundled report: 2,892 sentences, 2,454 distinct)."""
    unique = list(dict.fromkeys(texts))
    row = {text: i for i, text in enumerate(unique)}
    return _embed(embedder, unique, label, progress)[[row[text] for text in texts]]


def check_manifest(manifest: dict, expected: BuildSettings, where: str) -> None:
    """Refuse an index of an older format or built with other model or chunking settings;
    the message (Swedish) says what differs and what to run."""
    rebuild = _rebuild_hint(manifest)
    if format_change(manifest):
        raise IndexMismatch(f"Indexet i {where} har ett äldre format. {rebuild}")
    differences = expected.differences(manifest.get("build", {}))
    if differences:
        raise IndexMismatch(
            f"Indexet i {where} byggdes med andra inställningar än de som gäller nu "
            f"({'; '.join(differences)}). {rebuild}"
        )


def format_change(manifest: dict) -> str | None:
    """"format: 1 → 2" where an index was written in another format than this version writes, else None."""
    built = manifest.get("format")
    return None if built == FORMAT_VERSION else f"format: {built if built is not None else 'saknas'} → {FORMAT_VERSION}"


def incomplete(where: str, manifest: dict) -> IndexMismatch:
    return IndexMismatch(f"Indexet i {where} är ofullständigt. {_rebuild_hint(manifest)}")


def _rebuild_hint(manifest: dict) -> str:
    report = manifest.get("report", {})
    return f"Bygg om det med `qa ingest {report.get('source', '<rapportfilen>')} --report {report.get('id', '<id>')}`."


def chunk_from_json(data: dict) -> Chunk:
    """JSON has only lists; the frozen chunk holds tuples (of tuples, for boxes)."""
    return Chunk(**{key: _tuples(value) for key, value in data.items()})


def _tuples(value: object) -> object:
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value
