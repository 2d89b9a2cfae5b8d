"""The bundled report, read from PDF and from text: the quality bar for ingest."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest import Chunk, Document, ingest_file
from ingest.chunk import split_sentences
from ingest.clean import ends_sentence, normalize_space, toc_entry
from ingest.structure import TOC_TITLE

DATA = Path(__file__).resolve().parent.parent / "data"
PDF = DATA / "resultat-vasterbotten-2024.pdf"
TXT = DATA / "resultat-vasterbotten-2024.txt"


@pytest.fixture(scope="module")
def from_pdf() -> tuple[Document, list[Chunk]]:
    return ingest_file(PDF, max_tokens=200, overlap=40)


@pytest.fixture(scope="module")
def from_txt() -> tuple[Document, list[Chunk]]:
    return ingest_file(TXT, max_tokens=200, overlap=40)


def paragraphs(chunks: list[Chunk]) -> list[str]:
    return [paragraph for chunk in chunks for paragraph in chunk.text.split("\n\n")]


def test_identity(from_pdf) -> None:
    doc, _ = from_pdf
    assert (doc.title, doc.report_id, doc.page_count) == ("Resultat Västerbotten 2024", "2024", 131)


def test_chapters_and_sections(from_pdf) -> None:
    doc, _ = from_pdf
    chapters = {path[0] for path in doc.headings}
    assert {
        "Västerbotten – En nytänkande och smart region",
        "Västerbotten – En region med platsbaserad hållbar näringslivsutveckling",
        "Västerbotten – En nära tillgänglig region",
        "Västerbotten – En region med hållbara livsmiljöer att bo, verka och leva i",
        "Västerbotten – En hälsofrämjande region",
        "Västerbotten – En region rik på kompetenser",
        "Regionala utvecklingsuppdraget (samtliga prioriteringar RUS 2020–2030)",
    } <= chapters
    sections = {path[:2] for path in doc.headings if path[0] == "Västerbotten – En nära tillgänglig region"}
    assert {("Västerbotten – En nära tillgänglig region", name) for name in (
        "Omvärldsanalys", "Region Västerbottens bidrag", "Samverkan", "Sammanhållen region",
        "Jämlik och jämställd inkludering", "Föregångare i omställning", "Agenda 2030",
        "Ett urval av insatser i länet",
    )} <= sections
    assert ("Västerbotten – En nytänkande och smart region", "Omvärldsanalys",
            "Omvärlden påverkar digitalisering") in doc.headings
    assert "Innehållsförteckning" not in {title for path in doc.headings for title in path}


def test_no_running_headers_page_numbers_or_photo_credits(from_pdf) -> None:
    _, chunks = from_pdf
    texts = paragraphs(chunks)
    assert not [p for p in texts if p.startswith("Resultat Västerbotten 2024") and len(p) < 40]
    assert not [p for p in texts if re.search(r"(^|\s)\d{1,3}$", p) and not ends_sentence(p) and len(p) < 10]
    assert not [p for p in texts if re.search(r"\bFoto:", p)]
    assert not [p for p in texts if "Isälvsleden" in p]
    assert not [p for p in texts if toc_entry(p)]


def test_words_cut_at_a_break_are_rejoined_and_real_hyphens_kept(from_pdf) -> None:
    text = " ".join(chunk.text for chunk in from_pdf[1])
    assert "Det är utmaningar och kriser som byggts upp" in text
    assert "ut- maningar" not in text and "ut-maningar" not in text
    assert "introducerade EU-kommissionen termen S4" in text
    assert "NSPA-regionerna" in text
    assert "bevaknings- och påverkansarbete" in text


def test_passage_cites_the_printed_page_it_is_on(from_pdf) -> None:
    _, chunks = from_pdf
    passage = "Västerbottens ökande befolkning passerade under året 280 000 invånare"
    hits = [chunk for chunk in chunks if passage in chunk.text]
    assert hits and hits[0].page == 6
    assert hits[0].section == ("Översikt över rapporten", "En tid av samhällsomvandling")


def test_chunks_respect_size_and_boundaries(from_pdf) -> None:
    doc, chunks = from_pdf
    # The outline's passages ("toc", ingest/structure.py) list a chapter's or a section's TOC lines whole,
    # under ("Innehållsförteckning", chapter[, section]); the body passages keep the size and the report's sections.
    body = [chunk for chunk in chunks if chunk.kind != "toc"]
    assert all(chunk.n_tokens <= 200 for chunk in body)
    assert all(chunk.pages and chunk.section for chunk in chunks)
    assert [chunk.id for chunk in chunks] == [f"2024:{n:04d}" for n in range(len(chunks))]
    assert {chunk.section for chunk in body} <= set(doc.headings)
    assert all(chunk.section[0] == TOC_TITLE and chunk.section[1:] in {h[:len(chunk.section) - 1] for h in doc.headings}
               for chunk in chunks if chunk.kind == "toc")


def test_text_and_pdf_find_the_same_chapters_and_sections(from_pdf, from_txt) -> None:
    pdf_paths = {path[:2] for path in from_pdf[0].headings}
    txt_paths = {path[:2] for path in from_txt[0].headings}
    assert pdf_paths == txt_paths
    pdf_all, txt_all = set(from_pdf[0].headings), set(from_txt[0].headings)
    assert len(pdf_all & txt_all) >= 0.99 * len(pdf_all | txt_all)


def test_nearly_every_txt_sentence_is_in_the_pdf_body(from_pdf) -> None:
    """Measured: 2269 of 2270 (the one missing is a heading, "Hur ska rapporten läsas?")."""
    body = " ".join(block.text for block in from_pdf[0].blocks)
    lines = [line for line in TXT.read_text(encoding="utf-8").splitlines() if not toc_entry(line)]
    sentences = [sentence for line in lines for sentence in split_sentences(normalize_space(line))
                 if ends_sentence(sentence) and len(sentence.split()) >= 4]
    found = sum(sentence in body for sentence in sentences)
    assert len(sentences) > 2000
    assert found / len(sentences) >= 0.995


def test_pdf_and_text_readers_agree_on_the_body(from_pdf, from_txt) -> None:
    """Measured: 2482 of 2483 text-reader sentences in the PDF body, 2486 of 2487 the other way."""
    pdf_blocks, txt_blocks = from_pdf[0].blocks, from_txt[0].blocks
    for ours, theirs in ((txt_blocks, pdf_blocks), (pdf_blocks, txt_blocks)):
        body = " ".join(block.text for block in theirs)
        sentences = [sentence for block in ours for sentence in split_sentences(block.text)]
        assert sum(sentence in body for sentence in sentences) / len(sentences) >= 0.998


def test_contact_list_sits_under_its_own_chapter(from_pdf) -> None:
    _, chunks = from_pdf
    (contact,) = [chunk for chunk in chunks if "maria.falck@regionvasterbotten.se" in chunk.text]
    assert contact.section == ("Kontakt för mer information", "Västerbotten – En hälsofrämjande region")
    assert contact.pages == (130,)
