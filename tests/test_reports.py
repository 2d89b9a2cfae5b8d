"""Several reports, new versions, and rebuilds that must never hurt what is served."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from eval.server import running_server
from index.embedder import Embedder
from index.store import IndexMismatch
from index.stores.local import load_index
from qa.engine import Engine
from qa.settings import REPO_ROOT, Settings
from tests.ingest_pdf_factory import body, make_pdf, sample_report
from tests.sample_reports import FJÄLLRAPPORT, REPORT_2025


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file under the index root with its size and modification time."""
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


def cli(index_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args], cwd=REPO_ROOT, capture_output=True, text=True,
        env={**os.environ, "QA_INDEX_DIR": str(index_dir), **env}, timeout=300,
    )


@pytest.fixture
def engine(tmp_path: Path, embedder: Embedder) -> Engine:
    return Engine(Settings(index_dir=tmp_path / "index"), embedder=embedder)


def test_second_report_is_served_beside_the_first(engine: Engine, tmp_path: Path):
    first = engine.ingest(write(tmp_path, "rv2025.md", REPORT_2025))
    second = engine.ingest(write(tmp_path, "fjall.md", FJÄLLRAPPORT))
    assert (first.report, first.title) == ("2025", "Resultat Västerbotten 2025")
    assert (second.report, second.title) == ("2023", "Fjällrapporten 2023")
    assert engine.catalog.reports() == ["2023", "2025"]
    assert sorted(engine.retriever.indexes) == ["2023", "2025"]

    both = engine.ask("Hur går det för renskötseln när vintrarna blir mildare?", k=3)
    assert both.passages[0].report == "2023"
    assert both.passages[0].citation.startswith("Fjällrapporten 2023 – Fjällrapporten 2023 › Renskötsel")
    only = engine.ask("Hur går det för renskötseln när vintrarna blir mildare?", k=3, report="2025")
    assert {p.report for p in only.passages} == {"2025"}

    manifest = engine.retriever.indexes["2025"].manifest
    assert manifest["report"]["sha256"] == hashlib.sha256((tmp_path / "rv2025.md").read_bytes()).hexdigest()
    assert manifest["counts"]["chunks"] == first.chunks and manifest["built_at"]
    assert manifest["build"]["model"] == "intfloat/multilingual-e5-small"


def test_id_and_title_come_from_the_pdf_when_not_given(engine: Engine, tmp_path: Path):
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(make_pdf(sample_report(), title="Resultat Västerbotten 2026"))
    result = engine.ingest(pdf)
    assert (result.report, result.title) == ("2026", "Resultat Västerbotten 2026")
    given = engine.ingest(pdf, report_id="extra", title="Egen titel")
    assert (given.report, given.title) == ("extra", "Egen titel")


def test_same_file_is_a_no_op_and_a_changed_file_a_new_version(engine: Engine, tmp_path: Path):
    source = write(tmp_path, "rv2025.md", REPORT_2025)
    first = engine.ingest(source)
    again = engine.ingest(source)
    assert not again.built and again.version == first.version
    assert engine.catalog.versions("2025") == [first.version]

    write(tmp_path, "rv2025.md", REPORT_2025.replace("283 500", "284 100"))
    changed = engine.ingest(source)
    assert changed.built and changed.version != first.version
    assert engine.catalog.current("2025").name == changed.version
    assert engine.catalog.versions("2025") == [first.version, changed.version]
    assert "284 100" in engine.ask("Hur många bor i Västerbotten 2025?", k=1).passages[0].text

    assert cli(engine.settings.index_dir, "prune", "--keep", "0").returncode == 2
    pruned = cli(engine.settings.index_dir, "prune", "--keep", "1")
    assert pruned.returncode == 0 and first.version in pruned.stdout
    assert engine.catalog.versions("2025") == [changed.version]


def test_changed_chunk_settings_rebuild_with_a_message_and_old_vectors_are_refused(engine: Engine, tmp_path: Path):
    source = write(tmp_path, "rv2025.md", REPORT_2025)
    engine.ingest(source)
    assert "2025" in engine.retriever.indexes  # a service is running on the old version
    rebuilt = cli(engine.settings.index_dir, "ingest", str(source), QA_CHUNK_TOKENS="120", QA_CHUNK_OVERLAP="20")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Inställningarna har ändrats" in rebuilt.stdout and "chunk_tokens" in rebuilt.stdout
    with pytest.raises(IndexMismatch, match="andra inställningar"):
        load_index(engine.catalog.current("2025"), engine.build_settings)
    engine.retriever.reload()  # the running engine keeps the version it could load
    assert "2025" in engine.retriever.indexes and "2025" in engine.retriever.load_errors


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("trasig.pdf", make_pdf(sample_report())[:900], "skadad"),
        ("krypterad.pdf", make_pdf(sample_report(), password="hemligt"), "krypterad"),
        ("inskannad.pdf", make_pdf([[], []]), "ingen text"),
        ("tom.pdf", b"", "är tom"),
        ("inte.pdf", b"PK\x03\x04 zip archive", "ingen PDF-fil"),
        ("rubriklos.pdf", make_pdf([body(700, "Bara brödtext.")] * 3), "Inga rubriker"),
    ],
)
def test_bad_input_is_refused_and_the_served_index_untouched(
    engine: Engine, tmp_path: Path, name: str, data: bytes, words: str
):
    engine.ingest(write(tmp_path, "rv2025.md", REPORT_2025))
    before = snapshot(engine.settings.index_dir)
    bad = tmp_path / name
    bad.write_bytes(data)
    result = cli(engine.settings.index_dir, "ingest", str(bad), "--report", "2025")
    assert result.returncode == 2
    message = result.stderr.strip().splitlines()[-1]  # after any progress bar
    assert message.startswith("Fel: ") and words in message
    assert snapshot(engine.settings.index_dir) == before


def test_killed_build_leaves_the_served_index_and_the_next_build_works(engine: Engine, tmp_path: Path):
    engine.ingest(write(tmp_path, "rv2025.md", REPORT_2025))
    index_dir = engine.settings.index_dir
    before = snapshot(index_dir)
    # The bundled 131-page report takes long enough to embed to be killed mid-way.
    build = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "ingest", str(REPO_ROOT / "data" / "resultat-vasterbotten-2024.pdf"),
         "--report", "2025"],
        cwd=REPO_ROOT, env={**os.environ, "QA_INDEX_DIR": str(index_dir)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not list((index_dir / "2025").glob(".staging-*")):
        assert build.poll() is None and time.monotonic() < deadline
        time.sleep(0.2)
    time.sleep(1)
    build.send_signal(signal.SIGKILL)
    build.wait()
    staged = list((index_dir / "2025").glob(".staging-*"))
    assert staged
    assert {k: v for k, v in snapshot(index_dir).items() if ".staging-" not in k} == before
    assert engine.retriever.reload() == [] and "283 500" in engine.ask("Hur många invånare?", k=1).passages[0].text

    write(tmp_path, "rv2025.md", REPORT_2025.replace("nattåg", "dagtåg"))
    assert engine.ingest(tmp_path / "rv2025.md").built
    assert not any(path.exists() for path in staged)


def post(url: str, path: str, body: dict | None = None, token: str | None = None) -> int:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    request = urllib.request.Request(url + path, json.dumps(body or {}).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_new_version_is_swapped_in_without_failing_a_request(engine: Engine, tmp_path: Path):
    source = write(tmp_path, "rv2025.md", REPORT_2025)
    engine.ingest(source)
    statuses: list[int] = []
    texts: list[tuple[float, str]] = []  # (when the request was sent, the first passage's text)
    stop = threading.Event()

    def ask_repeatedly(url: str) -> None:
        body = json.dumps({"question": "Hur många invånare har Västerbotten 2025?", "k": 1}).encode()
        # bounded by time, not by a count of requests: a cached question is answered in ~3 ms, and
        # 3,000 of them once ran out before the rebuild below was served on a machine busy with other
        # work; `stop` ends it as soon as the new version has been asked
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if stop.is_set():
                return
            request = urllib.request.Request(url + "/ask", body, {"Content-Type": "application/json"})
            sent = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
                    texts.append((sent, json.load(response)["passages"][0]["text"]))
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

    with running_server(engine.settings.index_dir, QA_ADMIN_TOKEN="hemlig", QA_RELOAD_INTERVAL_S="0") as url:
        assert post(url, "/admin/reload") == 401
        assert post(url, "/admin/reload", token="fel") == 401
        assert post(url, "/admin/reload", token="fél") == 401  # not ASCII: still a clean 401
        threads = [threading.Thread(target=ask_repeatedly, args=(url,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(1)
        write(tmp_path, "rv2025.md", REPORT_2025.replace("283 500", "290 000"))
        engine.ingest(source)
        assert post(url, "/admin/reload", token="hemlig") == 200
        swapped = time.monotonic()
        time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join()
    assert statuses and set(statuses) == {200}
    # A request sent before the swap may finish after it on a busy machine: only those sent after count.
    after = [text for sent, text in texts if sent > swapped]
    assert "283 500" in texts[0][1] and after and all("290 000" in text for text in after)


def test_admin_routes_are_off_without_a_configured_token(tmp_path: Path):
    with running_server(tmp_path / "empty") as url:
        assert post(url, "/admin/reload", token="något") == 403
