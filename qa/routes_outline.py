"""GET /reports/{id}/outline: the report's table of contents as data.

Chapters and sections with the page the report prints for each, read from
the served version's manifest (index/build.py writes it there, so any store
that keeps the manifest serves it; a report without a table of contents has
its heading tree with the page each heading's text begins on, and a version
built before outlines were kept has none). A router of its own so that
qa/api.py only includes it.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from qa.api_errors import documented
from qa.engine import Engine
from qa.routes import get_engine, served_report

router = APIRouter()


@router.get("/reports/{report_id}/outline", summary="Rapportens innehållsförteckning", responses=documented(404, 422))
def outline(report_id: str, eng: Annotated[Engine, Depends(get_engine)]) -> dict:
    """{"report", "title", "version", "entries": [{"title", "level", "page"}]}; 404 for an unknown report."""
    index = served_report(eng, report_id)
    return {
        "report": report_id,
        "title": index.title,
        "version": index.version,
        "entries": index.manifest.get("outline", []),
    }
