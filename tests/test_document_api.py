"""The original report file per version, served read-only, and passage boxes over HTTP (real server)."""
from __future__ import annotations

import dataclasses
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eval.server import running_server
from index.document import keep_source, read_source, source_document
from index.embedder import Embedder
from ingest import IngestError, load_document
from qa.engine import Engine
from qa.settings import Settings
from tests.ingest_pdf_factory import make_pdf, sample_report
from tests.sample_reports import REPORT_2025


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[tuple[httpx.Client, Engine, Path]]:
    """A PDF report (id 2030) and a Markdown one (id 2025) behind a real server on loopback."""
    folder = tmp_path_factory.mktemp("reports")
    engine = Engine(Settings(index_dir=folder / "index"), embedder=embedder)
    pdf = folder / "testrapport.pdf"
    pdf.write_bytes(make_pdf(sample_report(), title="Testrapport 2030"))
    (folder / "rv2025.md").write_text(REPORT_2025, encoding="utf-8")
    engine.ingest(pdf)
    engine.ingest(folder / "rv2025.md")
    with running_server(engine.settings.index_dir) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client, engine, folder


def passage_with(engine: Engine, report: str, words: str):
    return next(c for c in engine.retriever.indexes[report].chunks if words in c.text)


def test_the_pdf_a_version_was_built_from_is_served_with_range_requests(served):
    client, _, folder = served
    original = (folder / "testrapport.pdf").read_bytes()
    whole = client.get("/reports/2030/document")
    assert whole.status_code == 200 and whole.content == original
    assert whole.headers["content-type"] == "application/pdf"
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-disposition"].startswith("inline")
    part = client.get("/reports/2030/document", headers={"Range": "bytes=0-4"})
    assert part.status_code == 206 and part.content == b"%PDF-"
    assert part.headers["content-range"] == f"bytes 0-4/{len(original)}"
    tail = client.get("/reports/2030/document", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == original[-10:]
    assert client.get("/reports/2030/document", headers={"Range": f"bytes={len(original) + 5}-"}).status_code == 416


def test_a_text_report_is_served_as_text_and_the_copy_not_the_file_on_disk(served, tmp_path: Path):
    client, _, folder = served
    markdown = client.get("/reports/2025/document")
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text == REPORT_2025
    (folder / "rv2025.md").write_text("Ändrad efteråt.", encoding="utf-8")
    try:
        assert client.get("/reports/2025/document").text == REPORT_2025
    finally:
        (folder / "rv2025.md").write_text(REPORT_2025, encoding="utf-8")


@pytest.mark.parametrize("path", ["/reports/1999/document", "/reports/..%2F..%2Fetc%2Fpasswd/document",
                                  "/reports/%2Fetc%2Fpasswd/document"])
def test_unknown_report_and_paths_are_a_404(served, path: str):
    client, _, _ = served
    response = client.get(path)
    assert response.status_code == 404 and b"root:" not in response.content
    if path == "/reports/1999/document":
        assert response.json()["detail"] == "Okänd rapport '1999'. Tillgängliga rapporter: 2025, 2030."


def test_a_version_without_its_file_says_how_to_get_one(served):
    client, engine, _ = served
    kept, _ = source_document(engine.settings.index_dir, engine.retriever.indexes["2030"].manifest)
    moved = kept.with_name("flyttad")
    shutil.move(kept, moved)
    try:
        response = client.get("/reports/2030/document")
        assert response.status_code == 404
        assert "Originalfilen till rapporten '2030' sparades inte" in response.json()["detail"]
        assert "qa ingest testrapport.pdf --report 2030" in response.json()["detail"]
    finally:
        shutil.move(moved, kept)


def test_passages_carry_their_pdf_pages_and_line_boxes(served):
    client, engine, _ = served
    chunk = passage_with(engine, "2030", "utmaningar")
    view = client.get(f"/passages/{chunk.id}").json()["passage"]
    assert view["pdf_pages"] == [2, 3] and view["pages"] == [12, 13]
    assert [box[0] for box in view["boxes"]] == [box[0] for box in chunk.boxes] and len(view["boxes"]) >= 3
    answer = client.post("/ask", json={"question": "Vilka utmaningar har byggts upp?", "report": "2030"}).json()
    assert answer["passages"][0]["boxes"]
    text_view = client.get(f"/passages/{passage_with(engine, '2025', 'nattåg').id}").json()["passage"]
    assert text_view["boxes"] == [] and text_view["pdf_pages"] == []


def test_boxes_of_a_sentence_lie_within_the_passage(served):
    client, engine, _ = served
    chunk = passage_with(engine, "2030", "utmaningar")
    start = chunk.text.index("Det är")
    end = chunk.text.index("tid.", start) + 4
    boxes = client.get(f"/passages/{chunk.id}/boxes", params={"span": f"{start}-{end}"}).json()
    assert [box[0] for box in boxes] == [2, 3]
    for page, x0, top, x1, bottom in boxes:
        assert any(p == page and px0 <= x0 and x1 <= px1 and ptop <= top and bottom <= pbottom
                   for p, px0, ptop, px1, pbottom in chunk.boxes)
    assert client.get(f"/passages/{chunk.id}/boxes", params={"span": "50-10"}).json() == []
    past_end = client.get(f"/passages/{chunk.id}/boxes", params={"span": f"{start}-9999999"}).json()
    assert past_end[0] == boxes[0] and len(past_end) >= len(boxes)
    bad = client.get(f"/passages/{chunk.id}/boxes", params={"span": "mitten"})
    assert bad.status_code == 422 and "span måste vara" in bad.json()["detail"]
    text_chunk = passage_with(engine, "2025", "nattåg")
    assert client.get(f"/passages/{text_chunk.id}/boxes", params={"span": "0-10"}).json() == []
    assert client.get("/passages/2030:9999/boxes", params={"span": "0-10"}).status_code == 404


def test_a_file_changed_while_building_is_refused(tmp_path: Path):
    source = tmp_path / "rv2025.md"
    source.write_text(REPORT_2025, encoding="utf-8")
    doc = load_document(source)
    source.write_text(REPORT_2025 + "\nTillägg.", encoding="utf-8")
    with pytest.raises(IngestError, match="ändrades medan indexet byggdes"):
        read_source(doc)
    now = dataclasses.replace(doc, sha256=hashlib.sha256(source.read_bytes()).hexdigest())
    assert keep_source(now, read_source(now), tmp_path).read_bytes() == source.read_bytes()
