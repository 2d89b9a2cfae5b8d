"""Turn a report (PDF, plain text or Markdown) into clean, heading-aware chunks."""
from ingest.chunk import chunk_document
from ingest.errors import IngestError
from ingest.load import ingest_file, load_document
from ingest.model import Block, Chunk, Document

__all__ = ["Block", "Chunk", "Document", "IngestError", "chunk_document", "ingest_file", "load_document"]
