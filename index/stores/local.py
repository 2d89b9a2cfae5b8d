"""The local store: each report version a directory of files, searched in this process.

    <index_dir>/<report>/<version>/   manifest.json, chunks.jsonl, vectors.faiss,
                                      lexical/ (bm25s), sentences.npz
    <index_dir>/<report>/CURRENT      the version served (index/catalog.py)

Passages are scored exactly (FAISS inner product over every normalised vector)
up to `ann_threshold` passages; a larger report gets IVF indexes (passages and
sentences) and is scored on candidates instead (`python -m eval.bench_scale`
shows where exact search stops being cheap, and why IVF rather than HNSW).
"""
from __future__ import annotations

import json
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path

import faiss
import numpy as np

from index.catalog import Catalog
from index.lexical import LexicalIndex
from index.sentences import SentenceIndex, save_sentences
from index.store import BuildSettings, BuiltReport, check_manifest, chunk_from_json, incomplete
from index.stores.base import ManifestIdentity, Neighbourhood, Signals, candidates
from ingest.model import Chunk

MANIFEST = "manifest.json"
SENTENCE_ANN = "sentences.faiss"  # only above the ANN threshold


@dataclass(frozen=True)
class AnnParams:
    threshold: int  # more passages than this: IVF instead of exact search
    lists_factor: float  # lists = lists_factor·√rows
    train_per_list: int
    probe_share: float  # of the lists, searched a question


def write_index(built: BuiltReport, out_dir: Path, ann: AnnParams) -> None:
    """Write a built report into `out_dir` (which must not exist yet)."""
    out_dir.mkdir(parents=True, exist_ok=False)
    if len(built.chunks) > ann.threshold:  # sentences too, so no question touches every row
        faiss.write_index(ivf_index(built.vectors, ann), str(out_dir / "vectors.faiss"))
        faiss.write_index(ivf_index(built.sentence_vectors, ann), str(out_dir / SENTENCE_ANN))
    else:
        dense = faiss.IndexFlatIP(built.vectors.shape[1])
        dense.add(built.vectors)
        faiss.write_index(dense, str(out_dir / "vectors.faiss"))
    built.lexical.save(out_dir / "lexical")
    save_sentences(out_dir, built.sentence_owners, built.sentence_spans, built.sentence_vectors)
    with (out_dir / "chunks.jsonl").open("w", encoding="utf-8") as f:
        for chunk in built.chunks:
            f.write(json.dumps(asdict(chunk), ensure_ascii=False) + "\n")
    (out_dir / MANIFEST).write_text(json.dumps(built.manifest, indent=2, ensure_ascii=False), encoding="utf-8")


def ivf_index(vectors: np.ndarray, ann: AnnParams) -> faiss.IndexIVFFlat:
    """An inverted-file index over unit `vectors`: k-means lists, inner product within them.

    Chosen over HNSW: on vectors as hard to search as e5's it finds more of the 10 best
    at equal latency and builds several times faster (README, "Scale"). The direct map
    lets candidates be rescored from their stored vectors.
    """
    rows, dim = vectors.shape
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, max(1, min(rows, round(ann.lists_factor * rows ** 0.5))),
                               faiss.METRIC_INNER_PRODUCT)
    index.cp.max_points_per_centroid = ann.train_per_list
    index.train(vectors)
    index.add(vectors)
    index.make_direct_map()
    index.nprobe = probes(index.nlist, ann.probe_share)
    return index


def probes(lists: int, share: float) -> int:
    """Lists searched a question: a share of them, so recall holds as a report grows."""
    return max(1, round(share * lists))


def read_manifest(directory: Path) -> dict:
    return json.loads((directory / MANIFEST).read_text(encoding="utf-8"))


@dataclass
class ReportIndex:
    """A loaded version directory."""

    directory: Path
    manifest: dict
    chunks: list[Chunk]
    vectors: faiss.Index
    lexical: LexicalIndex
    sentences: SentenceIndex
    sentence_ann: faiss.Index | None = None  # IVF over the sentence vectors, for a large report


def load_index(directory: Path, expected: BuildSettings) -> ReportIndex:
    """Load a built index, refusing one made with other model or chunking settings."""
    manifest = read_manifest(directory)
    check_manifest(manifest, expected, str(directory))
    with (directory / "chunks.jsonl").open(encoding="utf-8") as f:
        chunks = [chunk_from_json(json.loads(line)) for line in f]
    vectors = faiss.read_index(str(directory / "vectors.faiss"))
    if vectors.ntotal != len(chunks) or vectors.d != expected.dim:
        raise incomplete(str(directory), manifest)
    ann = directory / SENTENCE_ANN
    return ReportIndex(directory, manifest, chunks, vectors, LexicalIndex.load(directory / "lexical"),
                       SentenceIndex.load(directory, len(chunks)), faiss.read_index(str(ann)) if ann.exists() else None)


class LocalVersion(ManifestIdentity):
    """A version directory loaded into memory, searched with FAISS, numpy and bm25s."""

    def __init__(self, index: ReportIndex, probe_share: float) -> None:
        self.index = index
        self.version = index.directory.name
        self.manifest = index.manifest
        self.approximate = index.sentence_ann is not None
        for ann in (index.vectors, index.sentence_ann):
            if isinstance(ann, faiss.IndexIVF):
                ann.nprobe = probes(ann.nlist, probe_share)

    @property
    def chunks(self) -> list[Chunk]:
        return self.index.chunks

    @property
    def directory(self) -> Path:
        """The version's directory (files kept beside the index, such as the source)."""
        return self.index.directory

    def signals(self, question: str, query: np.ndarray, depth: int) -> Signals:
        return self._approximate(question, query, depth) if self.approximate else self._exact(question, query)

    def _exact(self, question: str, query: np.ndarray) -> Signals:
        """Every passage and sentence: exact, and cheaper than choosing candidates at this size."""
        index, n = self.index, len(self.index.chunks)
        dense = np.zeros(n, dtype=np.float32)
        scores, found = index.vectors.search(query[None, :], n)
        dense[found[0]] = scores[0]
        sentence_scores = index.sentences.vectors @ query
        return Signals(
            chunks=index.chunks,
            dense=dense,
            best_sentence=index.sentences.best_per_passage(sentence_scores, fallback=dense),
            lexical=index.lexical.scores(question),
            word_share=index.lexical.analyzer.word_share(question),
            sentences=lambda i: index.sentences.of(i, sentence_scores),
        )

    def _approximate(self, question: str, query: np.ndarray, depth: int) -> Signals:
        """The union of the `depth` best passages by IVF over passages, IVF over sentences
        and BM25, each then scored exactly from its stored vectors."""
        index, sentences = self.index, self.index.sentences
        _, by_dense = index.vectors.search(query[None, :], depth)
        _, by_sentence = index.sentence_ann.search(query[None, :], depth)
        lexical = index.lexical.scores(question)
        positions = candidates(by_dense[0][by_dense[0] >= 0], sentences.owners(by_sentence[0][by_sentence[0] >= 0]),
                               _top(lexical, depth))
        dense = index.vectors.reconstruct_batch(positions) @ query
        rows = [sentences.rows(int(p)) for p in positions]
        scores = [sentences.vectors[r] @ query for r in rows]
        return Signals(
            chunks=[index.chunks[p] for p in positions],
            dense=dense,
            best_sentence=np.array([s.max() if len(s) else d for s, d in zip(scores, dense)], np.float32),
            lexical=lexical[positions],
            word_share=index.lexical.analyzer.word_share(question),
            sentences=lambda i: (sentences.span[rows[i]], scores[i]),
        )

    def neighbourhood(self, chunk_id: str) -> Neighbourhood | None:
        chunks = self.index.chunks
        for position, chunk in enumerate(chunks):
            if chunk.id == chunk_id:
                return Neighbourhood(chunk, chunks[position - 1].id if position > 0 else None,
                                     chunks[position + 1].id if position + 1 < len(chunks) else None)
        return None


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    return np.argpartition(-scores, k - 1)[:k] if k else np.zeros(0, np.int64)


@dataclass(frozen=True)
class LocalStaging:
    """A build's staging directory under the report's folder (never served)."""

    store: LocalStore
    directory: Path

    def publish(self, built: BuiltReport, expected: BuildSettings) -> str:
        write_index(built, self.directory, self.store.ann)
        load_index(self.directory, expected)  # a build that cannot be loaded back is never published
        return self.store.catalog.publish(built.report_id, self.directory, built.manifest["report"]["sha256"])


class LocalStore:
    """Versions as directories under `root`, served through the CURRENT pointer."""

    def __init__(self, root: Path, ann: AnnParams) -> None:
        # One query at a time needs no OpenMP threads; idle ones spinning beside
        # PyTorch's slow the question's embedding (eval/bench_ask.py).
        faiss.omp_set_num_threads(1)
        self.catalog = Catalog(root)
        self.ann = ann

    def reports(self) -> list[str]:
        return self.catalog.reports()

    def current(self, report: str) -> str | None:
        current = self.catalog.current(report)
        return current.name if current else None

    def versions(self, report: str) -> list[str]:
        return self.catalog.versions(report)

    def current_manifest(self, report: str) -> dict | None:
        current = self.catalog.current(report)
        try:
            return read_manifest(current) if current else None
        except (OSError, ValueError):  # deleted by hand, damaged: the next build replaces it
            return None

    def building(self, report: str) -> AbstractContextManager[None]:
        return self.catalog.building(report)

    def staging(self, report: str) -> LocalStaging:
        return LocalStaging(self, self.catalog.staging_dir(report))

    def open(self, report: str, version: str, expected: BuildSettings) -> LocalVersion:
        return LocalVersion(load_index(self.catalog.root / report / version, expected), self.ann.probe_share)

    def prune(self, keep: int) -> list[str]:
        return [f"{path.parent.name}/{path.name}" for path in self.catalog.prune(keep)]
