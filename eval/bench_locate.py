"""How many passages the viewer shows where they stand on the page, and how fast (ingest/locate.py).

    python -m eval.bench_locate [PDF ...]        default: the bundled report

Per PDF: passages (default chunk settings), seconds to locate them all, the share that got
boxes, the share whose boxes hold the passage's first and last 40 letters/digits (so the
highlight shows where it starts and ends), and the share on the PDF pages the printed page
numbers give (printed + the report's most common offset, e.g. 1 when the cover is unnumbered).
"""
from __future__ import annotations

import argparse
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from ingest import chunk_document, load_document
from ingest.locate import locate_chunks, normalise, text_in_boxes
from ingest.model import Chunk
from qa.settings import Settings

_ENDS = 40  # letters/digits at each end of a passage that its highlight must show


@dataclass(frozen=True)
class Located:
    passages: int  # passages that quote their page; the shares below are of these
    summaries: int  # table-of-contents summaries (kind "toc"): written for retrieval, quoting no one page
    seconds: float
    boxed: float  # share with any boxes
    shown: float  # share whose boxes show its start and end
    offset: int  # PDF page − printed page, most common
    on_pages: float  # share on the PDF pages its printed pages give


def measure(pdf: Path, settings: Settings | None = None) -> Located:
    settings = settings or Settings()
    chunks = chunk_document(load_document(pdf), settings.chunk_tokens, settings.chunk_overlap)
    start = time.perf_counter()
    everything = locate_chunks(pdf, chunks)
    seconds = time.perf_counter() - start
    located = [c for c in everything if c.kind != "toc"]
    offset = Counter(c.pdf_pages[0] - c.pages[0] for c in located if c.pdf_pages and c.pages).most_common(1)[0][0]
    with closing(pdfium.PdfDocument(str(pdf))) as document:
        shown = sum(_shown(document, c) for c in located)
    return Located(len(located), len(everything) - len(located), seconds, sum(bool(c.boxes) for c in located) / len(located), shown / len(located),
                   offset, sum(c.pdf_pages == tuple(p + offset for p in c.pages) for c in located) / len(located))


def _shown(pdf: pdfium.PdfDocument, chunk: Chunk) -> bool:
    boxed, norm = text_in_boxes(pdf, chunk.boxes), normalise(chunk.text)[0]
    return norm[:_ENDS] in boxed and norm[-_ENDS:] in boxed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=[Settings().default_source])
    args = parser.parse_args()
    print("| PDF | passages | TOC summaries | locate s | with boxes | start and end shown | page offset | on printed pages |")
    print("|---|---|---|---|---|---|---|---|")
    for pdf in args.pdfs:
        m = measure(pdf)
        print(f"| {pdf.name} | {m.passages} | {m.summaries} | {m.seconds:.2f} | {m.boxed:.3f} | {m.shown:.3f} | {m.offset} "
              f"| {m.on_pages:.3f} |")


if __name__ == "__main__":
    main()
