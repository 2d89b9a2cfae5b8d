"""The report file an index version was built from, kept inside that version.

The viewer shows the original page of a citation, so the very file that was
indexed (the one whose SHA-256 the manifest records) is copied into the
version directory and served from there: a report file edited or moved
afterwards never changes what an old version shows, and nothing but these
copies is ever served.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.errors import IngestError
from ingest.load import is_pdf
from ingest.model import Document

_STEM = "document"
_PDF = "application/pdf"
_TEXT = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown"}


def keep_source(doc: Document, version_dir: Path) -> Path:
    """Copy the document's file into a version being built, refusing one changed since it was read."""
    source = Path(doc.source_path)
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise IngestError(f"Filen {source.name} ändrades medan indexet byggdes: vänta tills den är färdigsparad "
                          "och kör `qa ingest` igen.")
    # the reader went by content too: a text file without a known ending was read as plain text
    suffix = ".pdf" if is_pdf(data) else source.suffix.lower() if source.suffix.lower() in _TEXT else ".txt"
    target = version_dir / f"{_STEM}{suffix}"
    target.write_bytes(data)
    return target


def source_document(version_dir: Path) -> tuple[Path, str] | None:
    """The version's copy of its report file and its content type; None for a version built
    before files were kept (rebuild it to get one)."""
    pdf = version_dir / f"{_STEM}.pdf"
    if pdf.is_file():
        return pdf, _PDF
    for suffix, media_type in _TEXT.items():
        path = version_dir / f"{_STEM}{suffix}"
        if path.is_file():
            return path, f"{media_type}; charset={_charset(path.read_bytes())}"
    return None


def _charset(data: bytes) -> str:
    """As the reader decoded it (ingest/load.py): UTF-8, else the cp1252 of older Swedish Windows files."""
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "windows-1252"
