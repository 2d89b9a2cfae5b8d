"""One wording for "nothing to search" and "no such report", in the CLI and the service."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from qa import messages


def retriever(indexes: dict | None = None, load_errors: dict | None = None) -> SimpleNamespace:
    return SimpleNamespace(indexes=indexes or {}, load_errors=load_errors or {})


def test_no_index_names_the_configured_report_to_ingest():
    problem = messages.no_index(retriever(), Path.cwd() / "rapporter" / "2031.pdf")
    assert problem.unusable and "`qa ingest rapporter/2031.pdf`" in problem.message
    elsewhere = messages.no_index(retriever(), Path("/srv/rapport.pdf"))
    assert "`qa ingest /srv/rapport.pdf`" in elsewhere.message


def test_no_index_says_why_an_index_on_disk_cannot_be_used():
    problem = messages.no_index(retriever(load_errors={"2025": "byggt med chunk_tokens: 120 → 300"}), Path("x.pdf"))
    assert problem.unusable and "chunk_tokens: 120 → 300" in problem.message


def test_unknown_report_lists_the_known_ones_and_tells_unusable_from_missing():
    missing = messages.unknown_report(retriever(indexes={"2024": 1, "2023": 1}), "1999")
    assert not missing.unusable and "Okänd rapport '1999'" in missing.message and "2023, 2024" in missing.message
    broken = messages.unknown_report(retriever(load_errors={"2025": "skadad fil"}), "2025")
    assert broken.unusable and "skadad fil" in broken.message
