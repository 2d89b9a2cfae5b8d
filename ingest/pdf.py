"""Read a typeset PDF report into heading-aware paragraphs and table rows.

In a typeset report the structure is in the layout, not in any markup:
headings differ from body text by font size and weight, running headers and
page numbers repeat at the same place on most pages, paragraphs are set apart
by a larger gap than the line spacing, tables stand in aligned columns. None
of the sizes or positions of one particular report are built in; they are
measured on the document itself, so next year's edition reads the same way.

The text layer comes from `ingest.pdftext` (PDFium); pypdf opens the file
(encryption, damage) and reads its outline and metadata.
"""
from __future__ import annotations

import io
import re
import struct
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError
from pypdfium2 import PdfiumError
from tqdm import tqdm

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
from ingest.folio import Folio, choose_folios, find_folio, strip_folio
from ingest.model import Block, Extracted, OutlineEntry
from ingest.outline import numbering_depth, pdf_outline, title_key, toc_outline
from ingest.pdftext import PageText, PdfiumTextLayer, TextLayer, TextRun
from ingest.tables import Table, find_tables

# pypdf reports a malformed file with its own errors and, deeper down, with
# whatever the parser tripped over.
_MALFORMED = (PyPdfError, PdfiumError, ValueError, KeyError, TypeError, IndexError, AttributeError,
              AssertionError, RecursionError, zlib.error, struct.error)
_MARGIN = 0.12  # running headers and footers sit in the outer 12 % of the page
_REPEAT_SHARE = 0.4  # on at least this share of pages a place holds a running line
_MIN_REPEAT_PAGES = 3
# A running place repeats its wording: the report title on every page, the
# chapter name on each page of a chapter. Body text at the same height on
# full pages says something new on each page.
_MAX_DISTINCT_SHARE = 1 / 3
_COLUMN_GAP = 3  # font sizes of blank space that separate two texts on a baseline
_SIZE_TOLERANCE = 0.5  # points: sizes closer than this are the same size
_NOT_BULLETS = frozenset("([{\"'“”‘’«»§%&$€£#+")
_PLACEHOLDER_TITLES = frozenset({"", "untitled", "(unspecified)", "(anonymous)"})
_DASHES = ("-", "–")
_HEADING_NUMBER = re.compile(r"\d{1,2}(?:\.\d{1,2}){0,4}\.?")
_FOOTNOTE = re.compile(r"^\d{1,3}\s*\S")
_TITLE_MAX_LINES = 3

_ENCRYPTED = "Filen är krypterad: ta bort lösenordsskyddet och försök igen."
_CORRUPT = "PDF-filen är skadad eller ofullständig och går inte att läsa: exportera eller ladda ner den på nytt."
_NO_TEXT = ("PDF-filen innehåller ingen text, bara bilder (till exempel en inskannad rapport): "
            "kör textigenkänning (OCR) på den eller använd en version med text.")
_NO_HEADINGS = ("Inga rubriker hittades i PDF-filen, så rapporten kan inte delas upp i kapitel: "
                "använd en version där rubrikerna är satta i större eller fet stil.")


@dataclass
class _Line:
    """One printed line: the runs on one baseline, in the style of most of its characters."""

    text: str
    x0: float
    x1: float
    baseline: float
    size: float = 0.0
    bold: bool = False
    runs: list[int] = field(default_factory=list)
    chars_by_style: Counter[tuple[float, bool]] = field(default_factory=Counter)

    @classmethod
    def of(cls, run: TextRun, index: int) -> _Line:
        line = cls("", run.x0, run.x1, run.baseline)
        line.add(run, index)
        return line

    def add(self, run: TextRun, index: int) -> None:
        self.text = f"{self.text} {run.text}" if self.text else run.text
        self.x1 = max(self.x1, run.x1)
        self.runs.append(index)
        self.chars_by_style[run.size, run.bold] += len(run.text.strip())
        (self.size, self.bold), _ = self.chars_by_style.most_common(1)[0]


@dataclass
class _Page:
    index: int  # 1-based place in the file
    text: PageText
    lines: list[_Line]
    # Each table by id() of the empty stand-in line that keeps its place among the lines.
    tables: dict[int, Table] = field(default_factory=dict)

    def distance_from_middle(self, line: _Line) -> float:
        """0 in the middle of the page, 0.5 at its top or bottom edge."""
        return abs(line.baseline / self.text.height - 0.5)

    def in_margin(self, line: _Line) -> bool:
        return self.distance_from_middle(line) > 0.5 - _MARGIN


def read_pdf(data: bytes, progress: bool = False, layer: TextLayer | None = None) -> Extracted:
    """The report's paragraphs and table rows with heading paths and printed page numbers."""
    reader = _open(data)
    layer = layer or PdfiumTextLayer()
    try:
        texts = list(tqdm(layer.pages(data), total=len(reader.pages), desc="Läser sidor", unit="sida",
                          disable=not progress))
        metadata_title = normalize_space(reader.metadata.title or "") if reader.metadata else ""
    except _MALFORMED as exc:
        raise IngestError(_CORRUPT) from exc
    pages = [_Page(index, text, _lines(text.runs)) for index, text in enumerate(texts, start=1)]
    if not any(any(c.isalnum() for c in line.text) for page in pages for line in page.lines):
        raise IngestError(_NO_TEXT)
    numbers = _printed_numbers(pages)
    _strip_running_lines(pages)
    body_size = _body_size(pages)
    for page in pages:
        page.lines[:] = _without_photo_credits(page.lines, body_size)
        _find_tables(page)
    outline = _outline(reader, pages, numbers)
    levels = _HeadingLevels.measure(pages, body_size, outline)
    leading = _leading_ratio(pages, body_size)
    blocks = assemble(
        item for page in pages
        for item in _items(page, numbers[page.index - 1] or page.index, levels, leading, body_size)
    )
    if not any(block.section for block in blocks):
        raise IngestError(_NO_HEADINGS)
    title = metadata_title if metadata_title.casefold() not in _PLACEHOLDER_TITLES else _first_page_title(pages)
    return Extracted(
        tuple(blocks), len(pages), title, _levelled_by_headings(outline, blocks),
        printed_pages=frozenset(page.index for page in pages if numbers[page.index - 1] is not None),
        scanned_pages=tuple(page.index for page in pages if page.text.scanned),
    )


def _levelled_by_headings(outline: Sequence[OutlineEntry], blocks: Sequence[Block]) -> tuple[OutlineEntry, ...]:
    """The outline, but where it is flat (a short TOC whose layout tells no chapter
    from section) each entry takes the level of the heading with its title: the
    headings' font size says more (ingest/structure.py builds chapters from levels)."""
    if len({entry.level for entry in outline}) != 1:
        return tuple(outline)
    depth: dict[str, int] = {}
    for block in blocks:
        for level, heading in enumerate(block.section, start=1):
            depth.setdefault(normalize_space(heading).casefold(), level)
    return tuple(replace(entry, level=depth.get(entry.title.casefold(), entry.level)) for entry in outline)


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise IngestError(_ENCRYPTED)
        len(reader.pages)  # a broken page tree shows here, before any page is read
    except DependencyError as exc:  # encrypted with a cipher that needs an extra package
        raise IngestError(_ENCRYPTED) from exc
    except _MALFORMED as exc:
        raise IngestError(_CORRUPT) from exc
    return reader


def _lines(runs: Sequence[TextRun]) -> list[_Line]:
    """Runs joined into printed lines, in the order the file draws them.

    A run joins the line before it when it stands on the same baseline not
    far to its right; a table's columns or a page number far to the right of
    a footer make lines of their own.
    """
    lines: list[_Line] = []
    for index, run in enumerate(runs):
        if lines and _on_same_line(lines[-1], run):
            _continue_line(lines[-1], run, index)
        else:
            lines.append(_Line.of(run, index))
    for line in lines:
        # A bullet printed with its item is a list item; a dash opening a line
        # may as well be a dash in a sentence broken before it ("– en arena").
        if not line.text.startswith(_DASHES):
            line.text = as_list_item(line.text) or line.text
    return lines


def _on_same_line(line: _Line, run: TextRun) -> bool:
    """Whether the run goes on the line: same baseline, not far to its right,
    or the line is only a heading's number set apart by a tab (`6.13   TRAFIK`)."""
    if abs(line.baseline - run.baseline) >= run.size / 2 or run.x0 - line.x1 <= -run.size:
        return False
    return run.x0 - line.x1 < _COLUMN_GAP * run.size or bool(_HEADING_NUMBER.fullmatch(line.text))


def _continue_line(line: _Line, run: TextRun, index: int) -> None:
    """Add a run to the line; a lone symbol that opened the line was a bullet."""
    opening = line.text.strip()
    if len(opening) == 1 and not opening.isalnum() and opening not in _NOT_BULLETS:
        line.text = "-"
        line.chars_by_style.clear()
    line.add(run, index)


def _printed_numbers(pages: list[_Page]) -> list[int | None]:
    """Each page's printed number (None: nothing printed); the folio is taken off the page."""
    candidates: list[list[Folio]] = []
    for page in pages:
        found = []
        for k, line in enumerate(page.lines):
            folio = find_folio(line.text) if page.in_margin(line) else None
            if folio:
                found.append(Folio(folio[0], k, folio[1]))
        candidates.append(found)
    chosen = choose_folios(candidates)
    for page, folio in zip(pages, chosen):
        if folio:
            line = page.lines[folio.source]
            line.text = strip_folio(line.text)
            if not line.text:
                del page.lines[folio.source]
    return [folio.number if folio else None for folio in chosen]


def _strip_running_lines(pages: list[_Page]) -> None:
    """Drop running headers and footers.

    A running place is a spot in the margin (height and size) where many
    pages print a line and the wording comes back: the report's name, the
    chapter's name, a document code.
    """
    def place(line: _Line) -> tuple[float, int]:
        return line.size, round(line.baseline / 2)

    def wording(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text).casefold()

    wordings: dict[tuple[float, int], list[str]] = {}
    for page in pages:
        for where, said in {(place(line), wording(line)) for line in page.lines if page.in_margin(line)}:
            wordings.setdefault(where, []).append(said)
    needed = max(_MIN_REPEAT_PAGES, _REPEAT_SHARE * len(pages))
    running = set()
    for where, said in wordings.items():
        common = Counter(said).most_common(1)[0][1]
        if common >= needed or (len(said) >= needed and len(set(said)) <= _MAX_DISTINCT_SHARE * len(said)):
            running.add(where)
    for page in pages:
        page.lines[:] = [line for line in page.lines if not (page.in_margin(line) and place(line) in running)]


def _body_size(pages: Sequence[_Page]) -> float:
    """The size most of the text is set in."""
    chars: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            chars[line.size] += len(line.text)
    return chars.most_common(1)[0][0] if chars else 0.0


def _without_photo_credits(lines: list[_Line], body_size: float) -> list[_Line]:
    """Drop "Foto: Name" lines and the short caption printed right below one."""
    kept: list[_Line] = []
    credit: _Line | None = None
    for line in lines:
        if is_photo_credit(line.text):
            credit = line
            continue
        below_credit = (
            credit is not None
            and 0 < line.baseline - credit.baseline <= 3 * max(credit.size, line.size)
            and line.size <= body_size * 1.25
        )
        if not (below_credit and is_caption(line.text)):
            kept.append(line)
        credit = None
    return kept


def _find_tables(page: _Page) -> None:
    """Take the page's tables of figures out of its lines; each stands where its first line stood."""
    body = sorted(i for line in page.lines if not page.in_margin(line) for i in line.runs)
    runs = page.text.runs
    for table in find_tables([runs[i] for i in body]):
        used = {body[i] for i in table.runs}
        lines: list[_Line] = []
        for line in page.lines:
            if not used.intersection(line.runs):
                lines.append(line)
                continue
            if table not in page.tables.values():
                stand_in = _Line("", line.x0, line.x1, line.baseline, line.size)
                page.tables[id(stand_in)] = table
                lines.append(stand_in)
            rest = [i for i in line.runs if i not in used]
            if rest:
                lines.append(_Line.of(runs[rest[0]], rest[0]))
                for i in rest[1:]:
                    lines[-1].add(runs[i], i)
        page.lines[:] = lines


def _outline(reader: PdfReader, pages: Sequence[_Page], numbers: Sequence[int | None]) -> list[OutlineEntry]:
    """The PDF's bookmarks; without them, the report's table of contents."""
    try:
        entries = pdf_outline(reader, lambda index: numbers[index - 1] if 0 < index <= len(numbers) else None)
    except _MALFORMED:
        entries = []
    if entries:
        return entries
    toc = [(entry[0], entry[1], line.x0) for page in pages for line in page.lines
           if (entry := toc_entry(line.text))]
    return toc_outline(toc)


@dataclass(frozen=True)
class _HeadingLevels:
    """A heading's level from the best evidence: the report's own outline, its
    numbering (`6.13 TRAFIK` is a section), else its size: largest size
    chapter, next section, the rest subsection."""

    body: float
    chapter: float | None
    section: float | None
    listed: dict[str, int]

    @classmethod
    def measure(cls, pages: Sequence[_Page], body_size: float, outline: Sequence[OutlineEntry]) -> _HeadingLevels:
        """The sizes above body size that are used on more than one page.

        A size used once is a cover title or a decoration, not a heading level.
        """
        pages_by_size: dict[float, set[int]] = {}
        for page in pages:
            for line in page.lines:
                if line.size > body_size + _SIZE_TOLERANCE and id(line) not in page.tables:
                    pages_by_size.setdefault(line.size, set()).add(page.index)
        sizes = sorted((size for size, where in pages_by_size.items() if len(where) > 1), reverse=True)
        # An outline whose entries are all on one level says which lines are
        # headings but not their levels: then sizes decide.
        informative = len({entry.level for entry in outline}) > 1
        listed = {title_key(entry.title): entry.level for entry in outline} if informative else {}
        return cls(body_size, *(sizes + [None, None])[:2], listed)

    def lists(self, text: str) -> bool:
        """Whether the report's outline names this text as a heading."""
        return title_key(text) in self.listed

    def level(self, line: _Line, text: str) -> int | None:
        styled = line.size > self.body + _SIZE_TOLERANCE or (line.bold and abs(line.size - self.body) <= _SIZE_TOLERANCE)
        # A line the outline lists needs only to stand out somehow: a number,
        # capitals, or any other size (Word's small-caps subheadings).
        stands_out = styled or numbering_depth(text) or text.isupper() or abs(line.size - self.body) > _SIZE_TOLERANCE
        if self.lists(text) and stands_out:
            return self.listed[title_key(text)]
        if not styled:
            return None
        depth = numbering_depth(text)
        if depth:
            return min(depth, 3)
        if line.size > self.body + _SIZE_TOLERANCE:
            return {self.chapter: 1, self.section: 2}.get(line.size, 3)
        return 3


def _leading_ratio(pages: Sequence[_Page], body_size: float) -> float:
    """Line spacing of body text, as a multiple of the font size."""
    ratios: Counter[float] = Counter()
    for page in pages:
        for above, below in zip(page.lines, page.lines[1:]):
            if above.size == below.size == body_size and 0 < below.baseline - above.baseline < 3 * body_size:
                ratios[round((below.baseline - above.baseline) / body_size, 2)] += 1
    return ratios.most_common(1)[0][0] if ratios else 1.25


def _items(page: _Page, number: int, levels: _HeadingLevels, leading: float,
           body_size: float) -> Iterator[Heading | Para | TocLine]:
    """The page's lines grouped into headings, paragraphs and table rows.

    A paragraph ends where the style changes, a list item starts, or the gap
    to the next line is clearly wider than the line spacing; a line that the
    outline lists as a heading stands alone. Footnotes (small numbered lines
    below the body text) are marked as such.
    """
    footnotes = _footnotes(page, body_size)
    cells = _cells(page)
    group: list[_Line] = []
    for line in page.lines:
        table = page.tables.get(id(line))
        is_toc = table is None and toc_entry(line.text) is not None
        if (group and table is None and not is_toc and _same_paragraph(group[-1], line, leading)
                and not levels.lists(line.text) and not levels.lists(group[-1].text)
                and (id(line) in footnotes) == (id(group[-1]) in footnotes)):
            group.append(line)
            continue
        if group:
            yield _item(group, number, page.index, levels, footnotes, cells)
        group = [] if is_toc or table else [line]
        if is_toc:
            yield TocLine()
        if table:
            yield from (Para(row, number, page.index, "table") for row in table.rows)
    if group:
        yield _item(group, number, page.index, levels, footnotes, cells)


def _footnotes(page: _Page, body_size: float) -> set[int]:
    """Ids of the small numbered lines below the last line of body text."""
    body = [line.baseline for line in page.lines if abs(line.size - body_size) <= _SIZE_TOLERANCE]
    if not body:
        return set()
    small = [line for line in page.lines
             if line.baseline > max(body) and line.size < body_size - _SIZE_TOLERANCE]
    if not small or not _FOOTNOTE.match(min(small, key=lambda line: line.baseline).text):
        return set()
    return {id(line) for line in small}


def _cells(page: _Page) -> set[int]:
    """Ids of lines that share their baseline with another line in their style:
    the cells of a table row (`Aktivitet  Status  Färdiggrad`), never headings."""
    rows: dict[tuple[int, float, bool], list[_Line]] = {}
    for line in page.lines:
        rows.setdefault((round(line.baseline / 2), line.size, line.bold), []).append(line)
    return {id(line) for row in rows.values() if len(row) > 1 for line in row}


def _item(group: Sequence[_Line], page: int, pdf_page: int, levels: _HeadingLevels,
          footnotes: set[int], cells: set[int]) -> Heading | Para:
    text = join_lines(line.text for line in group)
    if id(group[0]) in footnotes:
        return Para(text, page, pdf_page, "footnote")
    heading_like = looks_like_heading(text) and id(group[0]) not in cells
    level = levels.level(group[0], text) if heading_like else None
    return Heading(level, text, page, pdf_page) if level else Para(text, page, pdf_page)


def _same_paragraph(above: _Line, below: _Line, leading: float) -> bool:
    return (
        (above.size, above.bold) == (below.size, below.bold)
        and as_list_item(below.text) is None
        and 0 < below.baseline - above.baseline <= below.size * leading * 1.2
    )


def _first_page_title(pages: Sequence[_Page]) -> str | None:
    """The largest text on the first page with text (a cover's title), never a footer."""
    page = next((page for page in pages if page.lines), None)
    if page is None:
        return None
    largest = max(line.size for line in page.lines)
    title = [line.text for line in page.lines if line.size == largest][:_TITLE_MAX_LINES]
    return join_lines(title) or None
