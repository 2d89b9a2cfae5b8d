"""Shared fixtures: the real embedding model (converted once per machine) and
the real report, built once per test session.

The model folder lives where the product keeps it (var/models), so the test
suite and `qa serve` share one conversion; indexes built by tests go to
temporary directories and never touch the served ones.
"""
from __future__ import annotations

import pytest

from index.embedder import Embedder
from qa.engine import Engine, load_embedder
from qa.settings import REPO_ROOT, Settings

REPORT_PDF = REPO_ROOT / "data" / "resultat-vasterbotten-2024.pdf"
REPORT_TXT = REPO_ROOT / "data" / "resultat-vasterbotten-2024.txt"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return load_embedder(Settings())


@pytest.fixture(scope="session")
def report_engine(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Engine:
    """The bundled PDF report, built once per test session with the default settings."""
    engine = Engine(Settings(index_dir=tmp_path_factory.mktemp("index")), embedder=embedder)
    engine.ingest(REPORT_PDF)
    return engine
