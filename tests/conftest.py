"""Shared fixtures: the real embedding model, converted once per machine.

The model folder lives where the product keeps it (var/models), so the test
suite and `qa serve` share one conversion; indexes built by tests go to
temporary directories and never touch the served ones.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from index.embedder import Embedder
from qa.settings import REPO_ROOT, Settings

REPORT_PDF = REPO_ROOT / "data" / "resultat-vasterbotten-2024.pdf"
REPORT_TXT = REPO_ROOT / "data" / "resultat-vasterbotten-2024.txt"


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(Settings().model_dir)


def make_settings(index_dir: Path, **overrides: object) -> Settings:
    return Settings(index_dir=index_dir, **overrides)
