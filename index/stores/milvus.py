"""The Milvus store: report versions as Milvus collections, the served one behind an alias.

    qa_<report>                       alias → the served version's passage collection
    qa_<report>__<version>            passages: position, chunk id, e5 vector, BM25 sparse
                                      vector, the whole chunk as JSON; the manifest and the
                                      Swedish analyser in the collection's properties
    qa_<report>__<version>__sentences every sentence: its passage, span and e5 vector
    qa_<report>__staging-<hex>[...]   a build in progress (never served)

Names escape anything but ASCII letters and digits as `_` + six hex digits.
A build writes staging collections, loads them back and checks them (row
counts, settings, a passage finds itself), renames them to the version, and
only then points the alias at it: Milvus switches an alias atomically, so
every replica sees the old or the new version, never half of one. A build that
dies leaves staging collections that the next build of the report drops.

The lexical side is the project's own Swedish BM25 (index/lexical.py) as
client-computed sparse vectors: each passage stores its bm25s term weights,
the question its term counts, and Milvus' inner product is then exactly the
BM25 score. Terms are hashed to 32-bit ids (no vocabulary to keep in step);
two terms that share a hash would add up, which on this corpus's ~10⁵ terms
happens to a handful and moves no ranking measurably.

`uri` is a file path (milvus-lite, the Milvus engine inside this process) or
http://host:19530 (Milvus standalone or a cluster, shared by service replicas).
"""
from __future__ import annotations

import json
import re
import uuid
import zlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from index.catalog import report_lock
from index.lexical import query_terms
from index.sentences import SentenceIndex
from index.store import BuildSettings, BuiltReport, IndexMismatch, check_manifest, chunk_from_json, incomplete
from index.stores.base import ManifestIdentity, Neighbourhood, Signals, StoreUnavailable, candidates, new_version_name, prunable
from index.swedish import Analyzer

PREFIX = "qa_"
SENTENCES = "__sentences"
STAGING = "staging-"
MANIFEST, ANALYZER = "qa.manifest", "qa.analyzer"
BATCH = 1000  # rows per insert: well under Milvus' 64 MB request limit with 384-d vectors
MAX_ID = 2**32 - 1  # Milvus sparse dimensions are 0 … 2³²−2
MAX_CHUNK_ID = 512


def _escape(text: str) -> str:
    return "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):06x}" for c in text)


def _unescape(name: str) -> str:
    return re.sub(r"_([0-9a-f]{6})", lambda m: chr(int(m.group(1), 16)), name)


def alias_name(report: str) -> str:
    return PREFIX + _escape(report)


def collection_name(report: str, version: str) -> str:
    return f"{alias_name(report)}__{_escape(version)}"


def _parse(collection: str) -> tuple[str, str] | None:
    """(report, version) of a passage collection; None for anything else."""
    if not collection.startswith(PREFIX) or collection.endswith(SENTENCES):
        return None
    parts = collection[len(PREFIX):].split("__")
    return (_unescape(parts[0]), _unescape(parts[1])) if len(parts) == 2 else None


def term_id(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) % MAX_ID


def sparse(terms: dict[str, float]) -> dict[int, float]:
    vector: dict[int, float] = {}
    for token, weight in terms.items():
        vector[term_id(token)] = vector.get(term_id(token), 0.0) + weight
    return vector


class MilvusStore:
    def __init__(self, uri: str, lock_dir: Path, hnsw_m: int, hnsw_ef_construction: int, ef_search: int) -> None:
        from pymilvus import MilvusClient

        if "://" not in uri:
            Path(uri).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.client = MilvusClient(uri)
        except Exception as error:  # pymilvus raises several kinds for an unreachable server
            raise StoreUnavailable(
                f"Milvus på {uri} går inte att öppna ({error}). En milvus-lite-fil kan bara användas av "
                "en process åt gången (stoppa `qa serve` före `qa ingest`, eller använd en Milvus-server); "
                "kontrollera annars QA_MILVUS_URI och att servern är igång.") from error
        self.uri = uri
        self.lock_dir = lock_dir
        self.index_params = {"M": hnsw_m, "efConstruction": hnsw_ef_construction}
        self.ef_search = ef_search

    # -- which versions exist, which is served ------------------------------------------

    def reports(self) -> list[str]:
        return sorted(_unescape(a[len(PREFIX):]) for a in self._aliases() if a.startswith(PREFIX))

    def current(self, report: str) -> str | None:
        if alias_name(report) not in self._aliases():
            return None
        with self._reachable():
            described = self.client.describe_alias(alias_name(report))
        parsed = _parse(described["collection_name"])
        return parsed[1] if parsed else None

    def _aliases(self) -> list[str]:
        with self._reachable():
            return self.client.list_aliases().get("aliases", [])

    @contextmanager
    def _reachable(self) -> Iterator[None]:
        """A server gone away is `StoreUnavailable`: the service keeps what it has loaded."""
        from pymilvus import MilvusException

        try:
            yield
        except MilvusException as error:
            raise StoreUnavailable(f"Milvus på {self.uri} svarar inte: {error}") from error

    def versions(self, report: str) -> list[str]:
        return sorted(v for r, v in self._collections() if r == report and not v.startswith(STAGING))

    def current_manifest(self, report: str) -> dict | None:
        version = self.current(report)
        try:
            return self._properties(collection_name(report, version))[0] if version else None
        except Exception:  # dropped by hand, damaged: the next build replaces it
            return None

    def building(self, report: str) -> AbstractContextManager[None]:
        """A lock on this machine: run builds for one Milvus from one machine (README)."""
        return report_lock(self.lock_dir / _escape(report))

    # -- building ----------------------------------------------------------------------

    def staging(self, report: str) -> MilvusStaging:
        self._sweep(report)
        return MilvusStaging(self, collection_name(report, STAGING + uuid.uuid4().hex))

    def _publish(self, staging: str, built: BuiltReport, expected: BuildSettings) -> str:
        """Write `built` into the `staging` collections, check them, rename them to the new
        version and point the report's alias at it (see the module's docstring)."""
        report = built.report_id
        try:
            self._write(staging, built)
            self._verify(staging, built, expected)
            version = new_version_name(built.manifest["report"]["sha256"])
            final = collection_name(report, version)
            self.client.rename_collection(staging + SENTENCES, final + SENTENCES)
            self.client.rename_collection(staging, final)
        except BaseException:
            self._drop(staging)
            raise
        if self.current(report) is None:
            self.client.create_alias(final, alias_name(report))
        else:
            self.client.alter_alias(final, alias_name(report))
        return version

    def _write(self, name: str, built: BuiltReport) -> None:
        from pymilvus import DataType

        dim = built.vectors.shape[1]
        passages = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
        passages.add_field("pk", DataType.INT64, is_primary=True)
        passages.add_field("chunk_id", DataType.VARCHAR, max_length=MAX_CHUNK_ID)
        passages.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        passages.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        passages.add_field("chunk", DataType.JSON)
        index = self.client.prepare_index_params()
        index.add_index("dense", index_type="HNSW", metric_type="IP", params=self.index_params)
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        self.client.create_collection(name, schema=passages, index_params=index, properties={
            MANIFEST: json.dumps(built.manifest, ensure_ascii=False),
            ANALYZER: json.dumps(built.lexical.analyzer.to_json(), ensure_ascii=False),
        })
        sentences = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
        sentences.add_field("pk", DataType.INT64, is_primary=True)
        sentences.add_field("owner", DataType.INT64)
        sentences.add_field("start", DataType.INT32)
        sentences.add_field("end", DataType.INT32)
        sentences.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        index = self.client.prepare_index_params()
        index.add_index("dense", index_type="HNSW", metric_type="IP", params=self.index_params)
        self.client.create_collection(name + SENTENCES, schema=sentences, index_params=index)

        terms = built.lexical.document_terms()
        self._insert(name, ({
            "pk": position, "chunk_id": chunk.id, "dense": built.vectors[position],
            # An empty text has no terms, but Milvus wants one non-zero weight: the id of the
            # empty token, which no question ever contains.
            "sparse": sparse(terms[position]) or {term_id(""): 1.0},
            "chunk": asdict(chunk),
        } for position, chunk in enumerate(built.chunks)))
        self._insert(name + SENTENCES, ({
            "pk": row, "owner": int(built.sentence_owners[row]), "start": int(built.sentence_spans[row, 0]),
            "end": int(built.sentence_spans[row, 1]), "dense": built.sentence_vectors[row],
        } for row in range(len(built.sentence_owners))))

    def _insert(self, name: str, rows: Iterator[dict]) -> None:
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                self.client.insert(name, batch)
                batch = []
        if batch:
            self.client.insert(name, batch)
        self.client.flush(name)

    def _verify(self, name: str, built: BuiltReport, expected: BuildSettings) -> None:
        """Load the staged collections back as a server would serve them: settings, counts,
        and the first passage's own vector finds it."""
        staged = self._open(name, expected)
        found = self.client.search(name, [built.vectors[0].tolist()], anns_field="dense", limit=1,
                                   search_params={"metric_type": "IP", "params": {"ef": self.ef_search}})
        if not found[0] or found[0][0]["pk"] != 0:
            raise incomplete(name, staged.manifest)

    # -- serving -------------------------------------------------------------------------

    def open(self, report: str, version: str, expected: BuildSettings) -> MilvusVersion:
        return self._open(collection_name(report, version), expected)

    def _open(self, name: str, expected: BuildSettings) -> MilvusVersion:
        where = f"Milvus-samlingen {name}"
        try:
            manifest, analyzer = self._properties(name)
        except Exception as error:
            raise IndexMismatch(f"{where} går inte att läsa: {error}") from error
        check_manifest(manifest, expected, where)
        for collection, key in ((name, "chunks"), (name + SENTENCES, "sentences")):
            try:
                self.client.load_collection(collection)
                count = self.client.query(collection, filter="", output_fields=["count(*)"])[0]["count(*)"]
            except Exception as error:  # dropped meanwhile, or never complete
                raise incomplete(where, manifest) from error
            if count != manifest["counts"][key]:
                raise incomplete(where, manifest)
        return MilvusVersion(self, name, manifest, analyzer)

    def _properties(self, name: str) -> tuple[dict, Analyzer]:
        properties = self.client.describe_collection(name)["properties"]
        return json.loads(properties[MANIFEST]), Analyzer.from_json(json.loads(properties[ANALYZER]))

    # -- removing ------------------------------------------------------------------------

    def prune(self, keep: int) -> list[str]:
        removed = []
        for report in self.reports():
            for version in prunable(self.versions(report), self.current(report), keep):
                self._drop(collection_name(report, version))
                removed.append(f"{report}/{version}")
        return removed

    def _sweep(self, report: str) -> None:
        """Drop what builds of `report` that died left behind."""
        for r, version in self._collections():
            if r == report and version.startswith(STAGING):
                self._drop(collection_name(r, version))

    def _drop(self, name: str) -> None:
        for collection in (name, name + SENTENCES):
            if self.client.has_collection(collection):
                self.client.drop_collection(collection)

    def _collections(self) -> list[tuple[str, str]]:
        return [parsed for name in self.client.list_collections() if (parsed := _parse(name))]


@dataclass(frozen=True)
class MilvusStaging:
    store: MilvusStore
    name: str

    def publish(self, built: BuiltReport, expected: BuildSettings) -> str:
        return self.store._publish(self.name, built, expected)


class MilvusVersion(ManifestIdentity):
    """One served version: every question is a few searches and queries against Milvus;
    nothing of the report is held in this process but its manifest and analyser."""

    def __init__(self, store: MilvusStore, name: str, manifest: dict, analyzer: Analyzer) -> None:
        self.client = store.client
        self.ef_search = store.ef_search
        self.name = name
        self.version = _parse(name)[1]
        self.manifest = manifest
        self.analyzer = analyzer

    def signals(self, question: str, query: np.ndarray, depth: int) -> Signals:
        """Candidates from three searches (passage vectors, sentence vectors, BM25), then
        every signal computed exactly for them from their stored vectors."""
        vector = query.tolist()
        params = {"metric_type": "IP", "params": {"ef": max(self.ef_search, depth)}}
        by_dense = self.client.search(self.name, [vector], anns_field="dense", limit=depth, search_params=params)
        by_sentence = self.client.search(self.name + SENTENCES, [vector], anns_field="dense", limit=depth,
                                         search_params=params, output_fields=["owner"])
        terms = sparse({token: float(count) for token, count in query_terms(self.analyzer, question).items()})
        by_lexical = self.client.search(self.name, [terms], anns_field="sparse", limit=depth,
                                        search_params={"metric_type": "IP"}) if terms else [[]]
        positions = candidates([hit["pk"] for hit in by_dense[0]], [hit["entity"]["owner"] for hit in by_sentence[0]],
                               [hit["pk"] for hit in by_lexical[0]])
        listed = json.dumps(positions.tolist())
        rows = {row["pk"]: row for row in self.client.query(
            self.name, filter=f"pk in {listed}", output_fields=["pk", "dense", "sparse", "chunk"])}
        rows = [rows[int(p)] for p in positions]
        dense = np.asarray([row["dense"] for row in rows], dtype=np.float32).reshape(-1, len(vector)) @ query
        lexical = np.asarray([sum(count * row["sparse"].get(i, 0.0) for i, count in terms.items()) for row in rows],
                             dtype=np.float32)
        found = self.client.query(self.name + SENTENCES, filter=f"owner in {listed}",
                                  output_fields=["owner", "start", "end", "dense"])
        slot = {int(p): i for i, p in enumerate(positions)}
        sentences = SentenceIndex(
            np.asarray([slot[s["owner"]] for s in found], np.int64),
            np.asarray([(s["start"], s["end"]) for s in found], np.int32).reshape(-1, 2),
            np.asarray([s["dense"] for s in found], np.float32).reshape(-1, len(vector)),
            len(positions),
        )
        sentence_scores = sentences.vectors @ query
        return Signals(
            chunks=[chunk_from_json(row["chunk"]) for row in rows],
            dense=dense,
            best_sentence=sentences.best_per_passage(sentence_scores, fallback=dense),
            lexical=lexical,
            word_share=self.analyzer.word_share(question),
            sentences=lambda i: sentences.of(i, sentence_scores),
        )

    def neighbourhood(self, chunk_id: str) -> Neighbourhood | None:
        found = self.client.query(self.name, filter=f"chunk_id == {json.dumps(chunk_id)}", output_fields=["pk", "chunk"])
        if not found:
            return None
        position = found[0]["pk"]
        near = {row["pk"]: row["chunk_id"] for row in self.client.query(
            self.name, filter=f"pk in [{position - 1}, {position + 1}]", output_fields=["pk", "chunk_id"])}
        return Neighbourhood(chunk_from_json(found[0]["chunk"]), near.get(position - 1), near.get(position + 1))
