"""The HTTP service: ask the report a question, get cited passages back.

Run with `qa serve`. Interactive documentation is at /docs. Every error is
JSON of the form {"detail": "<message in Swedish>"}; bad input is a 4xx,
never a 500.
"""
from __future__ import annotations

import asyncio
import secrets
from contextlib import asynccontextmanager, suppress
from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StringConstraints

from qa.engine import Answer, Engine, NoIndex, PassageView
from qa.retriever import UnknownReport
from qa.routes_outline import router as outline_router
from qa.settings import Settings, get_settings
from qa.web import mount_web

MAX_QUESTION = 1000
MAX_K = 50

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION)]
K = Annotated[int, Field(ge=1, le=MAX_K)]


class AskRequest(BaseModel):
    question: Question = Field(description="Frågan, på svenska eller engelska.", examples=["Hur många invånare har Västerbotten?"])
    k: K = Field(5, description="Hur många textavsnitt som ska returneras (1–50).")
    report: str | None = Field(None, description="Sök bara i denna rapport (id från /reports).")


FIELD_MESSAGES = {
    "question": f"Frågan måste innehålla text och vara högst {MAX_QUESTION} tecken lång.",
    "q": f"Frågan måste innehålla text och vara högst {MAX_QUESTION} tecken lång.",
    "k": f"k måste vara ett heltal mellan 1 och {MAX_K}.",
    "report": "report måste vara ett rapport-id (text) från /reports.",
}
BAD_REQUEST = 'Ogiltig begäran: skicka JSON som {"question": "Din fråga", "k": 5}.'


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


async def watch_versions(eng: Engine, interval_s: float) -> None:
    """Pick up newly published index versions without a restart."""
    if interval_s <= 0:
        return
    while True:
        await asyncio.sleep(interval_s)
        await asyncio.to_thread(eng.retriever.reload)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """`engine`: one already made (e.g. by `qa serve` after building), to reuse its loaded model."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.engine = engine or Engine(settings)
        app.state.engine.retriever  # load the model and indexes before the first request
        watcher = asyncio.create_task(watch_versions(app.state.engine, settings.reload_interval_s))
        yield
        watcher.cancel()
        with suppress(asyncio.CancelledError):
            await watcher

    app = FastAPI(
        title="Fråga rapporten",
        description="Ställ frågor till Region Västerbottens rapporter och få svar med källhänvisning.",
        version="0.1.0",
        lifespan=lifespan,
    )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0]
        field = str(first["loc"][-1]) if first.get("loc") else ""
        message = FIELD_MESSAGES.get(field, BAD_REQUEST)
        return JSONResponse(status_code=422, content={"detail": message})

    def answer(eng: Engine, question: str, k: int, report: str | None) -> Answer:
        try:
            return eng.ask(question, k=k, report=report)
        except NoIndex:
            if eng.retriever.load_errors:
                raise HTTPException(503, "Indexet kan inte användas: " + " ".join(eng.retriever.load_errors.values()))
            raise HTTPException(
                503,
                "Inget index är byggt ännu. Kör `qa ingest data/resultat-vasterbotten-2024.pdf` "
                "(eller starta med `qa serve`, som bygger standardrapporten) och försök igen.",
            )
        except UnknownReport:
            if report in eng.retriever.load_errors:  # on disk, but built with other settings or damaged
                raise HTTPException(503, "Rapporten kan inte användas: " + eng.retriever.load_errors[report])
            known = ", ".join(sorted(eng.retriever.indexes)) or "inga"
            raise HTTPException(404, f"Okänd rapport '{report}'. Tillgängliga rapporter: {known}.")

    @app.post("/ask", response_model=Answer, summary="Ställ en fråga")
    def ask_post(body: AskRequest, eng: Engine = Depends(get_engine)) -> Answer:
        return answer(eng, body.question, body.k, body.report)

    @app.get("/ask", response_model=Answer, summary="Ställ en fråga (GET)")
    def ask_get(
        q: Annotated[Question, Query(description="Frågan.")],
        k: Annotated[int, Query(ge=1, le=MAX_K)] = 5,
        report: str | None = None,
        eng: Engine = Depends(get_engine),
    ) -> Answer:
        return answer(eng, q, k, report)

    @app.get("/passages/{passage_id}", summary="Ett textavsnitt med dess grannar")
    def passage(passage_id: str, eng: Engine = Depends(get_engine)) -> PassageView:
        view = eng.passage(passage_id)
        if view is None:
            raise HTTPException(404, f"Det finns inget textavsnitt med id '{passage_id}'.")
        return view

    @app.get("/reports", summary="Rapporterna som går att fråga")
    def reports(eng: Engine = Depends(get_engine)) -> list[dict]:
        return [
            {"id": rid, "title": index.title, "version": index.directory.name, "manifest": index.manifest}
            for rid, index in sorted(eng.retriever.indexes.items())
        ]

    def require_admin(authorization: Annotated[str | None, Header()] = None) -> None:
        token = settings.admin_token
        if not token:
            raise HTTPException(403, "Administration är avstängd: sätt QA_ADMIN_TOKEN för att slå på den.")
        expected = f"Bearer {token}".encode()
        if not authorization or not secrets.compare_digest(authorization.encode(), expected):
            raise HTTPException(401, "Fel eller saknad administratörsnyckel (Authorization: Bearer <nyckel>).")

    @app.post("/admin/reload", summary="Läs in nya indexversioner nu", dependencies=[Depends(require_admin)])
    def reload(eng: Engine = Depends(get_engine)) -> dict:
        changed = eng.retriever.reload()
        return {"reloaded": changed, "reports": sorted(eng.retriever.indexes), "errors": eng.retriever.load_errors}

    @app.get("/health", summary="Tjänstens status")
    def health(eng: Engine = Depends(get_engine)) -> dict:
        indexes = eng.retriever.indexes
        health = {"status": "ok" if indexes else "no_index", "reports": sorted(indexes), "model": eng.embedder.name}
        if eng.retriever.load_errors:
            health["load_errors"] = eng.retriever.load_errors
        return health

    app.include_router(outline_router)
    mount_web(app)
    return app

