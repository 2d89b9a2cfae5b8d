"""GET /reports/{id}/outline: the report's table of contents as data.

Chapters and sections with the page the report prints for each, read from
the served version's manifest (index/build.py writes it there, so any store
that keeps the manifest serves it; a report without a table of contents has
its heading tree with the page each heading's text begins on, and a version
built before outlines were kept has none). A router of its own so that
qa/api.py only includes it.
"""
from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from qa.api_errors import documented

router = APIRouter()


@router.get("/reports/{report_id}/outline", summary="Rapportens innehållsförteckning", responses=documented(404, 422))
def outline(report_id: str, request: Request) -> dict:
    """{"report", "title", "version", "entries": [{"title", "level", "page"}]}; 404 for an unknown report."""
    indexes = request.app.state.engine.retriever.indexes
    index = indexes.get(report_id)
    if index is None:
        known = ", ".join(sorted(indexes)) or "inga"
        raise HTTPException(404, f"Okänd rapport '{report_id}'. Tillgängliga rapporter: {known}.")
    return {
        "report": report_id,
        "title": index.title,
        "version": index.version,
        "entries": index.manifest.get("outline", []),
    }
