"""How well ingest reads real PDFs, measured against the PDF's own text layer.

    python -m eval.extraction              # the real PDFs in tests/data/realpdfs + the bundled report
    python -m eval.extraction FILE.json …  # other documents, each described by an expectations file
    python -m eval.extraction --libraries  # the text-layer libraries compared on the same PDFs

Per document it prints:
- *words not in reference*: the share of passage words that do not occur in
  poppler's `pdftotext` text of the same file (words glued together or broken
  apart by ingest show up here; a word cut at a line end counts as found
  whole or hyphenated),
- *leaked running lines*: page headers and footers (lines that open or close
  at least a fifth of the reference's pages) that the passages hold more
  often than the reference's page bodies do,
- *page numbers*: probes from the expectations file whose passage cites the
  page the document prints there,
- *headings*: headings of the document's own table of contents or outline
  found in the passages' heading paths,
- *s/page*: reading time per page.

The expectations files (tests/data/realpdfs/*.json) are written from the
documents themselves; tests/test_realpdfs.py fails when one breaks. poppler
(`apt-get install poppler-utils`) serves only this measurement and the tests,
never ingest.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest import load_document
from ingest.model import Document
from ingest.outline import title_key

REPO = Path(__file__).resolve().parent.parent
EXPECTATIONS = REPO / "tests" / "data" / "realpdfs"
_WORD_EDGES = re.compile(r"^[^\w]+|[^\w]+$")
_RUNNING_SHARE = 0.2  # a line opening or closing this share of the pages runs
_MIN_RUNNING_PAGES = 3
_MIN_RUNNING_CHARS = 8


@dataclass(frozen=True)
class Expectations:
    """What a document is known to say, written down from the document itself."""

    name: str
    pdf: Path
    must: tuple[str, ...] = ()  # text that passages must hold verbatim
    must_not: tuple[str, ...] = ()  # glued or broken words, footer text
    pages: tuple[tuple[str, int], ...] = ()  # (passage text, printed page it stands on)
    headings: tuple[str, ...] = ()  # from the document's table of contents or outline
    not_headings: tuple[str, ...] = ()  # table cells, totals, footers
    table_row: tuple[str, ...] = ()  # a row's label and figures, found in one table passage
    title: str | None = None  # from the metadata or the cover, never a footer

    @classmethod
    def load(cls, path: Path) -> Expectations:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            name=path.stem,
            pdf=(REPO / raw["pdf"]).resolve(),
            must=tuple(raw.get("must", ())),
            must_not=tuple(raw.get("must_not", ())),
            pages=tuple((probe["text"], probe["page"]) for probe in raw.get("pages", ())),
            headings=tuple(raw.get("headings", ())),
            not_headings=tuple(raw.get("not_headings", ())),
            table_row=tuple(raw.get("table_row", ())),
            title=raw.get("title"),
        )


def all_expectations() -> list[Expectations]:
    return [Expectations.load(path) for path in sorted(EXPECTATIONS.glob("*.json"))]


def words(text: str) -> list[str]:
    """Words as compared: split at white space, outer punctuation off, case folded."""
    found = (_WORD_EDGES.sub("", token).casefold() for token in text.split())
    return [word for word in found if any(c.isalnum() for c in word)]


def reference_pages(pdf: Path) -> list[str]:
    """poppler's text of each page."""
    if not shutil.which("pdftotext"):
        raise SystemExit("pdftotext saknas: installera poppler-utils (apt-get install -y poppler-utils).")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")


def reference_words(pages: Iterable[str]) -> set[str]:
    """Every word of the reference, plus each word cut at a line end made whole
    (with and without its hyphen), plus words broken by a soft hyphen."""
    found: set[str] = set()
    for page in pages:
        lines = [line.split() for line in page.replace("\u00ad\n", "").splitlines()]
        for line, following in zip(lines, lines[1:] + [[]]):
            found.update(words(" ".join(line)))
            if line and following and line[-1].endswith("-"):
                found.update(words(line[-1] + following[0]))
                found.update(words(line[-1][:-1] + following[0]))
    return found


def running_lines(pages: Sequence[str]) -> set[str]:
    """Lines that open or close many pages of the reference: headers and footers."""
    ends: Counter[str] = Counter()
    for page in pages:
        lines = [_masked(line) for line in page.splitlines() if line.strip()]
        ends.update({line for line in lines[:2] + lines[-2:] if len(line) >= _MIN_RUNNING_CHARS})
    needed = max(_MIN_RUNNING_PAGES, _RUNNING_SHARE * len(pages))
    return {line for line, count in ends.items() if count >= needed}


def leaked_running_lines(reference: Sequence[str], passages: Sequence[str]) -> int:
    """How many more times the passages say a running line than the body of the
    reference pages does (a report may well name its own title in a sentence)."""
    running = running_lines(reference)
    bodies = [_masked(" ".join(_without_running(page, running))) for page in reference]
    said = [_masked(text) for text in passages]
    return sum(
        max(0, sum(text.count(line) for text in said) - sum(body.count(line) for body in bodies))
        for line in running
    )


def _without_running(page: str, running: set[str]) -> list[str]:
    """The page's lines less the running lines among its first and last two."""
    lines = [line for line in page.splitlines() if line.strip()]
    ends = set(range(2)) | set(range(len(lines) - 2, len(lines)))
    return [line for k, line in enumerate(lines) if not (k in ends and _masked(line) in running)]


def _masked(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


@dataclass
class Report:
    """The measurements of one document, and what broke among its expectations."""

    name: str
    pages: int
    seconds: float
    words: int
    missing_words: Counter[str]
    leaked: int
    pages_right: int
    pages_probed: int
    headings_found: int
    headings_listed: int
    failures: list[str] = field(default_factory=list)

    @property
    def missing_share(self) -> float:
        return sum(self.missing_words.values()) / max(1, self.words)


def measure(expected: Expectations) -> Report:
    start = time.perf_counter()
    doc = load_document(expected.pdf)
    seconds = time.perf_counter() - start
    reference = reference_pages(expected.pdf)
    known = reference_words(reference)
    passage_words = [word for block in doc.blocks for word in words(block.text)]
    missing = Counter(word for word in passage_words if word not in known)
    leaked = leaked_running_lines(reference, [block.text for block in doc.blocks])
    failures: list[str] = []
    pages_right = sum(_check_page(doc, text, page, failures) for text, page in expected.pages)
    heading_keys = {title_key(title) for path in doc.headings for title in path}
    found = [title for title in expected.headings if title_key(title) in heading_keys]
    failures += [f"rubrik saknas: {title!r}" for title in expected.headings if title not in found]
    failures += [f"ingen rubrik: {title!r}" for title in expected.not_headings if title_key(title) in heading_keys]
    if expected.title and doc.title != expected.title:
        failures.append(f"titel: {doc.title!r}, väntat {expected.title!r}")
    body = "\n".join(block.text for block in doc.blocks)
    failures += [f"saknas: {text!r}" for text in expected.must if text not in body]
    failures += [f"får inte finnas: {text!r}" for text in expected.must_not if text in body]
    if expected.table_row and not any(
        block.kind == "table" and all(part in block.text for part in expected.table_row) for block in doc.blocks
    ):
        failures.append(f"tabellrad saknas: {expected.table_row!r}")
    return Report(expected.name, doc.page_count, seconds, len(passage_words), missing, leaked,
                  pages_right, len(expected.pages), len(found), len(expected.headings), failures)


def _check_page(doc: Document, text: str, page: int, failures: list[str]) -> bool:
    """Whether the passage holding `text` cites `page` for it, as the printed number."""
    for block in doc.blocks:
        at = block.text.find(text)
        if at < 0:
            continue
        cited = block.pages_of(at, at + len(text))
        indexes = block.pdf_pages_of(at, at + len(text))
        printed = bool(indexes) and set(indexes) <= doc.printed_pages
        if cited == (page,) and printed:
            return True
        failures.append(f"sida för {text[:40]!r}: {cited} ({'tryckt' if printed else 'index'}), väntat {page}")
        return False
    failures.append(f"sidprov hittades inte: {text[:40]!r}")
    return False


def compare_libraries(expectations: Sequence[Expectations]) -> None:
    """Whole-document text of each library, against the same reference."""
    readers = _library_readers()
    print("| document | " + " | ".join(f"{name}: not in ref / s per page" for name in readers) + " |")
    print("|---|" + "---|" * len(readers))
    for expected in expectations:
        reference = reference_pages(expected.pdf)
        known = reference_words(reference)
        cells = []
        for read in readers.values():
            start = time.perf_counter()
            text = read(expected.pdf)
            seconds = (time.perf_counter() - start) / max(1, len(reference) - 1)
            # Line-end hyphens are joined the way ingest joins them, so only spacing counts.
            joined = words(re.sub(r"(\w)-\n(\w)", r"\1\2", text))
            share = sum(word not in known for word in joined) / max(1, len(joined))
            cells.append(f"{100 * share:.2f} % / {seconds:.3f}")
        print(f"| {expected.name} | " + " | ".join(cells) + " |")


def _library_readers() -> dict[str, Callable[[Path], str]]:
    import pypdfium2
    from pypdf import PdfReader

    def pdfium(path: Path) -> str:
        # PDFium marks a hyphen it took for a line-end hyphenation as U+FFFE and drops the line end.
        document = pypdfium2.PdfDocument(path)
        return "\n".join(page.get_textpage().get_text_range().replace("\r\n", "\n").replace("\ufffe", "-\n")
                         for page in document)

    def pypdf_plain(path: Path) -> str:
        return "\n".join(page.extract_text() for page in PdfReader(path).pages)

    def pypdf_layout(path: Path) -> str:
        return "\n".join(page.extract_text(extraction_mode="layout") for page in PdfReader(path).pages)

    readers = {"pypdfium2": pdfium, "pypdf": pypdf_plain, "pypdf layout": pypdf_layout}
    try:
        import pdfplumber
    except ImportError:  # only for this comparison: pip install pdfplumber
        return readers

    def plumber(path: Path) -> str:
        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)

    return {**readers, "pdfplumber": plumber}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.extraction", description=__doc__.split("\n\n")[0])
    parser.add_argument("expectations", nargs="*", type=Path, help="expectations files (default: tests/data/realpdfs)")
    parser.add_argument("--libraries", action="store_true", help="compare text-layer libraries instead")
    parser.add_argument("--show", type=int, default=0, help="print the N commonest words not in the reference")
    args = parser.parse_args(argv)
    expectations = [Expectations.load(path) for path in args.expectations] or all_expectations()
    if args.libraries:
        compare_libraries(expectations)
        return 0
    print("| document | pages | words not in reference | leaked running lines | page numbers right "
          "| headings found | s/page |")
    print("|---|---|---|---|---|---|---|")
    broken = 0
    for expected in expectations:
        report = measure(expected)
        print(f"| {report.name} | {report.pages} | {100 * report.missing_share:.2f} % | {report.leaked} "
              f"| {report.pages_right}/{report.pages_probed} | {report.headings_found}/{report.headings_listed} "
              f"| {report.seconds / report.pages:.3f} |")
        if args.show:
            print("    " + ", ".join(f"{word} ({n})" for word, n in report.missing_words.most_common(args.show)))
        for failure in report.failures:
            print(f"    {failure}")
        broken += bool(report.failures)
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
