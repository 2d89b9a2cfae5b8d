"""A report's structure as data: its table of contents, or else its heading tree.

Readers' questions such as "on which page does the chapter about skills
start?" are answered by the report's own table of contents, which the body
text does not repeat. The readers (text.py, pdf.py) hand over the TOC lines
they meet; this module levels them into chapters and sections and, for a
report without a TOC, derives the same outline from its heading paths and
the pages where each heading's text begins.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from ingest.clean import Heading, TocLine, normalize_space
from ingest.model import Block, OutlineEntry


def toc_levels(entries: Sequence[tuple[float, str]]) -> dict[str, int]:
    """Chapter (1) or section (2) for each (indent, title) of a table of contents.

    Indented entries are sections. Without indentation the repetition tells:
    every chapter has the same run of section titles ("Omvärldsanalys",
    "Samverkan", ...), while each chapter title is listed once. Keys are
    casefolded titles.
    """
    keyed = [(indent, normalize_space(title).casefold()) for indent, title in entries]
    indents = sorted({round(indent) for indent, _ in keyed})
    if len(indents) > 1:
        return {title: 1 if round(indent) == indents[0] else 2 for indent, title in keyed}
    listed = Counter(title for _, title in keyed)
    return {title: 2 if count > 1 else 1 for title, count in listed.items()}


def toc_outline(items: Sequence[object]) -> tuple[OutlineEntry, ...]:
    """The outline that the table-of-contents lines among a reader's items give.

    An entry's level is that of the heading with its title where the reader
    found one (font size says more than a short TOC's layout), else `toc_levels`.
    """
    lines = [item for item in items if isinstance(item, TocLine) and item.title]
    guessed = toc_levels([(line.indent, line.title) for line in lines])
    headings = {normalize_space(item.text).casefold(): item.level for item in items if isinstance(item, Heading)}
    entries = []
    for line in lines:
        title = normalize_space(line.title)
        entries.append(OutlineEntry(title, headings.get(title.casefold(), guessed[title.casefold()]), line.page))
    return tuple(entries)


def heading_outline(blocks: Iterable[Block]) -> tuple[OutlineEntry, ...]:
    """The heading tree, each heading with the first page its text is on.

    For reports without a table of contents: the outline is then what the
    reader found, pages as the blocks know them (None for text without pages).
    """
    return tuple(_heading_tree(blocks).values())


def _heading_tree(blocks: Iterable[Block]) -> dict[tuple[str, ...], OutlineEntry]:
    tree: dict[tuple[str, ...], OutlineEntry] = {}
    for block in blocks:
        for depth in range(1, len(block.section) + 1):
            path = block.section[:depth]
            if path not in tree:
                tree[path] = OutlineEntry(path[-1], depth, block.pages[0] if block.pages else None)
    return tree


def chapters(outline: Sequence[OutlineEntry]) -> list[tuple[OutlineEntry, list[OutlineEntry]]]:
    """Each chapter of the outline with the entries under it (entries before the first chapter go)."""
    grouped: list[tuple[OutlineEntry, list[OutlineEntry]]] = []
    for entry in outline:
        if entry.level == 1:
            grouped.append((entry, []))
        elif grouped:
            grouped[-1][1].append(entry)
    return grouped


TOC_TITLE = "Innehållsförteckning"


def outline_passages(
    outline: Sequence[OutlineEntry], blocks: Sequence[Block]
) -> list[tuple[str, tuple[int, ...], tuple[str, ...]]]:
    """One passage per chapter of the outline: (text, pages, section path).

    It names the chapter and the page where its heading really stands (the
    printed TOC of a report can be out of date: the bundled one says 77 for
    a chapter that starts on page 96), then lists the TOC lines as printed,
    "title … page", so that "where in the report is X" finds the chapter.
    The excerpt starts one line early, with the entry printed above the
    chapter's (where the chapter before it ends), as a reader sees the TOC.
    A chapter without any page (text without page numbers) gets no passage.
    """
    found = {
        tuple(title.casefold() for title in path): entry.page
        for path, entry in _heading_tree(blocks).items()
        if entry.page is not None
    }
    passages = []
    grouped = chapters(outline)
    for number, (chapter, entries) in enumerate(grouped):
        start = found.get((chapter.title.casefold(),), chapter.page)
        if start is None:  # text without pages: the body passages already carry the headings
            continue
        lead = f"Kapitlet «{chapter.title}» börjar på s. {start}."
        sections = [
            f"{entry.title} s. {page}"
            for entry in entries
            if (page := found.get((chapter.title.casefold(), entry.title.casefold()))) is not None
        ]
        moved = any(found.get((chapter.title.casefold(), e.title.casefold()), e.page) != e.page for e in entries)
        lines = [lead]
        if sections and (moved or start != chapter.page):
            lines.append("Avsnitt: " + ", ".join(sections) + ".")
        lines.append(f"{TOC_TITLE}:")
        above = [(grouped[number - 1][1] or [grouped[number - 1][0]])[-1]] if number else []
        lines += [_toc_line(entry) for entry in (*above, chapter, *entries)]
        passages.append(("\n".join(lines), (start,), (TOC_TITLE, chapter.title)))
    return passages


def _toc_line(entry: OutlineEntry) -> str:
    return f"{entry.title} … {entry.page}" if entry.page is not None else entry.title
