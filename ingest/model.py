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
    The path holds the headings in force, outermost first: chapter, section,
    subsection; levels not (yet) seen are left out rather than left blank.
    """

    text: str
    pages: tuple[int, ...]
    section: tuple[str, ...]
    # Where each of `pages` begins in `text` (same length as `pages`), so a
    # paragraph rejoined across a page break can still cite the right page
    # for each of its sentences. Empty: the whole text is on every page given.
    page_starts: tuple[int, ...] = ()
    # 1-based PDF page indexes parallel to `pages` (empty for text files).
    pdf_pages: tuple[int, ...] = ()
    # "text" for prose, "table" for a row of a table read as a sentence.
    kind: str = "text"

    def pages_of(self, start: int, end: int) -> tuple[int, ...]:
        """The pages that the text between offsets start and end lies on."""
        return self._on_pages(self.pages, start, end)

    def pdf_pages_of(self, start: int, end: int) -> tuple[int, ...]:
        """The PDF page indexes of the text between offsets start and end."""
        return self._on_pages(self.pdf_pages, start, end)

    def _on_pages(self, values: tuple[int, ...], start: int, end: int) -> tuple[int, ...]:
        if len(self.page_starts) != len(values):
            return values
        ends = self.page_starts[1:] + (len(self.text),)
        return tuple(
            value
            for value, page_start, page_end in zip(values, self.page_starts, ends)
            if page_start < end and start < page_end
        )


@dataclass(frozen=True)
class OutlineEntry:
    """One line of a report's own table of contents or PDF outline.

    Kept as data (not only as heading paths) so that a question about where
    something is in the report can be answered with the chapter and the page
    the report itself prints.
    """

    title: str
    level: int  # 1 = chapter, 2 = section, ...
    page: int | None  # printed start page; None where the report gives none


@dataclass(frozen=True)
class Extracted:
    """What a reader (pdf.py, text.py) found, before load.py adds identity."""

    blocks: tuple[Block, ...]
    page_count: int
    # The title the file itself suggests: PDF metadata, else its first line.
    title: str | None
    outline: tuple[OutlineEntry, ...] = ()
    # PDF page indexes whose printed page number was found (the others are
    # cited by their place in the file), and pages that are images only.
    printed_pages: frozenset[int] = frozenset()
    scanned_pages: tuple[int, ...] = ()


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
    outline: tuple[OutlineEntry, ...] = ()
    printed_pages: frozenset[int] = frozenset()
    # What the owner of the file should know, in Swedish (e.g. scanned pages left out).
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: what the index embeds and what a citation points at."""

    id: str
    report: str
    text: str
    pages: tuple[int, ...]
    section: tuple[str, ...]
    n_tokens: int
    # What the passage is: body "text", a "table" row group, a "contact"
    # entry, or a "toc" (table-of-contents) line; retrieval may weigh them.
    kind: str = "text"
    # 1-based PDF page indexes parallel to `pages` (empty for text files), and
    # whether `pages` are the numbers printed on the pages ("printed") or the
    # PDF page indexes because the document prints none ("index").
    pdf_pages: tuple[int, ...] = ()
    page_source: str = "index"
    # Where the passage stands on its PDF pages, for the viewer: one box per
    # text line, (pdf_page, x0, top, x1, bottom) in PDF points from the
    # page's top-left corner.
    boxes: tuple[tuple[int, float, float, float, float], ...] = ()

    @property
    def page(self) -> int | None:
        """The page a reader should open first."""
        return self.pages[0] if self.pages else None
