"""The text layer as PDFium (pypdfium2) reads it.

Chosen by measurement (`python -m eval.extraction --libraries`, README): on
the real reports in tests/data/realpdfs it keeps words as whole as pypdf and
pdfplumber do and reads a page 10-40 times faster, and it gives each
character's box, size and weight, where pypdf's text visitor gives no glyph
widths (so column gaps and word spaces had to be guessed).

PDFium gives the page's text with its own spaces and line ends. Its line
pieces are cut further wherever a wide horizontal gap opens (table columns,
a page number beside a footer), and each piece gets the size and weight of
its characters. Only pieces with such a gap are read character by
character, which keeps ingest at about 10-20 ms a page (s/page in
`python -m eval.extraction`).
"""
from __future__ import annotations

import ctypes
import math
import re
import threading
from collections import Counter
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from ingest.pdftext.base import SOFT_HYPHEN, PageText, TextRun

# PDFium writes a hyphen it took for a line-end hyphenation as U+FFFE and
# leaves out the line end; U+00AD is a soft hyphen left in the text.
_LINE_BREAK = re.compile(r"\r\n|\n|\r|[\ufffe\u00ad\u0002](?=\S)")
# A gap wider than this many times the line's glyph height (about 0.7 em)
# splits a line into runs. Word spaces are 0.25-0.35 em; the narrowest
# column gap in tests/data/realpdfs is 0.9 em (10 pt between figures set at
# 11 pt in Simrishamn's investment table). A justified line split by mistake
# is joined again by ingest.pdf, which puts runs on one baseline together.
_RUN_GAP = 0.8
_BOLD_WEIGHT = 600
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_SAMPLES = 3  # characters a run's style is read from
_PDFIUM = threading.Lock()


class PdfiumTextLayer:
    """Reads each page's runs with PDFium."""

    def pages(self, data: bytes) -> Iterator[PageText]:
        # PDFium keeps global state and is not thread-safe: one document at a
        # time, also when the service builds two reports at once.
        with _PDFIUM:
            document = pdfium.PdfDocument(data)
            try:
                for index in range(len(document)):
                    page = document[index]
                    try:
                        yield _read_page(page)
                    finally:
                        page.close()
            finally:
                document.close()


def _read_page(page: pdfium.PdfPage) -> PageText:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        runs = tuple(_runs(textpage, text, height)) if len(text) == count else ()
    finally:
        textpage.close()
    scanned = not any(run.text.strip() for run in runs) and _has_image(page)
    return PageText(runs, width, height, scanned)


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(True for _ in page.get_objects(filter=(raw.FPDF_PAGEOBJ_IMAGE,), max_depth=2))


def _runs(textpage: pdfium.PdfTextPage, text: str, height: float) -> Iterator[TextRun]:
    start = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        # PDFium's mark for a hard hyphen at a line end is U+FFFE: keep the hyphen
        # and let the joiner decide ("Kultur- och", "EU-kommissionen", "ut-maningar").
        # After a space the mark stands for a dash ("samhället –"). A soft
        # hyphen stays a soft hyphen: the word goes on in the next line.
        mark = match.group() if match else ""
        dash = "–" if text[max(0, end - 1):end].isspace() else "-"
        extra = {"\ufffe": dash, "\u00ad": SOFT_HYPHEN, "\u0002": SOFT_HYPHEN}.get(mark, "")
        yield from _line_runs(textpage, text, start, end, height, extra)
        if match:
            start = match.end()


def _line_runs(textpage: pdfium.PdfTextPage, text: str, start: int, end: int, height: float,
               extra: str) -> Iterator[TextRun]:
    if not text[start:end].strip():
        return
    rects = [textpage.get_rect(k) for k in range(textpage.count_rects(start, end - start))]
    if not rects:
        return
    size_hint = max(top - bottom for _, bottom, _, top in rects)
    wide = any(nxt[0] - cur[2] > _RUN_GAP * size_hint for cur, nxt in zip(rects, rects[1:]))
    if not wide:
        run = _run(textpage, text, start, end, height, extra, rects)
        if run:
            yield run
        return
    spans = _split_at_gaps(textpage, text, start, end, size_hint)
    for k, (a, b) in enumerate(spans):
        run = _run(textpage, text, a, b, height, extra if k == len(spans) - 1 else "")
        if run:
            yield run


def _split_at_gaps(textpage: pdfium.PdfTextPage, text: str, start: int, end: int,
                   size_hint: float) -> list[tuple[int, int]]:
    """The line's character ranges between gaps wider than _RUN_GAP font sizes."""
    spans: list[tuple[int, int]] = []
    span_start, last_right = start, None
    for index in range(start, end):
        if text[index].isspace():
            continue
        left, _, right, _ = textpage.get_charbox(index)
        if last_right is not None and left - last_right > _RUN_GAP * size_hint:
            spans.append((span_start, index))
            span_start = index
        last_right = right if last_right is None else max(last_right, right)
    spans.append((span_start, end))
    return spans


def _run(textpage: pdfium.PdfTextPage, text: str, start: int, end: int, height: float,
         extra: str, rects: list[tuple[float, float, float, float]] | None = None) -> TextRun | None:
    """The characters start:end as a run; `rects`: their boxes when already read."""
    chunk = text[start:end]
    body = chunk.strip()
    if not body:
        return None
    lead = start + len(chunk) - len(chunk.lstrip())
    rects = rects or [textpage.get_rect(k) for k in range(textpage.count_rects(lead, len(body)))]
    if not rects:
        return None
    picks = _style_samples(body, lead)
    styles = Counter(_style(textpage, index) for index in picks)
    size, bold = styles.most_common(1)[0][0]
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    raw.FPDFText_GetCharOrigin(textpage.raw, picks[0], origin_x, origin_y)
    return TextRun(
        text=body + extra,
        x0=min(r[0] for r in rects),
        top=height - max(r[3] for r in rects),
        x1=max(r[2] for r in rects),
        bottom=height - min(r[1] for r in rects),
        baseline=height - origin_y.value,
        size=size,
        bold=bold,
    )


def _style_samples(body: str, offset: int) -> list[int]:
    """Indexes of the first, a middle and the last letter or digit of the run."""
    letters = [k for k in (0, len(body) // 2, len(body) - 1) if body[k].isalnum()]
    first = next((k for k, char in enumerate(body) if char.isalnum()), 0)
    return [offset + k for k in dict.fromkeys([first, *letters])][:_SAMPLES]


def _style(textpage: pdfium.PdfTextPage, index: int) -> tuple[float, bool]:
    """Printed size (rounded to 0.1 pt) and weight of one character.

    The size is the font size taken through the character's matrix: Aspose
    sets every font at size 1 and scales it with the text matrix.
    """
    matrix = raw.FS_MATRIX()
    raw.FPDFText_GetMatrix(textpage.raw, index, matrix)
    scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
    size = round(raw.FPDFText_GetFontSize(textpage.raw, index) * scale, 1)
    weight = raw.FPDFText_GetFontWeight(textpage.raw, index)
    if weight >= _BOLD_WEIGHT:
        return size, True
    return size, bool(_BOLD_NAME.search(_font_name(textpage, index)))


def _font_name(textpage: pdfium.PdfTextPage, index: int) -> str:
    flags = ctypes.c_int()
    length = raw.FPDFText_GetFontInfo(textpage.raw, index, None, 0, flags)
    if length <= 0:
        return ""
    buffer = ctypes.create_string_buffer(length)
    raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, length, flags)
    return buffer.value.decode("utf-8", "replace")
