"""Build (or rebuild) the index of one report without disturbing the one served.

(parse, done by the caller) → unchanged? → chunk → embed → the store writes it
aside, loads it back and only then serves it. Anything that fails before the
last step leaves the current version as it was, in every store.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from index.document import keep_source, read_source
from index.embedder import Embedder
from index.store import BuildSettings, embed_report, format_change, passages_digest
from index.stores import Store
from ingest import chunk_document
from ingest.locate import locate_document
from ingest.model import Document


@dataclass
class BuildResult:
    report: str
    title: str
    version: str
    built: bool  # False: the same file was already indexed with the same settings
    pages: int
    chunks: int
    timings: dict[str, float] = field(default_factory=dict)
    # Why an existing report was rebuilt although its file is unchanged: the model or
    # chunking settings differ from those of the version it replaces, or its passages do.
    changed_settings: list[str] = field(default_factory=list)
    # What ingest warned about although the file could be read (scanned pages), in Swedish.
    warnings: list[str] = field(default_factory=list)


# Told when only the passages differ: the software that reads reports was updated.
PASSAGES_CHANGED = "passages"


def build_report(
    doc: Document,
    store: Store,
    embedder: Embedder,
    settings: BuildSettings,
    documents: Path,
    progress: bool = False,
    on_rebuild: Callable[[list[str]], None] | None = None,
) -> BuildResult:
    """Publish a new version of the document's report, unless the current one was built from
    the same file with the same settings into the same passages (then nothing is done: a
    newer ingest that cuts or cleans the file differently does rebuild). `on_rebuild` hears, before the
    work starts, which settings changed when that is why the report is rebuilt."""
    with store.building(doc.report_id):  # a build of the same report running now finishes first
        timings: dict[str, float] = {}
        start = time.perf_counter()
        chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap)
        timings["chunk_s"] = time.perf_counter() - start
        start = time.perf_counter()
        chunks = locate_document(doc, chunks)  # where each passage stands on its PDF pages, for the viewer
        timings["locate_s"] = time.perf_counter() - start

        manifest = store.current_manifest(doc.report_id)
        changed = settings.differences(manifest.get("build", {})) if manifest else []
        if manifest and (older := format_change(manifest)):  # served from no longer: rebuilt
            changed.append(older)
        if manifest and manifest.get("report", {}).get("sha256") == doc.sha256:
            if not changed and manifest.get("passages_sha256") == passages_digest(chunks):
                return BuildResult(doc.report_id, doc.title, store.current(doc.report_id), False,
                                   doc.page_count, manifest["counts"]["chunks"])
            # Same file, same settings, other passages: a newer ingest reads the file differently.
            changed = changed or [PASSAGES_CHANGED]
        if changed and on_rebuild:
            on_rebuild(changed)

        staging = store.staging(doc.report_id)
        built = embed_report(doc, chunks, embedder, settings, progress=progress)
        timings.update(built.timings)
        start = time.perf_counter()
        source = read_source(doc)
        version = staging.publish(built, settings)
        keep_source(doc, source, documents)  # the viewer serves the very file this version was built from
        timings["index_s"] = time.perf_counter() - start
    return BuildResult(doc.report_id, doc.title, version, True, doc.page_count, len(chunks), timings, changed)
