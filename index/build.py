"""Build (or rebuild) the index of one report without disturbing the one served.

(parse, done by the caller) → unchanged? → chunk → embed → write to a staging
directory → load it back → publish. Anything that fails before the last step
leaves the current version as it was.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from index.catalog import Catalog
from index.document import keep_source
from index.embedder import Embedder
from index.store import BuildSettings, build_index, load_index, read_manifest
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
    # Why an existing report was rebuilt although its file is unchanged: the
    # model or chunking settings differ from those of the version it replaces.
    changed_settings: list[str] = field(default_factory=list)


def current_manifest(catalog: Catalog, report: str) -> dict | None:
    """The manifest of the report's current version; None if there is none or it cannot be read
    (a version deleted by hand, a damaged file): then the next build simply replaces it."""
    current = catalog.current(report)
    try:
        return read_manifest(current) if current else None
    except (OSError, ValueError):
        return None


def build_report(
    doc: Document,
    catalog: Catalog,
    embedder: Embedder,
    settings: BuildSettings,
    progress: bool = False,
    on_rebuild: Callable[[list[str]], None] | None = None,
) -> BuildResult:
    """Publish a new version of the document's report, unless the current one was built from
    the same file with the same settings (then nothing is done). `on_rebuild` hears, before the
    work starts, which settings changed when that is why the report is rebuilt."""
    with catalog.building(doc.report_id):  # a build of the same report running now finishes first
        manifest = current_manifest(catalog, doc.report_id)
        changed = settings.differences(manifest.get("build", {})) if manifest else []
        if manifest and manifest.get("report", {}).get("sha256") == doc.sha256 and not changed:
            return BuildResult(doc.report_id, doc.title, catalog.current(doc.report_id).name, False,
                               doc.page_count, manifest["counts"]["chunks"])
        if changed and on_rebuild:
            on_rebuild(changed)

        timings: dict[str, float] = {}
        start = time.perf_counter()
        chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap)
        timings["chunk_s"] = time.perf_counter() - start
        start = time.perf_counter()
        chunks = locate_document(doc, chunks)  # where each passage stands on its PDF pages, for the viewer
        timings["locate_s"] = time.perf_counter() - start

        staged = catalog.staging_dir(doc.report_id)
        timings.update(build_index(doc, chunks, embedder, settings, staged, progress=progress))
        keep_source(doc, staged)  # the viewer serves the very file this version was built from
        load_index(staged, settings)  # a build that cannot be loaded back is never published
        version = catalog.publish(doc.report_id, staged, doc.sha256)
    return BuildResult(doc.report_id, doc.title, version, True, doc.page_count, len(chunks), timings, changed)
