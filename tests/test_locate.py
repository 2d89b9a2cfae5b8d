"""Passages found on their PDF pages: boxes from the text layer (ingest/locate.py)."""
from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from eval.bench_locate import measure
from ingest.locate import locate_chunks, locate_span, normalise, text_in_boxes
from ingest.model import Chunk
from qa.settings import REPO_ROOT
from tests.ingest_pdf_factory import PAGE_HEIGHT, make_pdf, sample_report

REAL_PDF = REPO_ROOT / "tests" / "data" / "viewer" / "mark-planbeskrivning-ubbhult.pdf"
BUNDLED_PDF = REPO_ROOT / "data" / "resultat-vasterbotten-2024.pdf"


def boxed(path: Path, boxes) -> str:
    with closing(pdfium.PdfDocument(str(path))) as pdf:
        return text_in_boxes(pdf, boxes)


@pytest.fixture()
def sample_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "testrapport.pdf"
    path.write_bytes(make_pdf(sample_report(), title="Testrapport 2030"))
    return path


def test_normalise_keeps_letters_and_digits_and_where_they_came_from():
    norm, origin = normalise("Ut-\nmaningar, ﬁnns 280 000!")
    assert norm == "utmaningarfinns280000"
    assert origin[:3] == [0, 1, 4] and origin[10:12] == [14, 14]  # "-\n" skipped; the ligature gives two letters


def test_paragraph_broken_across_pages_gets_a_box_per_line_on_both_pages(sample_pdf: Path):
    text = "Det gångna året har präglats av stora omställningar. Det är utmaningar som byggts upp under lång tid."
    [broken] = locate_chunks(sample_pdf, [Chunk("t:0001", "t", text, (12, 13), ("Kapitel ett", "Bakgrund"), 20)])
    assert broken.pdf_pages == (2, 3)
    # lines at baselines 130 and 117 on PDF page 2, 650 on page 3: no footer, no photo credit between
    assert [box[0] for box in broken.boxes] == [2, 2, 3]
    for (_, _, top, _, bottom), baseline in zip(broken.boxes, (130, 117, 650)):
        assert PAGE_HEIGHT - bottom <= baseline + 1 and PAGE_HEIGHT - top >= baseline + 6
    assert boxed(sample_pdf, broken.boxes) == normalise(broken.text)[0]
    # the answering sentence alone: the end of the second line ("Det är ut-") and the line on page 3
    start = broken.text.index("Det är")
    sentence = locate_span(sample_pdf, broken, start, len(broken.text))
    assert [box[0] for box in sentence] == [2, 3]
    assert sentence[0][1] > broken.boxes[1][1] + 50  # starts mid-line
    assert boxed(sample_pdf, sentence) == normalise(broken.text[start:])[0]


def test_text_not_in_the_pdf_gets_no_boxes_and_keeps_its_pages(sample_pdf: Path):
    stranger = Chunk("t:0002", "t", "Denna mening står inte någonstans i rapporten alls.", (12,), ("Kapitel ett",), 9)
    [located] = locate_chunks(sample_pdf, [stranger])
    assert located.boxes == () and located.pdf_pages == () and located.pages == (12,)


def test_a_phrase_met_earlier_by_chance_does_not_decide_where_a_passage_is(sample_pdf: Path):
    # "Region Västerbotten" alone (18 letters) occurs nowhere else here, but the rule is what matters:
    # a short first match is not trusted; the passage is found where all of it stands.
    text = "Region Västerbotten samverkar med länets kommuner."
    [located] = locate_chunks(sample_pdf, [Chunk("t:0003", "t", text, (15,), ("Kapitel två",), 9)])
    assert located.pdf_pages == (5,)
    assert boxed(sample_pdf, located.boxes) == normalise(text)[0]


@pytest.mark.parametrize("pdf, page_offset", [(BUNDLED_PDF, 0), (REAL_PDF, 1)], ids=["bundled", "ubbhult"])
def test_every_passage_of_a_real_report_is_found_on_its_pages(pdf: Path, page_offset: int):
    """The bundled report prints PDF page numbers; the Ubbhult plan counts from the page after the cover."""
    located = measure(pdf)
    assert located.boxed == 1.0 and located.offset == page_offset
    assert located.shown >= 0.97 and located.on_pages >= 0.97
