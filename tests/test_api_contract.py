"""The HTTP API keeps its OpenAPI contract: schemathesis, with every check and
positive and negative examples, against the real app (real model, a small
real index, batched question embedding) served by uvicorn on loopback.

Every status code a route can return must be documented with its real body
schema ({"detail": str} for errors), and what the schema allows must be accepted."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from eval.server import free_port
from index.embedder import Embedder
from qa.api import create_app
from qa.engine import Engine, batched
from qa.settings import Settings
from tests.sample_reports import REPORT_2025

TOKEN = "hemlig"  # schemathesis sends it, and checks that a request without it is refused
EXAMPLES = 40  # per operation in the fuzzing phase


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("contract")
    source = folder / "rv2025.md"
    source.write_text(REPORT_2025, encoding="utf-8")
    settings = Settings(index_dir=folder / "index", admin_token=TOKEN, reload_interval_s=0)
    engine = Engine(settings, embedder=batched(embedder, settings))
    engine.ingest(source)
    served = uvicorn.Server(uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=free_port(),
                                           log_level="warning"))
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{served.config.port}"
    served.should_exit = True
    thread.join(timeout=10)


def test_schemathesis_with_every_check_runs_clean(server: str):
    """Schemathesis' own runner: every phase (examples, coverage of the limits, fuzzing, stateful),
    positive and negative data, all checks."""
    command = [sys.executable, "-m", "schemathesis.cli", "run", server + "/openapi.json", "--checks", "all",
               "--mode", "all", "--max-examples", str(EXAMPLES), "--seed", "11", "--no-color",
               "--header", f"Authorization: Bearer {TOKEN}"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


def test_the_contract_documents_every_error_with_its_body(server: str):
    import httpx

    document = httpx.get(server + "/openapi.json").json()
    ask = document["paths"]["/ask"]["post"]["responses"]
    assert set(ask) == {"200", "400", "404", "422", "503"}
    for status in ("400", "404", "422", "503"):
        assert ask[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert set(document["paths"]["/admin/reload"]["post"]["responses"]) >= {"401", "403"}
    assert document["components"]["schemas"]["ErrorBody"]["properties"]["detail"]["type"] == "string"
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_malformed_json_gets_a_swedish_400(server: str):
    import httpx

    reply = httpx.post(server + "/ask", content=b"{inte json", headers={"Content-Type": "application/json"})
    assert reply.status_code == 400
    assert "inte giltig JSON" in reply.json()["detail"]
    reply = httpx.delete(server + "/ask")
    assert reply.status_code == 405 and "Metoden stöds inte" in reply.json()["detail"]
    assert reply.headers["allow"] == "GET, POST"
