"""Every error of the HTTP service, in one place: which status, which Swedish
message, and how each route documents them in the OpenAPI document.

Every error body is {"detail": str} (`ErrorBody`), including the ones the
framework itself raises (malformed JSON, unknown path, wrong method).
"""
from __future__ import annotations

from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from qa import messages
from qa.engine import NoIndex
from qa.retriever import UnknownReport
from qa.schema import BAD_JSON, BAD_REQUEST, FIELD_MESSAGES, ErrorBody

WHEN = {
    400: "Kroppen är inte giltig JSON.",
    401: "Fel eller saknad administratörsnyckel.",
    403: "Administration är avstängd (QA_ADMIN_TOKEN saknas).",
    404: "Det som efterfrågas finns inte.",
    422: "Ett fält har fel värde; meddelandet säger vilket och vad som gäller.",
    503: "Inget index går att använda ännu; meddelandet säger vad man ska köra.",
}
# What the framework says in English, and what we say instead.
FRAMEWORK = {
    "There was an error parsing the body": BAD_JSON,
    HTTPStatus.NOT_FOUND.phrase: "Det finns ingen sådan adress. Se /docs för tjänstens adresser.",
    HTTPStatus.METHOD_NOT_ALLOWED.phrase: "Metoden stöds inte på den här adressen. Se /docs.",
}


def documented(*codes: int) -> dict[int | str, dict]:
    """The `responses` of a route that can answer with these error codes."""
    return {code: {"model": ErrorBody, "description": WHEN[code]} for code in codes}


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": message}, headers=headers)


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0]
    if first.get("type") == "json_invalid":
        return error(400, BAD_JSON)
    field = str(first["loc"][-1]) if first.get("loc") else ""
    return error(422, FIELD_MESSAGES.get(field, BAD_REQUEST))


async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    detail = str(exc.detail)
    headers = exc.headers
    if exc.status_code == 405:  # the framework names only the first route's method; GET and POST /ask are two routes
        headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(request))}
    return error(exc.status_code, FRAMEWORK.get(detail, detail), headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts at this request's path (included routers are searched too)."""
    methods: set[str] = set()
    routes = list(request.app.routes)
    while routes:
        route = routes.pop()
        if route.matches(request.scope)[0] != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
            # FastAPI keeps an included router as one route: its own routes are on `original_router`.
            routes += getattr(getattr(route, "original_router", route), "routes", None) or []
    return sorted(methods)


async def no_index(request: Request, exc: NoIndex) -> JSONResponse:
    problem = messages.no_index(request.app.state.engine.retriever, request.app.state.settings.default_source)
    return error(503, problem.message)


async def unknown_report(request: Request, exc: UnknownReport) -> JSONResponse:
    problem = messages.unknown_report(request.app.state.engine.retriever, exc.args[0])
    return error(503 if problem.unusable else 404, problem.message)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(NoIndex, no_index)
    app.add_exception_handler(UnknownReport, unknown_report)
