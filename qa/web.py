"""The web page: a question box and cited answers, served by the same app.

Plain HTML, CSS and JavaScript in qa/web/ with no build step; the page talks
to the JSON API like any other client.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

WEB = Path(__file__).resolve().parent / "web"


def mount_web(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=WEB), name="static")

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(WEB / "index.html")

    @app.get("/view/{passage_id}", include_in_schema=False)
    def viewer_page(passage_id: str) -> FileResponse:
        """The cited page of the original PDF; text reports fall back to /passage/{id}."""
        return FileResponse(WEB / "viewer.html")

    @app.get("/passage/{passage_id}", include_in_schema=False)
    def passage_page(passage_id: str) -> FileResponse:
        return FileResponse(WEB / "passage.html")
