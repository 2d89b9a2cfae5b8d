"""The data that flows from ingest to index: a parsed document and its chunks.

Plain frozen dataclasses so that every stage can be tested on its own and the
chunk store can be written as JSON lines without a schema library.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Block:
    """One paragraph (or list item) of body text, in reading order.

    A block knows where it sits in the report: the pages it spans (printed
    page numbers; empty when the source has no pages) and the heading path
    above it, e.g. ("Västerbotten – En nära tillgänglig region", "Samverkan").
    """

    text: str
    pages: tuple[int, ...]
    section: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A whole report after cleaning: metadata plus its body text as blocks."""

    report_id: str
    title: str
    source_path: str
    sha256: str
    page_count: int
    blocks: tuple[Block, ...]
    headings: tuple[tuple[str, ...], ...] = field(default=())


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: what the index embeds and what a citation points at."""

    id: str
    report: str
    text: str
    pages: tuple[int, ...]
    section: tuple[str, ...]
    n_tokens: int

    @property
    def page(self) -> int | None:
        """The page a reader should open first."""
        return self.pages[0] if self.pages else None
