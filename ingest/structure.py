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
    """One passage per chapter and per section of the outline: (text, pages, section path).

    Each names its part and the page where its heading really stands (the
    printed TOC of a report can be out of date: the bundled one says 77 for a
    chapter that starts on page 96), then the subheadings the body prints under
    it, then quotes the TOC lines around it as printed, "title … page", down to the line after its
    last section, where the next part starts. The
    subheadings say what a part is about in the report's own words: a chapter
    titled "En nära tillgänglig region" is found for "bussar" only through
    "Kollektivtrafik" under it; a section titled "Samverkan" is one of seven
    alike until its subheadings tell them apart. A chapter's passage names its
    areas (`chapter_areas`), a section's passage its own subheadings and its chapter's areas.
    A part without any page (text without page numbers) gets no passage.
    """
    tree = _heading_tree(blocks)
    found = {tuple(title.casefold() for title in path): entry.page
             for path, entry in tree.items() if entry.page is not None}
    below = _subheadings(tree)
    areas = chapter_areas(outline, blocks)
    position = {id(entry): number for number, entry in enumerate(outline)}
    passages = []
    for chapter, entries in chapters(outline):
        key = (chapter.title.casefold(),)
        start = found.get(key, chapter.page)
        if start is None:  # text without pages: the body passages already carry the headings
            continue
        lines = [f"Kapitlet «{chapter.title}» börjar på {_pages(start, chapter.page)}."]
        chapter_about = areas.get(title_key(chapter.title), [])
        if chapter_about:
            lines.append("Kapitlet tar upp: " + ", ".join(chapter_about) + ".")
        sections = [f"{entry.title} s. {page}" for entry in entries
                    if (page := found.get((*key, entry.title.casefold()))) is not None]
        moved = any(found.get((*key, e.title.casefold()), e.page) != e.page for e in entries)
        if sections and (moved or start != chapter.page):
            lines.append("Avsnitt: " + ", ".join(sections) + ".")
        # The TOC lines as printed around it: the one above, its own, its sections', and the next one,
        # where the chapter ends ("which pages does the overview cover?").
        first = position[id(chapter)]
        quoted = outline[max(first - 1, 0): first + len(entries) + 2]
        lines += [f"{TOC_TITLE}:", *map(_toc_line, quoted)]
        passages.append(("\n".join(lines), (start,), (TOC_TITLE, chapter.title)))
        for entry in entries:
            if entry.level == 2 and (passage := _section_passage(outline, position[id(entry)], position[id(chapter)],
                                                                 chapter_about, found, below)):
                passages.append(passage)
    return passages


def chapter_areas(outline: Sequence[OutlineEntry], blocks: Sequence[Block]) -> dict[str, list[str]]:
    """The areas of each chapter, by `title_key` of its title: the subheadings that recur across
    its sections ("Kollektivtrafik" under both "Samverkan" and "Agenda 2030" of the chapter "En nära
    tillgänglig region"). What the chapter is about in the report's own words, where its title
    says it only in a figure of speech; contact lists name chapters too (ingest/chunk.py)."""
    below = _subheadings(_heading_tree(blocks))
    areas = {}
    for chapter, entries in chapters(outline):
        key = chapter.title.casefold()
        counts = Counter(title for entry in entries
                         for title in dict.fromkeys(below.get((key, entry.title.casefold()), [])))
        if recurring := [title for title, count in counts.items() if count > 1]:
            areas[title_key(chapter.title)] = recurring
    return areas


def area_headings(
    outline: Sequence[OutlineEntry], blocks: Sequence[Block], areas: dict[str, list[str]],
) -> dict[str, list[tuple[str | None, str]]]:
    """Every subheading of each chapter's sections in reading order, with the area it stands under,
    by `title_key` of the chapter's title.

    The body prints an area heading ("Kollektivtrafik") at the same depth as the topics that follow
    it ("Påverkansarbete nattrafik och samverkansavtal"), so a topic's area is the last area heading
    above it in its section (None before the first). A contact entry names its areas (ingest/chunk.py):
    this says which topics each area holds, the lesser things a person answers for. `areas`:
    `chapter_areas` of the same report."""
    below = _subheadings(_heading_tree(blocks))
    found: dict[str, list[tuple[str | None, str]]] = {}
    for chapter, entries in chapters(outline):
        recurring = set(areas.get(title_key(chapter.title), []))
        headings = found.setdefault(title_key(chapter.title), [])
        for entry in entries:
            area = None
            for title in below.get((chapter.title.casefold(), entry.title.casefold()), []):
                if title in recurring:
                    area = title
                else:
                    headings.append((area, title))
    return found


def title_key(title: str) -> str:
    """A heading compared on letters and digits only: a contact list prints "RUS 2020-2030" where
    the TOC has "RUS 2020–2030"."""
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def _subheadings(tree: dict[tuple[str, ...], OutlineEntry]) -> dict[tuple[str, ...], list[str]]:
    """The headings directly under each (casefolded) heading path, in reading order."""
    below: dict[tuple[str, ...], list[str]] = {}
    for path in tree:
        below.setdefault(tuple(title.casefold() for title in path[:-1]), []).append(path[-1])
    return below


def _section_passage(
    outline: Sequence[OutlineEntry], at: int, chapter_at: int, chapter_about: Sequence[str],
    found: dict[tuple[str, ...], int], below: dict[tuple[str, ...], list[str]],
) -> tuple[str, tuple[int, ...], tuple[str, ...]] | None:
    """A section's passage: its chapter and what that is about, its real and printed page, its
    subheadings, and the TOC lines that place it: its chapter's line (with the one above it, as
    the chapter's own passage quotes it) and the lines above and below its own. A question about
    a chapter finds its sections' passages as readily as the chapter's, so each says where the
    chapter starts too."""
    entry, chapter = outline[at], outline[chapter_at]
    key = (chapter.title.casefold(), entry.title.casefold())
    start = found.get(key, entry.page)
    if start is None:
        return None
    about = f" (om {', '.join(chapter_about)})" if chapter_about else ""
    where = _pages(start, entry.page)
    lines = [f"Avsnittet «{entry.title}» i kapitlet «{chapter.title}»{about} börjar på {where}."]
    if topics := list(dict.fromkeys(below.get(key, []))):
        lines.append("Avsnittet tar upp: " + ", ".join(topics) + ".")
    quoted = sorted({i for i in (chapter_at - 1, chapter_at, at - 1, at, at + 1) if 0 <= i < len(outline)})
    lines += [f"{TOC_TITLE}:", *(_toc_line(outline[i]) for i in quoted)]
    return "\n".join(lines), (start,), (TOC_TITLE, chapter.title, entry.title)


def _pages(real: int, printed: int | None) -> str:
    """Where a part starts: the real page, and the TOC's page where that differs."""
    return f"s. {real}" if printed in (None, real) else f"s. {real} (s. {printed} enligt innehållsförteckningen)"


def _toc_line(entry: OutlineEntry) -> str:
    return f"{entry.title} … {entry.page}" if entry.page is not None else entry.title
