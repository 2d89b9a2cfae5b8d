"""What a PDF text layer gives ingest: runs of text placed on their pages.

A run is text on one baseline with no wide gap inside it, in one style: a
line of a paragraph, or one cell of a table row, or a page number beside a
footer. Coordinates are PDF points from the page's top-left corner, the way
a reader looks at the page and the way `Chunk.boxes` stores them.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


# Ends a run whose word the layout hyphenated: it goes on in the next line.
SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class TextRun:
    """A stretch of text on one baseline, in the style of most of its characters."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    baseline: float
    size: float  # printed font size in points
    bold: bool


@dataclass(frozen=True)
class PageText:
    """One page's runs in the order the file draws them."""

    runs: tuple[TextRun, ...]
    width: float
    height: float
    # The page shows an image over most of its area and has no text: a scan.
    scanned: bool = False


class TextLayer(Protocol):
    """Reads a PDF's text layer; opening and errors are the caller's business (pypdf)."""

    def pages(self, data: bytes) -> Iterator[PageText]:
        """Each page's text, in page order."""
        ...
