"""The original report behind the citations: its file, and where a sentence stands on its pages.

Only the copy kept inside a served index version (index/document.py) is
ever read: the request names a report id, which is looked up among the
loaded indexes; no part of the request becomes a path.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse

from index.document import source_document
from ingest.locate import Box, locate_span
from qa import messages
from qa.api_errors import documented
from qa.engine import Engine
from qa.routes import get_engine, served_report

router = APIRouter()


@router.get("/reports/{report_id}/document", summary="Rapportens originalfil", response_class=FileResponse,
            responses=documented(404, 422))
def document(report_id: str, eng: Engine = Depends(get_engine)) -> FileResponse:
    """The file the served version was built from (PDF, text or Markdown); answers range requests."""
    index = served_report(eng, report_id)
    found = source_document(eng.settings.index_dir, index.manifest)
    if found is None:
        raise HTTPException(404, f"Originalfilen till rapporten '{report_id}' sparades inte med indexet "
                                 f"(byggt före visaren fanns). Bygg om det med `qa ingest "
                                 f"{index.manifest['report']['source']} --report {report_id}`.")
    path, media_type = found
    return FileResponse(path, media_type=media_type, filename=index.manifest["report"]["source"],
                        content_disposition_type="inline")


# Declared as plain number lists: schemathesis (rightly, for OpenAPI 3.1 tooling at large) trips
# over the tuple's prefixItems in an inline response schema; JSON carries the same numbers.
@router.get("/passages/{passage_id}/boxes", summary="Var en del av ett textavsnitt står på PDF-sidan",
            response_model=list[list[float]], responses=documented(404, 422))
def passage_boxes(
    passage_id: str,
    span: Annotated[str, Query(pattern=r"^\d{1,7}-\d{1,7}$", description="Teckenpositioner i avsnittets text, start-slut.")],
    eng: Engine = Depends(get_engine),
) -> list[Box]:
    """Boxes (pdf_page, x0, top, x1, bottom; points from the top left) of the passage's characters
    start..end, given as `span=start-end`: the answering sentence, drawn stronger by the viewer.
    A span past the passage's end is cut there; an empty one, or a report that is not a PDF,
    has no boxes."""
    located = eng.find(passage_id)
    if located is None:
        raise HTTPException(404, messages.no_passage(passage_id))
    index, chunk = located[0], located[1].chunk
    start, end = (int(part) for part in span.split("-"))
    end = min(end, len(chunk.text))
    document = source_document(eng.settings.index_dir, index.manifest)
    if start >= end or document is None or document[1] != "application/pdf":
        return []
    return list(locate_span(document[0], chunk, start, end))
