"""Read a typeset PDF report into heading-aware paragraphs.

In a typeset report the structure is in the layout, not in any markup:
headings differ from body text by font size and weight, running headers and
page numbers repeat at the same place on most pages, paragraphs are set apart
by a larger gap than the line spacing. None of the sizes or positions of one
particular report are built in; they are measured on the document itself, so
next year's edition of the report reads the same way.
"""
from __future__ import annotations

import io
import math
import re
import struct
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError
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
from ingest.model import Extracted
from ingest.structure import toc_outline

# pypdf reports a malformed file with its own errors and, deeper down, with
# whatever the parser tripped over.
_MALFORMED = (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
              AssertionError, RecursionError, zlib.error, struct.error)
_MARGIN = 0.12  # running headers and footers sit in the outer 12 % of the page
_REPEAT_SHARE = 0.4  # on at least this share of pages a line is a running header
_MIN_REPEAT_PAGES = 3
_PAGE_NUMBER = re.compile(r"(?:sida |page )?[-–]?\s*(\d{1,4})\s*[-–]?(?:\s*(?:av|of|/)\s*\d{1,4})?",
                          re.IGNORECASE)
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_EM_PER_CHAR = 0.5  # average glyph width, in font sizes
_COLUMN_GAP = 3  # font sizes of blank space that separate two texts on a baseline
_SIZE_TOLERANCE = 0.5  # points: sizes closer than this are the same size
_NOT_BULLETS = frozenset("([{\"'“”‘’«»§%&$€£#+")
_PLACEHOLDER_TITLES = frozenset({"", "untitled", "(unspecified)", "(anonymous)"})

_ENCRYPTED = "Filen är krypterad: ta bort lösenordsskyddet och försök igen."
_CORRUPT = "PDF-filen är skadad eller ofullständig och går inte att läsa: exportera eller ladda ner den på nytt."
_NO_TEXT = ("PDF-filen innehåller ingen text, bara bilder (till exempel en inskannad rapport): "
            "kör textigenkänning (OCR) på den eller använd en version med text.")
_NO_HEADINGS = ("Inga rubriker hittades i PDF-filen, så rapporten kan inte delas upp i kapitel: "
                "använd en version där rubrikerna är satta i större eller fet stil.")


@dataclass(frozen=True)
class _Piece:
    """A run of text as pypdf's visitor reports it, placed on the page."""

    text: str
    x: float
    y: float
    size: float
    bold: bool


@dataclass
class _Line:
    """One printed line, with the style of most of its characters."""

    text: str
    x: float
    y: float
    size: float = 0.0
    bold: bool = False
    end_x: float = 0.0  # where the line ends, roughly: glyph widths are not read
    chars_by_style: Counter[tuple[float, bool]] = field(default_factory=Counter)

    def add(self, piece: _Piece) -> None:
        self.text += piece.text
        self.chars_by_style[piece.size, piece.bold] += len(piece.text.strip())
        (self.size, self.bold), _ = self.chars_by_style.most_common(1)[0]
        self.end_x = max(self.end_x, piece.x) + len(piece.text) * piece.size * _EM_PER_CHAR


@dataclass(frozen=True)
class _Page:
    lines: list[_Line]
    bottom: float
    height: float

    def distance_from_middle(self, line: _Line) -> float:
        """0 in the middle of the page, 0.5 at its top or bottom edge."""
        return abs((line.y - self.bottom) / self.height - 0.5)

    def in_margin(self, line: _Line) -> bool:
        return self.distance_from_middle(line) > 0.5 - _MARGIN


def read_pdf(data: bytes, progress: bool = False) -> Extracted:
    """The report's paragraphs with heading paths and printed page numbers."""
    reader = _open(data)
    try:
        pages = [_Page(_lines(_pieces(page)), float(page.mediabox.bottom), float(page.mediabox.height))
                 for page in tqdm(reader.pages, desc="Läser sidor", unit="sida", disable=not progress)]
        metadata_title = normalize_space(reader.metadata.title or "") if reader.metadata else ""
    except _MALFORMED as exc:
        raise IngestError(_CORRUPT) from exc
    if not any(any(c.isalnum() for c in line.text) for page in pages for line in page.lines):
        raise IngestError(_NO_TEXT)
    numbers = _strip_running_lines(pages)
    body_size = _body_size(pages)
    for page in pages:
        page.lines[:] = _without_photo_credits(page.lines, body_size)
    levels = _HeadingLevels.measure(pages, body_size)
    leading = _leading_ratio(pages, body_size)
    items = [item for page, number in zip(pages, numbers) for item in _items(page, number, levels, leading)]
    blocks = assemble(items)
    if not any(block.section for block in blocks):
        raise IngestError(_NO_HEADINGS)
    if metadata_title.casefold() not in _PLACEHOLDER_TITLES:
        return Extracted(tuple(blocks), len(pages), metadata_title, toc_outline(items))
    first_line = next((page.lines[0].text for page in pages if page.lines), None)
    return Extracted(tuple(blocks), len(pages), first_line, toc_outline(items))


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise IngestError(_ENCRYPTED)
    except DependencyError as exc:  # encrypted with a cipher that needs an extra package
        raise IngestError(_ENCRYPTED) from exc
    except _MALFORMED as exc:
        raise IngestError(_CORRUPT) from exc
    return reader


def _pieces(page: PageObject) -> list[_Piece]:
    """The page's text runs in content order; a newline in one marks a line end."""
    pieces: list[_Piece] = []

    def visit(text: str, cm: list[float], tm: list[float], font: dict | None, font_size: float) -> None:
        x, y, size = _placement(cm, tm, font_size)
        bold = bool(font and _BOLD_FONT.search(str(font.get("/BaseFont", ""))))
        pieces.append(_Piece(text, x, y, size, bold))

    page.extract_text(visitor_text=visit)
    return pieces


def _placement(cm: Sequence[float], tm: Sequence[float], font_size: float) -> tuple[float, float, float]:
    """Position on the page and printed size: the text matrix taken through the CTM."""
    a = tm[0] * cm[0] + tm[1] * cm[2]
    b = tm[0] * cm[1] + tm[1] * cm[3]
    c = tm[2] * cm[0] + tm[3] * cm[2]
    d = tm[2] * cm[1] + tm[3] * cm[3]
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    return x, y, round(font_size * math.sqrt(abs(a * d - b * c)), 1)


def _lines(pieces: Sequence[_Piece]) -> list[_Line]:
    """Pieces joined into printed lines.

    Pieces on one baseline make one line, unless pypdf saw a line end between
    them or the next piece starts far to the right of where the line ends
    (a running title and the chapter name printed on the same baseline).
    """
    lines: list[_Line] = []
    line_open = False  # no line end seen since the last line started
    for piece in pieces:
        parts = piece.text.split("\n")
        for k, part in enumerate(parts):
            if not part.strip():
                continue
            run = _Piece(part, piece.x, piece.y, piece.size, piece.bold)
            if k == 0 and line_open and _on_same_line(lines[-1], run):
                _continue_line(lines[-1], run)
            else:
                lines.append(_Line("", run.x, run.y))
                lines[-1].add(run)
        line_open = bool(parts[-1].strip()) or (len(parts) == 1 and line_open)
    for line in lines:
        line.text = normalize_space(line.text)
    return [line for line in lines if line.text]


def _on_same_line(line: _Line, piece: _Piece) -> bool:
    return abs(line.y - piece.y) < piece.size / 2 and piece.x - line.end_x < _COLUMN_GAP * piece.size


def _continue_line(line: _Line, piece: _Piece) -> None:
    """Add a piece to the line; a lone symbol that opened the line was a bullet."""
    opening = line.text.strip()
    if len(opening) == 1 and not opening.isalnum() and opening not in _NOT_BULLETS:
        line.text = "- "
        line.chars_by_style.clear()
    line.add(piece)


def _strip_running_lines(pages: list[_Page]) -> list[int]:
    """Drop running headers, footers and page numbers; return the printed numbers.

    A running line is one whose wording (digits aside) comes back at the same
    place and size on many pages; anything else printed at such a place, like
    the changing chapter name beside the report title, is running text too.
    Pages without a printed number keep their position in the file.
    """
    def place(line: _Line) -> tuple[float, int]:
        return line.size, round(line.y / 2)

    def wording(line: _Line) -> str:
        return re.sub(r"\d+", "#", line.text).casefold()

    seen = Counter(
        key for page in pages for key in {(place(line), wording(line)) for line in page.lines if page.in_margin(line)}
    )
    needed = max(_MIN_REPEAT_PAGES, _REPEAT_SHARE * len(pages))
    running_places = {where for (where, _), count in seen.items() if count >= needed}
    numbers = []
    for index, page in enumerate(pages, start=1):
        printed = [line for line in page.lines if page.in_margin(line) and _PAGE_NUMBER.fullmatch(line.text)]
        # The number printed where page numbers run, else the one nearest the edge.
        folio = max(printed, key=lambda line: (place(line) in running_places, page.distance_from_middle(line)),
                    default=None)
        numbers.append(int(_PAGE_NUMBER.fullmatch(folio.text)[1]) if folio else index)
        page.lines[:] = [
            line for line in page.lines
            if line is not folio and not (page.in_margin(line) and place(line) in running_places)
        ]
    return numbers


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
            and 0 < credit.y - line.y <= 3 * max(credit.size, line.size)
            and line.size <= body_size * 1.25
        )
        if not (below_credit and is_caption(line.text)):
            kept.append(line)
        credit = None
    return kept


@dataclass(frozen=True)
class _HeadingLevels:
    """Heading level by style: largest size chapter, next section, rest subsection."""

    body: float
    chapter: float | None
    section: float | None

    @classmethod
    def measure(cls, pages: Sequence[_Page], body_size: float) -> _HeadingLevels:
        """The sizes above body size that are used on more than one page.

        A size used once is a cover title or a decoration, not a heading level.
        """
        pages_by_size: dict[float, set[int]] = {}
        for index, page in enumerate(pages):
            for line in page.lines:
                if line.size > body_size + _SIZE_TOLERANCE:
                    pages_by_size.setdefault(line.size, set()).add(index)
        sizes = sorted((size for size, where in pages_by_size.items() if len(where) > 1), reverse=True)
        return cls(body_size, *(sizes + [None, None])[:2])

    def level(self, line: _Line) -> int | None:
        if line.size > self.body + _SIZE_TOLERANCE:
            return {self.chapter: 1, self.section: 2}.get(line.size, 3)
        if line.bold and abs(line.size - self.body) <= _SIZE_TOLERANCE:
            return 3
        return None


def _leading_ratio(pages: Sequence[_Page], body_size: float) -> float:
    """Line spacing of body text, as a multiple of the font size."""
    ratios: Counter[float] = Counter()
    for page in pages:
        for above, below in zip(page.lines, page.lines[1:]):
            if above.size == below.size == body_size and 0 < above.y - below.y < 3 * body_size:
                ratios[round((above.y - below.y) / body_size, 2)] += 1
    return ratios.most_common(1)[0][0] if ratios else 1.25


def _items(page: _Page, number: int, levels: _HeadingLevels, leading: float) -> Iterator[Heading | Para | TocLine]:
    """The page's lines grouped into headings and paragraphs.

    A paragraph ends where the style changes, a list item starts, or the gap
    to the next line is clearly wider than the line spacing.
    """
    group: list[_Line] = []
    for line in page.lines:
        toc = toc_entry(line.text)
        if group and not toc and _same_paragraph(group[-1], line, leading):
            group.append(line)
            continue
        if group:
            yield _item(group, number, levels)
        group = [] if toc else [line]
        if toc:
            yield TocLine(*toc, indent=line.x)
    if group:
        yield _item(group, number, levels)


def _item(group: Sequence[_Line], page: int, levels: _HeadingLevels) -> Heading | Para:
    text = join_lines(line.text for line in group)
    level = levels.level(group[0])
    return Heading(level, text, page) if level and looks_like_heading(text) else Para(text, page)


def _same_paragraph(above: _Line, below: _Line, leading: float) -> bool:
    return (
        (above.size, above.bold) == (below.size, below.bold)
        and as_list_item(below.text) is None
        and 0 < above.y - below.y <= below.size * leading * 1.2
    )
