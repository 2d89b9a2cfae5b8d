"""Where each passage stands on its PDF pages, found in the PDF's text layer.

The viewer draws the cited passage over the original page, so every chunk
needs boxes in page coordinates. The chunk text cannot simply be searched
for: it has been through the reader and `clean.py` (hyphenated words
rejoined, running headers, page numbers and photo credits dropped,
paragraphs rejoined across pages), so it is compared with the text layer on
letters and digits only, case folded, and matched as a chain of runs: a
run of at least `_ANCHOR` such characters is found near where the last run
ended and extended as far as both texts agree; what lies between two runs
(a footer, a caption the chunk left out) is skipped.

The text layer is pypdfium2's: character indexes plus PDFium's own line
rectangles for any range of characters. Measured on the bundled 131-page
report (shared 2-core machine): 0.4 s to read every page's characters with
pypdfium2 (`get_text_range` per page), against 4.8 s for only the first 20
pages with pdfplumber 0.11 (`len(page.chars)`), so pypdfium2 is used.
"""
from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2 as pdfium

from ingest.load import is_pdf
from ingest.model import Chunk, Document

Box = tuple[int, float, float, float, float]  # (pdf_page, x0, top, x1, bottom), points, top-left origin

_ANCHOR = 12  # letters/digits: shorter runs match by chance (a common word pair), longer ones miss short lines
_FIRST_RUN = 40  # the first run must be this long (or the whole rest): "iregionvästerbotten" alone proves nothing
# How far past the last run the next one may start: room for a running footer, a page header and a
# photo credit between two halves of a paragraph, in letters/digits.
_MAX_GAP = 1500
_HEAD = 1024  # bytes read to tell a PDF from a text file
_PUNCTUATION = 2  # characters after a passage's last letter that are still boxed: ".)" or "-"
_SLACK = 0.5  # points around a box when reading its text back: the box is rounded to 0.1 pt
_SAME_LINE = 0.5  # two rectangles overlapping by half the smaller height stand on one line
_WORD_GAP = 2.0  # ... and are one line's box when closer than this many line heights


def normalise(text: str) -> tuple[str, list[int]]:
    """Letters and digits only, case folded (ligatures and "ß" expanded); with each
    normalised character's index in `text`."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for folded in unicodedata.normalize("NFKC", char).casefold():
            if folded.isalnum():
                out.append(folded)
                origin.append(index)
    return "".join(out), origin


@dataclass(frozen=True)
class Run:
    """A stretch where the passage (normalised, from `start`) and the text layer (from `at`) agree."""

    start: int
    at: int
    length: int


class TextLayer:
    """The letters and digits of some pages of a PDF, in text-layer order, with the way back
    to PDFium's character indexes, from which the line boxes come."""

    def __init__(self, pdf: pdfium.PdfDocument, pages: Iterable[int] | None = None) -> None:
        """`pages`: 1-based page numbers to read (default: all), in document order."""
        self._pdf = pdf
        self.pages = sorted(set(pages)) if pages is not None else list(range(1, len(pdf) + 1))
        self._text_pages: dict[int, pdfium.PdfTextPage] = {}
        parts: list[str] = []
        self.page_starts: list[int] = []
        self.char_index: list[int] = []  # PDFium character index of each normalised character
        length = 0
        for number in self.pages:
            text_page = self._text_page(number)
            norm, origin = normalise(text_page.get_text_range(0, text_page.count_chars()))
            self.page_starts.append(length)
            parts.append(norm)
            self.char_index.extend(origin)
            length += len(norm)
        self.text = "".join(parts)

    def _text_page(self, number: int) -> pdfium.PdfTextPage:
        if number not in self._text_pages:
            self._text_pages[number] = self._pdf[number - 1].get_textpage()
        return self._text_pages[number]

    def page_of(self, at: int) -> int:
        return self.pages[bisect.bisect_right(self.page_starts, at) - 1]

    def span(self, first_page: int, last_page: int) -> tuple[int, int]:
        """The normalised text's range for pages first_page..last_page (those read)."""
        lo = bisect.bisect_left(self.pages, first_page)
        hi = bisect.bisect_right(self.pages, last_page)
        start = self.page_starts[lo] if lo < len(self.pages) else len(self.text)
        end = self.page_starts[hi] if hi < len(self.pages) else len(self.text)
        return start, end

    def match(self, norm: str, start: int = 0, end: int | None = None) -> list[Run]:
        """The runs in which `norm` (normalised passage text) is found in text[start:end],
        in order; the first run is the first place its opening is found after `start`."""
        end = len(self.text) if end is None else end
        runs: list[Run] = []
        resume, window_end = start, end  # where the next run may begin, and by when
        position, c = resume, 0
        while c + _ANCHOR <= len(norm):
            at = self.text.find(norm[c:c + _ANCHOR], position, window_end)
            if at < 0:
                c, position = c + 1, resume
                continue
            length = _ANCHOR
            while c + length < len(norm) and at + length < end and norm[c + length] == self.text[at + length]:
                length += 1
            if not runs and length < min(_FIRST_RUN, len(norm) - c):
                position = at + 1  # a common phrase met by chance, not where the passage begins
                continue
            runs.append(Run(c, at, length))
            c += length
            resume = position = at + length
            window_end = min(end, resume + _MAX_GAP + _ANCHOR)
        return runs

    def boxes(self, runs: Sequence[Run], start: int = 0, end: int | None = None) -> tuple[Box, ...]:
        """One box per printed line covering the runs' characters whose passage offsets
        lie in [start, end), in reading order."""
        end = float("inf") if end is None else end
        boxes: list[Box] = []
        for run in runs:
            lo, hi = max(run.start, start), min(run.start + run.length, end)
            if lo >= hi:
                continue
            first, last = run.at + lo - run.start, run.at + hi - run.start - 1
            # a run may cross a page break: cut it at each page start
            while first <= last:
                page = self.page_of(first)
                page_end = self.span(page, page)[1] - 1
                boxes.extend(self._line_boxes(page, first, min(last, page_end)))
                first = page_end + 1
        return tuple(_merge_lines(boxes))

    def _line_boxes(self, page: int, first: int, last: int) -> list[Box]:
        pdf_page = self._pdf[page - 1]
        if pdf_page.get_rotation() % 360:
            return []  # boxes are in unrotated page space: not drawn rather than drawn wrong
        left, _, _, top = pdf_page.get_cropbox()
        text_page = self._text_page(page)
        char = self.char_index[first]
        count = _through_punctuation(text_page, self.char_index[last]) - char + 1
        boxes = []
        for i in range(text_page.count_rects(char, count)):
            x0, y0, x1, y1 = text_page.get_rect(i)
            boxes.append((page, round(x0 - left, 1), round(top - y1, 1), round(x1 - left, 1), round(top - y0, 1)))
        return boxes


def _through_punctuation(text_page: pdfium.PdfTextPage, last: int) -> int:
    """The index of the last character to box: a closing full stop, comma or line-end hyphen
    belongs with its word ("Ubbhult." rather than "Ubbhult")."""
    total = text_page.count_chars()
    for _ in range(_PUNCTUATION):
        following = text_page.get_text_range(last + 1, 1) if last + 1 < total else ""
        if not following or following.isspace() or following.isalnum():
            break
        last += 1
    return last


def _merge_lines(boxes: list[Box]) -> list[Box]:
    """PDFium cuts a line where the font changes: join the pieces of one line."""
    merged: list[Box] = []
    for box in boxes:
        if merged and _same_line(merged[-1], box):
            page, x0, top, x1, bottom = merged[-1]
            merged[-1] = (page, min(x0, box[1]), min(top, box[2]), max(x1, box[3]), max(bottom, box[4]))
        else:
            merged.append(box)
    return merged


def _same_line(a: Box, b: Box) -> bool:
    if a[0] != b[0]:
        return False
    overlap = min(a[4], b[4]) - max(a[2], b[2])
    height = min(a[4] - a[2], b[4] - b[2])
    gap = max(a[1], b[1]) - min(a[3], b[3])
    return height > 0 and overlap >= _SAME_LINE * height and gap <= _WORD_GAP * height


def locate_document(doc: Document, chunks: Sequence[Chunk]) -> list[Chunk]:
    """The build's step: a PDF report's chunks with their boxes; a text or Markdown report's as they are."""
    path = Path(doc.source_path)
    with path.open("rb") as f:
        head = f.read(_HEAD)
    return locate_chunks(path, chunks) if is_pdf(head) else list(chunks)


def locate_chunks(pdf_path: Path, chunks: Sequence[Chunk]) -> list[Chunk]:
    """The chunks with `boxes` filled from the PDF's text layer, and `pdf_pages` where still empty
    (the pages the boxes are on). Chunks must be in document order, as the chunker gives them;
    a chunk that is not found keeps no boxes."""
    with closing(pdfium.PdfDocument(str(pdf_path))) as pdf:
        layer = TextLayer(pdf)
        located, cursor = [], 0
        for chunk in chunks:
            runs = _find(layer, chunk, cursor)
            if runs:
                cursor = runs[0].at  # the next chunk starts at or after this one (overlap repeats its tail)
            located.append(_with_boxes(chunk, layer.boxes(runs)))
        return located


def _find(layer: TextLayer, chunk: Chunk, cursor: int) -> list[Run]:
    norm, _ = normalise(chunk.text)
    if chunk.pdf_pages:  # the reader knows the pages: look there only
        return layer.match(norm, *layer.span(min(chunk.pdf_pages), max(chunk.pdf_pages)))
    runs = layer.match(norm, cursor)
    if _coverage(runs, norm) < 0.5:  # out of reading order (a caption, a table): the whole document
        runs = max(runs, layer.match(norm), key=lambda found: _coverage(found, norm))
    return runs


def _coverage(runs: Sequence[Run], norm: str) -> float:
    return sum(run.length for run in runs) / max(1, len(norm))


def _with_boxes(chunk: Chunk, boxes: tuple[Box, ...]) -> Chunk:
    pdf_pages = chunk.pdf_pages or tuple(dict.fromkeys(box[0] for box in boxes))
    return replace(chunk, boxes=boxes, pdf_pages=pdf_pages)


def text_in_boxes(pdf: pdfium.PdfDocument, boxes: Sequence[Box]) -> str:
    """The text layer's text inside the boxes, normalised: what a reader sees highlighted
    (for measuring and testing the boxes)."""
    parts = []
    for page, x0, top, x1, bottom in boxes:
        pdf_page = pdf[page - 1]
        left, _, _, crop_top = pdf_page.get_cropbox()
        parts.append(pdf_page.get_textpage().get_text_bounded(
            left + x0 - _SLACK, crop_top - bottom - _SLACK, left + x1 + _SLACK, crop_top - top + _SLACK))
    return normalise(" ".join(parts))[0]


def locate_span(pdf_path: Path, chunk: Chunk, start: int, end: int) -> tuple[Box, ...]:
    """Boxes of chunk.text[start:end] (an answering sentence) on the chunk's PDF pages."""
    if not chunk.pdf_pages:
        return ()
    norm, origin = normalise(chunk.text)
    lo, hi = bisect.bisect_left(origin, start), bisect.bisect_left(origin, end)
    with closing(pdfium.PdfDocument(str(pdf_path))) as pdf:
        layer = TextLayer(pdf, chunk.pdf_pages)
        return layer.boxes(layer.match(norm), lo, hi)
