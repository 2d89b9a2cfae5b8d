"""The HTTP API's routes. Each returns the engine's dataclasses; errors are
raised as exceptions and turned into responses by qa/api_errors.py, which
also documents them (`documented`)."""
from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request

from index.stores import ReportVersion
from qa import messages
from qa.api_errors import documented
from qa.engine import Answer, Engine, PassageView
from qa.schema import DEFAULT_K, MAX_K, AskRequest, Question

router = APIRouter()


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def served_report(eng: Engine, report_id: str) -> ReportVersion:
    """The served version of a report named in a path; a 404 naming the reports there are."""
    version = eng.retriever.indexes.get(report_id)
    if version is None:
        raise HTTPException(404, messages.not_served(eng.retriever, report_id))
    return version


def require_admin(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
    token = request.app.state.settings.admin_token
    if not token:
        raise HTTPException(403, "Administration är avstängd: sätt QA_ADMIN_TOKEN för att slå på den.")
    expected = f"Bearer {token}".encode()
    if not authorization or not secrets.compare_digest(authorization.encode(), expected):
        raise HTTPException(401, "Fel eller saknad administratörsnyckel (Authorization: Bearer <nyckel>).")


@router.post("/ask", summary="Ställ en fråga", responses=documented(400, 404, 422, 503))
def ask_post(body: AskRequest, eng: Annotated[Engine, Depends(get_engine)]) -> Answer:
    return eng.ask(body.question, k=body.k, report=body.report)


@router.get("/ask", summary="Ställ en fråga (GET)", responses=documented(404, 422, 503))
def ask_get(
    q: Annotated[Question, Query(description="Frågan.")],
    eng: Annotated[Engine, Depends(get_engine)],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = DEFAULT_K,
    report: str | None = None,
) -> Answer:
    return eng.ask(q, k=k, report=report)


@router.get("/passages/{passage_id}", summary="Ett textavsnitt med dess grannar", responses=documented(404, 422))
def passage(passage_id: str, eng: Annotated[Engine, Depends(get_engine)]) -> PassageView:
    view = eng.passage(passage_id)
    if view is None:
        raise HTTPException(404, messages.no_passage(passage_id))
    return view


@router.get("/reports", summary="Rapporterna som går att fråga")
def reports(eng: Annotated[Engine, Depends(get_engine)]) -> list[dict]:
    return [
        {"id": rid, "title": index.title, "version": index.version, "manifest": index.manifest}
        for rid, index in sorted(eng.retriever.indexes.items())
    ]


@router.post("/admin/reload", summary="Läs in nya indexversioner nu", dependencies=[Depends(require_admin)],
             responses=documented(401, 403, 422))
def reload(eng: Annotated[Engine, Depends(get_engine)]) -> dict:
    changed = eng.retriever.reload()
    return {"reloaded": changed, "reports": sorted(eng.retriever.indexes), "errors": eng.retriever.load_errors}


@router.get("/health", summary="Tjänstens status")
def health(eng: Annotated[Engine, Depends(get_engine)]) -> dict:
    indexes = eng.retriever.indexes
    status = {"status": "ok" if indexes else "no_index", "reports": sorted(indexes), "model": eng.embedder.name}
    if eng.retriever.load_errors:
        status["load_errors"] = eng.retriever.load_errors
    return status
