"""The store interface: where report versions are kept and which one is served.

A store holds, per report, complete versions (each a `BuiltReport` written in the
store's own form) and a pointer to the one served, switched atomically only
after a new version has been written and read back. Two implementations:
`local.py` (FAISS and files in a directory, embedded, the default) and
`milvus.py` (Milvus collections behind an alias, milvus-lite in the process or
a shared server). A third engine is one more module with these two classes:

- `Store`: reports, versions, the served version, building (`staging` → `publish`), pruning.
- `ReportVersion`: one loaded version; `signals` scores candidate passages for a
  question every way the fusion functions (qa/scoring.py) need, `neighbourhood`
  finds a passage and its neighbours.

Modelled on txtai's `ann/base.py` and Haystack's `DocumentStore` protocol; one
contract test suite (tests/test_store_contract.py) runs against every store.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol

import numpy as np

from index.store import BuildSettings, BuiltReport
from ingest.model import Chunk


class StoreUnavailable(Exception):
    """The configured store cannot be used (unknown backend, server out of reach)."""


@dataclass(frozen=True)
class Signals:
    """How well each candidate passage of one report matches a question.

    A store may return every passage (exact search) or only candidates that
    some signal ranks high (approximate search): the arrays are parallel to
    `chunks`, and every score is exact for the passages it covers.
    """

    chunks: Sequence[Chunk]
    dense: np.ndarray  # cosine of question and passage
    best_sentence: np.ndarray  # cosine of the passage's best sentence (`dense` where it has none)
    lexical: np.ndarray  # Swedish BM25
    word_share: float  # share of the question's words that the report uses (index/swedish.py `word_share`)
    # Spans (n × 2, offsets into the chunk's text) and cosines of candidate i's sentences.
    sentences: Callable[[int], tuple[np.ndarray, np.ndarray]]


@dataclass(frozen=True)
class Neighbourhood:
    chunk: Chunk
    previous: str | None
    next: str | None


class ManifestIdentity:
    """`report_id` and `title` of a loaded version, read from its manifest (every store keeps one)."""

    manifest: dict

    @property
    def report_id(self) -> str:
        return self.manifest["report"]["id"]

    @property
    def title(self) -> str:
        return self.manifest["report"]["title"]


class ReportVersion(Protocol):
    """One loaded, searchable version of one report."""

    version: str
    manifest: dict

    @property
    def report_id(self) -> str: ...

    @property
    def title(self) -> str: ...

    def signals(self, question: str, query: np.ndarray, depth: int) -> Signals:
        """Score passages for `question` (its unit vector: `query`); an approximate store
        takes the union of the `depth` best passages by dense, sentence and BM25 search."""
        ...

    def neighbourhood(self, chunk_id: str) -> Neighbourhood | None: ...


class Staging(Protocol):
    def publish(self, built: BuiltReport, expected: BuildSettings) -> str:
        """Write the new version aside, read it back, then serve it; return its name.
        Anything that fails before the switch leaves the served version as it was."""
        ...


class Store(Protocol):
    def reports(self) -> list[str]:
        """Report ids that have a served version, sorted."""
        ...

    def current(self, report: str) -> str | None:
        """The served version of a report, None if there is none."""
        ...

    def versions(self, report: str) -> list[str]:
        """Complete versions, oldest first."""
        ...

    def current_manifest(self, report: str) -> dict | None:
        """The served version's manifest; None if there is none or it cannot be read."""
        ...

    def building(self, report: str) -> AbstractContextManager[None]:
        """Held for a whole build: a second build of the same report waits."""
        ...

    def staging(self, report: str) -> Staging:
        """Start a build (before the embedding: a killed build leaves only what this made,
        which the next build of the report sweeps away)."""
        ...

    def open(self, report: str, version: str, expected: BuildSettings) -> ReportVersion:
        """Load a version; `IndexMismatch` if it was built with other settings or is incomplete."""
        ...

    def prune(self, keep: int) -> list[str]:
        """Delete all but the newest `keep` versions of each report, never the served one;
        return what was deleted as "report/version"."""
        ...


def new_version_name(sha256: str) -> str:
    """Microseconds first: names sort in build order; the checksum says what was built."""
    return datetime.now(timezone.utc).strftime("v%Y%m%dT%H%M%S%f") + f"-{sha256[:8]}"


def prunable(versions: list[str], current: str | None, keep: int) -> list[str]:
    """The versions `prune(keep)` deletes: all but the newest `keep`, never the current one."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    return [v for v in versions[:-keep] if v != current]


def candidates(*positions: np.ndarray) -> np.ndarray:
    """The union of what each signal proposes, in position order."""
    return np.unique(np.concatenate([np.asarray(p, dtype=np.int64) for p in positions]))
