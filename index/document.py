"""The report file each index version was built from, kept beside the indexes.

The viewer shows the original page of a citation, so the very file that was
indexed (the one whose SHA-256 the manifest records) is copied, named by that
checksum, into `<index_dir>/.documents/` and served from there: a report file
edited or moved afterwards never changes what an old version shows, every
store (local or Milvus) finds it through its manifest, and nothing but these
copies is ever served. Replicas share the folder as they share the index.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ingest.errors import IngestError
from ingest.load import is_pdf
from ingest.model import Document

DOCUMENTS = ".documents"  # inside index_dir; a dot folder is never taken for a report
_PDF = "application/pdf"
_TEXT = {".txt": "text/plain", ".md": "text/markdown", ".markdown": "text/markdown"}


def read_source(doc: Document) -> bytes:
    """The document's file as it was read, refusing one changed since (checked before publishing)."""
    source = Path(doc.source_path)
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise IngestError(f"Filen {source.name} ändrades medan indexet byggdes: vänta tills den är färdigsparad "
                          "och kör `qa ingest` igen.")
    return data


def keep_source(doc: Document, data: bytes, index_dir: Path) -> Path:
    """Keep the file's bytes (from `read_source`) beside the indexes, once its version is served:
    a build that fails or is killed before then leaves nothing outside its staging area."""
    source = Path(doc.source_path)
    # the reader went by content too: a text file without a known ending was read as plain text
    suffix = ".pdf" if is_pdf(data) else source.suffix.lower() if source.suffix.lower() in _TEXT else ".txt"
    folder = index_dir / DOCUMENTS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{doc.sha256}{suffix}"
    if not target.is_file():  # written aside and renamed: a reader never sees half a file
        partial = folder / f".{doc.sha256}.{os.getpid()}.partial"
        partial.write_bytes(data)
        partial.replace(target)
    return target


def source_document(index_dir: Path, manifest: dict) -> tuple[Path, str] | None:
    """The kept copy of a version's report file and its content type; None for a version built
    before files were kept (rebuild it to get one)."""
    sha256 = manifest.get("report", {}).get("sha256", "")
    if len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
        return None
    folder = index_dir / DOCUMENTS
    pdf = folder / f"{sha256}.pdf"
    if pdf.is_file():
        return pdf, _PDF
    for suffix, media_type in _TEXT.items():
        path = folder / f"{sha256}{suffix}"
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
