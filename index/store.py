"""One built index of one report: vectors, lexical index, chunks, manifest.

A built index is a directory:

    manifest.json   what was built, from what, with which model and settings
    chunks.jsonl    the passages (text, pages, section path) in vector order
    vectors.faiss   normalised passage embeddings, inner product = cosine
    lexical/        the Swedish BM25 index over the same passages
    sentences.npz   each passage's sentences, embedded, for highlighting

`load_index` checks the manifest against the running configuration so that
vectors from another model or other chunking are never mixed in silently.
"""
from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np
from tqdm import tqdm

from index.embedder import Embedder
from index.lexical import LexicalIndex
from index.sentences import SentenceIndex, save_sentences, sentence_spans
from ingest.model import Chunk, Document

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class IndexMismatch(Exception):
    """A saved index was built with settings other than the running ones."""


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


def embedding_text(chunk: Chunk) -> str:
    """What the model sees: the heading path gives short passages their topic,
    and tells apart the many chapters that share a sub-heading."""
    return " › ".join(chunk.section) + "\n" + chunk.text


@dataclass
class ReportIndex:
    """A loaded index, ready to search."""

    directory: Path
    manifest: dict
    chunks: list[Chunk]
    vectors: faiss.Index
    lexical: LexicalIndex
    sentences: SentenceIndex

    @property
    def report_id(self) -> str:
        return self.manifest["report"]["id"]

    @property
    def title(self) -> str:
        return self.manifest["report"]["title"]


def build_index(
    doc: Document,
    chunks: Sequence[Chunk],
    embedder: Embedder,
    settings: BuildSettings,
    out_dir: Path,
    progress: bool = False,
) -> dict[str, float]:
    """Embed and write everything for one report into `out_dir`; return stage timings."""
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
    sentence_vectors = _embed(embedder, [chunks[o].text[a:b] for o, (a, b) in zip(owners, spans)],
                              "Bäddar in meningar", progress)
    timings["embed_sentences_s"] = time.perf_counter() - start

    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=False)
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    faiss.write_index(flat, str(out_dir / "vectors.faiss"))
    LexicalIndex.build([embedding_text(c) for c in chunks], compounds=settings.lexical_compounds).save(
        out_dir / "lexical"
    )
    save_sentences(out_dir, owners, spans, sentence_vectors)
    with (out_dir / "chunks.jsonl").open("w", encoding="utf-8") as f:
        for chunk in chunks:
            f.write(json.dumps(asdict(chunk), ensure_ascii=False) + "\n")
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
        # The report's table of contents (or heading tree), served by GET /reports/{id}/outline.
        "outline": [asdict(entry) for entry in doc.outline],
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    timings["index_s"] = time.perf_counter() - start
    return timings


def _embed(embedder: Embedder, texts: list[str], label: str, progress: bool) -> np.ndarray:
    with tqdm(total=len(texts), desc=label, unit="st", disable=not progress) as bar:
        return embedder.passages(texts, on_batch=bar.update)


def read_manifest(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


def load_index(directory: Path, expected: BuildSettings) -> ReportIndex:
    """Load a built index, refusing one made with other model or chunking settings."""
    manifest = read_manifest(directory)
    report = manifest.get("report", {})
    source, report_id = report.get("source", "<rapportfilen>"), report.get("id", directory.parent.name)
    rebuild = f"Bygg om det med `qa ingest {source} --report {report_id}`."
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexMismatch(f"Indexet i {directory} har ett äldre format. {rebuild}")
    differences = expected.differences(manifest["build"])
    if differences:
        raise IndexMismatch(
            f"Indexet i {directory} byggdes med andra inställningar än de som gäller nu "
            f"({'; '.join(differences)}). {rebuild}"
        )
    with (directory / "chunks.jsonl").open(encoding="utf-8") as f:
        chunks = [_chunk_from_json(json.loads(line)) for line in f]
    vectors = faiss.read_index(str(directory / "vectors.faiss"))
    if vectors.ntotal != len(chunks) or vectors.d != expected.dim:
        raise IndexMismatch(f"Indexet i {directory} är ofullständigt. {rebuild}")
    return ReportIndex(directory, manifest, chunks, vectors, LexicalIndex.load(directory / "lexical"),
                       SentenceIndex.load(directory, len(chunks)))


def _chunk_from_json(data: dict) -> Chunk:
    """JSON has only lists; the frozen chunk holds tuples (of tuples, for boxes)."""
    return Chunk(**{key: _tuples(value) for key, value in data.items()})


def _tuples(value: object) -> object:
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value
