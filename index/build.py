"""Build (or rebuild) the index of one report without disturbing the one served.

parse → chunk → embed → write to a staging directory → load it back → publish.
Anything that fails before the last step leaves the current version as it was.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from index.catalog import Catalog
from index.embedder import Embedder
from index.store import BuildSettings, build_index, load_index, read_manifest
from ingest import chunk_document, load_document


@dataclass
class BuildResult:
    report: str
    title: str
    version: str
    built: bool  # False: the same file was already indexed with the same settings
    pages: int
    chunks: int
    timings: dict[str, float] = field(default_factory=dict)
    # Why an existing report was rebuilt although its file is unchanged: the
    # model or chunking settings differ from those of the version it replaces.
    changed_settings: list[str] = field(default_factory=list)


def is_up_to_date(catalog: Catalog, report: str, sha256: str, settings: BuildSettings) -> bool:
    """Re-ingesting the same file with the same settings must be a no-op."""
    current = catalog.current(report)
    if current is None:
        return False
    manifest = read_manifest(current)
    return manifest["report"]["sha256"] == sha256 and not settings.differences(manifest["build"])


def build_report(
    path: Path,
    catalog: Catalog,
    embedder: Embedder,
    settings: BuildSettings,
    report_id: str | None = None,
    title: str | None = None,
    progress: bool = False,
) -> BuildResult:
    timings: dict[str, float] = {}
    start = time.perf_counter()
    doc = load_document(path, report_id=report_id, title=title, progress=progress)
    timings["parse_s"] = time.perf_counter() - start

    current = catalog.current(doc.report_id)
    if is_up_to_date(catalog, doc.report_id, doc.sha256, settings):
        manifest = read_manifest(current)
        return BuildResult(doc.report_id, doc.title, current.name, False,
                           doc.page_count, manifest["counts"]["chunks"], timings)
    changed = settings.differences(read_manifest(current)["build"]) if current else []

    start = time.perf_counter()
    chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap)
    timings["chunk_s"] = time.perf_counter() - start

    staged = catalog.staging_dir(doc.report_id)
    timings.update(build_index(doc, chunks, embedder, settings, staged, progress=progress))
    load_index(staged, settings)  # a build that cannot be loaded back is never published
    version = catalog.publish(doc.report_id, staged, doc.sha256)
    return BuildResult(doc.report_id, doc.title, version, True, doc.page_count, len(chunks), timings, changed)
