"""New yearly reports, continued from test_reports.py: what `qa serve` builds at start,
how a rebuild for changed settings is announced, what the service says about an index it
cannot load, builds of one report that overlap, and bad files refused before the model loads.
"""
from __future__ import annotations

import argparse
import json
import shutil
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest

from eval.server import running_server
from index import build
from index.embedder import Embedder
from ingest import IngestError
from qa import cli
from qa.engine import Engine
from qa.settings import Settings
from tests.ingest_pdf_factory import body, make_pdf, sample_report
from tests.sample_reports import FJÄLLRAPPORT, REPORT_2025


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def engine_for(index_dir: Path, embedder: Embedder | None, **settings: object) -> Engine:
    """A fresh engine, as a new process would make it (embedder None: the model is never loaded)."""
    return Engine(Settings(index_dir=index_dir, **settings), embedder=embedder)


def get(url: str, path: str) -> tuple[int, object]:
    try:
        with urllib.request.urlopen(url + path, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait_for(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_rebuild_for_changed_settings_is_announced_before_it_starts(
    tmp_path: Path, embedder: Embedder, capsys: pytest.CaptureFixture
):
    source = write(tmp_path, "rv2025.md", REPORT_2025)
    engine_for(tmp_path / "index", embedder).ingest(source)
    wider = engine_for(tmp_path / "index", embedder, chunk_tokens=120, chunk_overlap=20)
    args = argparse.Namespace(path=source, report=None, title=None)
    assert cli.cmd_ingest(wider, args) == 0
    out = capsys.readouterr().out
    assert ("Inställningarna har ändrats sedan förra bygget "
            "(chunk_tokens: 300 → 120; chunk_overlap: 60 → 20): bygger om.") in out
    assert out.index("bygger om") < out.index("Klar:")
    assert wider.catalog.current("2025") == wider.catalog.root / "2025" / wider.catalog.versions("2025")[-1]

    assert cli.cmd_ingest(wider, args) == 0  # now up to date with these settings: nothing to say or do
    assert "Oförändrad" in capsys.readouterr().out and len(wider.catalog.versions("2025")) == 2


def test_same_file_read_into_other_passages_is_rebuilt(
    tmp_path: Path, embedder: Embedder, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
):
    """A newer ingest that cuts or cleans the same file differently must not leave the old passages served."""
    source = write(tmp_path, "rv2025.md", REPORT_2025)
    engine = engine_for(tmp_path / "index", embedder)
    engine.ingest(source)
    args = argparse.Namespace(path=source, report=None, title=None)
    assert cli.cmd_ingest(engine, args) == 0 and "Oförändrad" in capsys.readouterr().out

    chunk = build.chunk_document
    monkeypatch.setattr(build, "chunk_document",
                        lambda *a: [replace(c, text=c.text.replace("Västerbotten", "Västerbottens län")) for c in chunk(*a)])
    assert cli.cmd_ingest(engine, args) == 0
    out = capsys.readouterr().out
    assert "läser filen till andra avsnitt: bygger om." in out and "Klar:" in out
    assert len(engine.catalog.versions("2025")) == 2
    assert "Västerbottens län" in (engine.catalog.current("2025") / "chunks.jsonl").read_text(encoding="utf-8")


def test_an_index_of_an_older_format_is_rebuilt_not_left_unservable(
    tmp_path: Path, embedder: Embedder, capsys: pytest.CaptureFixture
):
    """The same file with the same settings is a no-op only while the served index has this format:
    loading refuses an older one, so `qa ingest` must not call it unchanged."""
    source = write(tmp_path, "rv2025.md", REPORT_2025)
    engine = engine_for(tmp_path / "index", embedder)
    engine.ingest(source)
    manifest_path = engine.catalog.current("2025") / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**manifest, "format": manifest["format"] - 1}), encoding="utf-8")
    assert cli.cmd_ingest(engine, argparse.Namespace(path=source, report=None, title=None)) == 0
    out = capsys.readouterr().out
    assert f"(format: {manifest['format'] - 1} → {manifest['format']}): bygger om." in out and "Klar:" in out
    assert len(engine.catalog.versions("2025")) == 2


def serve_without_serving(engine: Engine, monkeypatch: pytest.MonkeyPatch, no_build: bool = False) -> None:
    """Everything `qa serve` does before it starts listening."""
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: None)
    args = argparse.Namespace(no_build=no_build, host=None, port=None)
    assert cli.cmd_serve(engine, args) == 0


def test_serve_builds_the_default_report_only_when_missing_or_unloadable(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    index = tmp_path / "index"
    default = write(tmp_path, "rv2025.md", REPORT_2025)
    start = lambda **settings: engine_for(index, embedder, default_source=default, **settings)  # noqa: E731

    serve_without_serving(start(), monkeypatch, no_build=True)
    assert start().catalog.reports() == []

    serve_without_serving(start(), monkeypatch)  # missing: built
    first = start().catalog.versions("2025")
    assert len(first) == 1

    serve_without_serving(start(), monkeypatch)  # up to date: nothing
    assert start().catalog.versions("2025") == first

    # Started with other chunk settings, the served version cannot be loaded: rebuilt with a message.
    capsys.readouterr()
    restarted = start(chunk_tokens=120, chunk_overlap=20)
    serve_without_serving(restarted, monkeypatch)
    assert "chunk_tokens: 300 → 120" in capsys.readouterr().out
    assert len(restarted.catalog.versions("2025")) == 2 and "2025" in restarted.retriever.indexes
    assert restarted.retriever.load_errors == {}

    # An operator ingests a corrected 2025 report from another file: restarts never replace it
    # with the bundled one, not even when it must be rebuilt for other settings (they are told how).
    corrected = write(tmp_path, "rv2025-rättad.md", REPORT_2025.replace("283 500", "283 900"))
    start(chunk_tokens=120, chunk_overlap=20).ingest(corrected)
    served = start().catalog.current("2025")
    serve_without_serving(start(chunk_tokens=120, chunk_overlap=20), monkeypatch)
    assert start().catalog.current("2025") == served
    capsys.readouterr()
    serve_without_serving(start(), monkeypatch)
    assert start().catalog.current("2025") == served
    assert "Varning: " in (err := capsys.readouterr().err) and "qa ingest rv2025-rättad.md --report 2025" in err


def test_service_says_why_an_index_cannot_be_used_and_picks_up_the_rebuild(tmp_path: Path, embedder: Embedder):
    index = tmp_path / "index"
    rv2025 = write(tmp_path, "rv2025.md", REPORT_2025)
    engine_for(index, embedder, chunk_tokens=120, chunk_overlap=20).ingest(rv2025)  # not what the service runs

    with running_server(index, QA_RELOAD_INTERVAL_S="0.2") as url:
        status, answer = get(url, "/ask?q=Hur+m%C3%A5nga+inv%C3%A5nare%3F")
        assert status == 503
        assert "andra inställningar" in answer["detail"] and "chunk_tokens: 120 → 300" in answer["detail"]
        assert "qa ingest rv2025.md --report 2025" in answer["detail"]
        status, health = get(url, "/health")
        assert health["status"] == "no_index" and "chunk_tokens: 120 → 300" in health["load_errors"]["2025"]
        assert get(url, "/reports") == (200, [])

        # A second report that does load: served, while the first still says what is wrong.
        engine_for(index, embedder).ingest(write(tmp_path, "fjall.md", FJÄLLRAPPORT))
        wait_for(lambda: get(url, "/health")[1]["reports"] == ["2023"])  # no restart, no /admin/reload
        status, answer = get(url, "/ask?q=Hur+m%C3%A5nga+inv%C3%A5nare%3F")
        assert status == 200 and {p["report"] for p in answer["passages"]} == {"2023"}
        status, answer = get(url, "/ask?q=Hur+m%C3%A5nga+inv%C3%A5nare%3F&report=2025")
        assert status == 503 and "chunk_tokens: 120 → 300" in answer["detail"]

        engine_for(index, embedder).ingest(rv2025)  # rebuilt with the service's settings
        wait_for(lambda: get(url, "/health")[1]["reports"] == ["2023", "2025"])
        status, health = get(url, "/health")
        assert health["status"] == "ok" and "load_errors" not in health
        status, answer = get(url, "/ask?q=Hur+m%C3%A5nga+inv%C3%A5nare+har+V%C3%A4sterbotten%3F&report=2025")
        assert status == 200 and "283 500" in answer["passages"][0]["text"]
        status, reports = get(url, "/reports")
        assert [r["id"] for r in reports] == ["2023", "2025"]
        manifest = reports[1]["manifest"]
        assert manifest["counts"]["chunks"] >= 1 and "pages" in manifest["counts"] and manifest["built_at"]
        assert manifest["build"]["chunk_tokens"] == 300 and len(manifest["report"]["sha256"]) == 64


def test_a_second_build_of_a_report_waits_for_the_first(tmp_path: Path, embedder: Embedder):
    engine = engine_for(tmp_path / "index", embedder)
    source = write(tmp_path, "rv2025.md", REPORT_2025)
    results = []
    with engine.catalog.building("2025"):  # a build of 2025 is running
        second = threading.Thread(target=lambda: results.append(engine.ingest(source)))
        second.start()
        time.sleep(1.0)
        assert second.is_alive() and not list((tmp_path / "index" / "2025").glob(".staging-*"))
    second.join(timeout=60)
    assert results and results[0].built and engine.catalog.current("2025").name == results[0].version


def test_a_current_version_deleted_by_hand_is_rebuilt(tmp_path: Path, embedder: Embedder):
    engine = engine_for(tmp_path / "index", embedder)
    source = write(tmp_path, "rv2025.md", REPORT_2025)
    shutil.rmtree(engine.catalog.current(engine.ingest(source).report))
    again = engine.ingest(source)
    assert again.built and (engine.catalog.current("2025") / "manifest.json").is_file()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trasig.pdf", make_pdf(sample_report())[:900]),
        ("krypterad.pdf", make_pdf(sample_report(), password="hemligt")),
        ("inskannad.pdf", make_pdf([[], []])),
        ("tom.pdf", b""),
        ("inte.pdf", b"PK\x03\x04 zip archive"),
        ("rubriklos.pdf", make_pdf([body(700, "Bara brödtext.")] * 3)),
        ("rubriklos.md", "Bara brödtext utan en enda rubrik.\n\nOch ett stycke till.\n".encode()),
    ],
)
def test_bad_input_is_refused_before_the_model_is_loaded(tmp_path: Path, name: str, data: bytes):
    engine = engine_for(tmp_path / "index", None)
    bad = tmp_path / name
    bad.write_bytes(data)
    with pytest.raises(IngestError):
        engine.ingest(bad, report_id="2025")
    assert engine._embedder is None  # refused in well under a second, not after loading the model
    assert not (tmp_path / "index").exists()
