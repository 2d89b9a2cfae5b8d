"""Read a plain-text or Markdown report into heading-aware paragraphs.

Text has no fonts, so headings are found from what the text does say:
Markdown `#` marks when there are any; otherwise the table of contents names
the chapters and sections, and a subsection is a short line that is not a
sentence, first in its paragraph. A form feed
starts a new page; text without one has no page numbers at all.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ingest.clean import (
    Heading,
    Para,
    TocLine,
    as_list_item,
    assemble,
    is_caption,
    is_photo_credit,
    join_lines,
    looks_like_heading,
    normalize_space,
    toc_entry,
)
from ingest.errors import IngestError
from ingest.model import Extracted
from ingest.structure import toc_levels, toc_outline

_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.+?)(?:\s+#+)?\s*$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")

_EMPTY = "Textfilen innehåller ingen text: kontrollera att rätt fil valdes."
_NO_HEADINGS = (
    "Inga rubriker hittades i textfilen, så rapporten kan inte delas upp i kapitel: "
    "markera rubrikerna med # och ## (Markdown) eller ta med rapportens innehållsförteckning."
)


@dataclass(frozen=True)
class _Outline:
    """How this file marks its headings."""

    markdown: bool
    toc_levels: dict[str, int]


def read_text(raw: str) -> Extracted:
    """The report's paragraphs with heading paths; page numbers only if it has form feeds."""
    if not raw.strip():
        raise IngestError(_EMPTY)
    pages = raw.replace("\r\n", "\n").split("\f")
    paged = len(pages) > 1
    lines = raw.splitlines()
    markdown = any(_MARKDOWN_HEADING.match(line) for line in lines)
    outline = _Outline(markdown, {} if markdown else _toc_levels(lines))
    items = [
        item
        for number, page in enumerate(pages, start=1)
        for paragraph in _BLANK_LINES.split(page)
        for item in _paragraph_items(paragraph.splitlines(), number if paged else None, outline)
    ]
    blocks = assemble(items)
    if not any(block.section for block in blocks):
        raise IngestError(_NO_HEADINGS)
    first_line = next(line for line in lines if line.strip())
    return Extracted(tuple(blocks), len(pages) if paged else 0, _title(first_line), toc_outline(items))


def _title(line: str) -> str:
    match = _MARKDOWN_HEADING.match(line)
    return normalize_space(match[2] if match else line)


def _toc_levels(lines: Sequence[str]) -> dict[str, int]:
    """Chapter (1) or section (2) for each title in the table of contents."""
    return toc_levels([(len(line) - len(line.lstrip()), entry[0]) for line in lines if (entry := toc_entry(line))])


def _paragraph_items(
    raw_lines: Sequence[str], page: int | None, outline: _Outline
) -> Iterator[Heading | Para | TocLine]:
    """A blank-line separated paragraph as headings, TOC lines and paragraphs.

    Lines of one paragraph run together, except that a list item starts a
    new one. A photo credit goes, with the caption lines after it.
    """
    raw_lines = [line for line in raw_lines if line.strip()]
    if raw_lines and is_photo_credit(raw_lines[0]):
        raw_lines = raw_lines[1:]
        while raw_lines and is_caption(raw_lines[0]):
            raw_lines = raw_lines[1:]
    lines = [normalize_space(line) for line in raw_lines]
    unit: list[str] = []
    for index, (raw, line) in enumerate(zip(raw_lines, lines)):
        toc = toc_entry(raw)
        heading = None if toc else _heading(line, index, outline)
        item = as_list_item(line)
        if unit and (heading or toc or item is not None):
            yield Para(join_lines(unit), page)
            unit = []
        if heading:
            yield Heading(*heading, page)
        elif toc:
            yield TocLine(*toc, indent=len(raw) - len(raw.lstrip()))
        else:
            unit.append(item or line)
    if unit:
        yield Para(join_lines(unit), page)


def _heading(line: str, index: int, outline: _Outline) -> tuple[int, str] | None:
    """(level, title) when the line is a heading.

    Whether a subsection heading has a paragraph under it, rather than the
    rest of its own sentence, is for `assemble` to judge.
    """
    if outline.markdown:
        match = _MARKDOWN_HEADING.match(line)
        return (min(len(match[1]), 3), match[2]) if match else None
    if index > 0:
        return None
    if line.casefold() in outline.toc_levels:
        return outline.toc_levels[line.casefold()], line
    if looks_like_heading(line) and line[:1].isupper() and as_list_item(line) is None:
        return 3, line
    return None
