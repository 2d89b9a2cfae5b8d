"""A report's own list of its headings: the PDF outline, else its table of contents.

The list is the best evidence there is for which lines are headings and at
what level, better than font sizes: a bookmark or a TOC line names a heading
the author made. Titles are compared on letters and digits only, so
`6.13 TRAFIK`, `6.13   TRAFIK` and `6.13 Trafik` are one heading.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ingest.clean import normalize_space
from ingest.model import OutlineEntry

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\S")
_INDENT_TOLERANCE = 3.0  # points: TOC entries this close in x are one level
_MAX_LEVEL = 3
_BROKEN = (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError)


def title_key(title: str) -> str:
    """What two spellings of one heading have in common."""
    return "".join(c for c in title.casefold() if c.isalnum())


def numbering_depth(title: str) -> int | None:
    """1 for `6 PLAN`, 2 for `6.13 TRAFIK`, …; None when the title is not numbered."""
    match = _NUMBERED.match(title)
    return match[1].count(".") + 1 if match else None


def pdf_outline(reader: PdfReader, printed: Callable[[int], int | None]) -> list[OutlineEntry]:
    """The PDF's bookmarks, each with the page number printed where it points."""
    entries: list[OutlineEntry] = []

    def walk(items: Sequence, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            title = normalize_space(str(item.title or ""))
            if not title:
                continue
            try:
                index = reader.get_destination_page_number(item)
            except _BROKEN:  # a broken bookmark only loses its page
                index = None
            page = printed(index + 1) if index is not None and index >= 0 else None
            entries.append(OutlineEntry(title, min(level, _MAX_LEVEL), page))

    walk(reader.outline, 1)
    return entries


def toc_outline(entries: Sequence[tuple[str, int, float]]) -> list[OutlineEntry]:
    """The table of contents' (title, printed page, indent) lines as outline entries.

    Numbered titles say their level (`2.2.1` is 3); others are ranked by
    how far they are indented.
    """
    indents: list[float] = []
    for _, _, x in sorted(entries, key=lambda entry: entry[2]):
        if not indents or x - indents[-1] > _INDENT_TOLERANCE:
            indents.append(x)

    def level(title: str, x: float) -> int:
        depth = numbering_depth(title)
        if depth:
            return min(depth, _MAX_LEVEL)
        rank = max(k for k, indent in enumerate(indents) if x >= indent - _INDENT_TOLERANCE)
        return min(rank + 1, _MAX_LEVEL)

    return [OutlineEntry(normalize_space(title), level(title, x), page) for title, page, x in entries]
