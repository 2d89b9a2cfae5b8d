"""Turn a report file into a Document: choose the reader, add the identity.

The reader is chosen by what the file is, not what it is called: a PDF
sent as .txt is still read as a PDF, and a file named .pdf that is not one
is refused with a message rather than fed to the PDF parser.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

from ingest.chunk import chunk_document
from ingest.errors import IngestError
from ingest.model import Chunk, Document, Extracted
from ingest.structure import heading_outline
from ingest.pdf import read_pdf
from ingest.text import read_text

_PDF_MAGIC = b"%PDF-"
_MAGIC_WINDOW = 1024  # the PDF header may sit anywhere in the first kilobyte
_TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def load_document(
    path: Path, report_id: str | None = None, title: str | None = None, progress: bool = False
) -> Document:
    """Read and clean a report. Raises IngestError, in Swedish, for bad input."""
    path = Path(path)
    data = _read_bytes(path)
    extracted = _extract(path, data, progress)
    title = title or extracted.title or path.stem
    return Document(
        report_id=report_id or derive_report_id(title, path),
        title=title,
        source_path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=extracted.page_count,
        blocks=extracted.blocks,
        headings=tuple(dict.fromkeys(block.section for block in extracted.blocks if block.section)),
        outline=extracted.outline or heading_outline(extracted.blocks),
        printed_pages=extracted.printed_pages,
        warnings=_warnings(extracted),
    )


def ingest_file(
    path: Path,
    *,
    max_tokens: int,
    overlap: int,
    report_id: str | None = None,
    title: str | None = None,
) -> tuple[Document, list[Chunk]]:
    """Read a report and cut it into chunks in one go (sizes from the caller's settings)."""
    document = load_document(path, report_id, title)
    return document, chunk_document(document, max_tokens, overlap)


def _warnings(extracted: Extracted) -> tuple[str, ...]:
    """What the owner of the file should hear although the file could be read."""
    if not extracted.scanned_pages:
        return ()
    pages = ", ".join(map(str, extracted.scanned_pages))
    return (
        f"Sidorna {pages} (räknat i PDF-filen) är inskannade bilder utan text och kom inte med: "
        "kör textigenkänning (OCR) på filen om de ska gå att söka i.",
    )


def derive_report_id(title: str, path: Path) -> str:
    """The report's year when its title has one (reports come yearly), else the file's name."""
    year = _YEAR.search(title)
    if year:
        return year[0]
    ascii_stem = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_stem.lower()).strip("-") or "rapport"


def is_pdf(data: bytes) -> bool:
    """What the file is, whatever it is called."""
    return _PDF_MAGIC in data[:_MAGIC_WINDOW]


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise IngestError(f"Filen {path.name} finns inte: kontrollera sökvägen och försök igen.")
    if not path.is_file():
        raise IngestError(f"{path.name} är en mapp, inte en fil: ange sökvägen till själva rapportfilen.")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            f"Filen {path.name} gick inte att läsa ({exc.strerror}): kontrollera att du har behörighet till den."
        ) from exc
    if not data.strip():
        raise IngestError(f"Filen {path.name} är tom: välj en fil som innehåller rapporten.")
    return data


def _extract(path: Path, data: bytes, progress: bool) -> Extracted:
    suffix = path.suffix.lower()
    if is_pdf(data):
        return read_pdf(data, progress)
    if suffix == ".pdf":
        raise IngestError(
            f"Filen {path.name} heter .pdf men är ingen PDF-fil: "
            "exportera rapporten till PDF på nytt eller välj rätt fil."
        )
    if suffix not in _TEXT_SUFFIXES:
        raise IngestError(
            f"Filformatet {suffix or 'utan filändelse'} stöds inte: "
            "spara rapporten som PDF, text (.txt) eller Markdown (.md)."
        )
    if b"\x00" in data:
        raise IngestError(f"Filen {path.name} är inte en textfil: spara rapporten som PDF, .txt eller .md.")
    return read_text(_decode(data))


def _decode(data: bytes) -> str:
    """UTF-8 as expected; older Swedish Windows text files are cp1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
