"""Reading typeset PDF reports: layout decides what is a heading and what is noise."""
from __future__ import annotations

import pytest

from ingest import load_document
from ingest.errors import IngestError
from ingest.pdf import read_pdf
from tests.ingest_pdf_factory import HEADER, Text, body, make_pdf, sample_report

@pytest.fixture(scope="module")
def blocks():
    return read_pdf(make_pdf(sample_report(), title="Testrapport 2030")).blocks


def test_headings_are_told_by_size_and_weight(blocks) -> None:
    assert list(dict.fromkeys(block.section for block in blocks)) == [
        ("Kapitel ett", "Bakgrund", "Första delen"),
        ("Kapitel två", "Bakgrund"),
        ("Kapitel två", "Bakgrund", "Länsträffen"),
        ("Kapitel två", "Samverkan"),
    ]


def test_body_text_is_clean(blocks) -> None:
    assert [block.text for block in blocks] == [
        "Rapporten beskriver läget i länet. Förslaget från EU-kommissionen gäller hälso- och sjukvård"
        " i hela länet.",
        "Det gångna året har präglats av stora omställningar. Det är utmaningar som byggts upp under lång tid.",
        "Samarbetet med NSPA-regionerna fortsätter.",
        "Tre inriktningar styr arbetet:",
        "- Sammanhållen region",
        "- Jämlik inkludering",
        "Exempel på aktiviteter",
        "Länsträffen samlar kommunerna två gånger per år.",
        "Region Västerbotten samverkar med länets kommuner.",
    ]


def test_printed_page_numbers_are_used_and_cut_paragraphs_know_their_pages(blocks) -> None:
    assert [block.pages for block in blocks] == [(12,), (12, 13), (13,), (14,), (14,), (14,), (14,), (14,), (15,)]
    cut = blocks[1]
    assert cut.pages_of(0, cut.text.index(".")) == (12,)
    assert cut.pages_of(cut.text.index("Det är"), len(cut.text)) == (12, 13)


def test_title_comes_from_metadata_else_from_the_first_pages_largest_text() -> None:
    pages = sample_report()
    assert read_pdf(make_pdf(pages, title="Årsrapport 2030")).title == "Årsrapport 2030"
    pages[0].insert(2, Text(760, 24, "Resultat Testlänet 2030", "bold"))
    assert read_pdf(make_pdf(pages)).title == "Resultat Testlänet 2030"
    pages[0][2] = Text(760, 10, "Resultat Testlänet 2030", "bold")
    assert read_pdf(make_pdf(pages)).title != HEADER  # the running header is never the title


def test_pages_without_a_printed_number_keep_their_place_in_the_file() -> None:
    pages = [[Text(720, 18, "Kapitel", "bold"), *body(690, f"Text på sida {n}.")] for n in range(1, 4)]
    pages += [[Text(720, 18, "Kapitel två", "bold"), *body(690, "Sista sidan.")]]
    extracted = read_pdf(make_pdf(pages))
    assert [block.pages for block in extracted.blocks] == [(1,), (2,), (3,), (4,)]
    assert extracted.page_count == 4


def test_encrypted_pdf_is_refused() -> None:
    with pytest.raises(IngestError, match="krypterad"):
        read_pdf(make_pdf(sample_report(), password="hemligt"))


def test_pdf_without_a_text_layer_is_refused() -> None:
    with pytest.raises(IngestError, match="ingen text"):
        read_pdf(make_pdf([[], []]))


def test_truncated_pdf_is_refused() -> None:
    data = make_pdf(sample_report())
    with pytest.raises(IngestError, match="skadad"):
        read_pdf(data[: len(data) // 2])


def test_pdf_with_all_text_in_one_style_is_refused() -> None:
    pages = [[*body(700, "Bara brödtext här.", "Inga rubriker alls.")] for _ in range(3)]
    with pytest.raises(IngestError, match="Inga rubriker"):
        read_pdf(make_pdf(pages))


def test_scanned_pages_are_reported_not_skipped_silently(tmp_path) -> None:
    pages = sample_report()
    pages.insert(2, [])
    path = tmp_path / "rapport.pdf"
    path.write_bytes(make_pdf(pages, title="Testrapport 2030", scanned=(2,)))
    doc = load_document(path)
    assert doc.warnings and "Sidorna 3 " in doc.warnings[0] and "OCR" in doc.warnings[0]
    assert doc.blocks[0].text.startswith("Rapporten beskriver")


def test_passages_know_their_pdf_page_beside_the_printed_one(blocks) -> None:
    assert [block.pdf_pages for block in blocks][:3] == [(2,), (2, 3), (3,)]
    assert [block.pages for block in blocks][:3] == [(12,), (12, 13), (13,)]


def test_the_pdf_outline_gives_heading_levels_and_printed_start_pages() -> None:
    pages = sample_report()
    pages[1][4] = Text(665, 13, "Första delen", "bold")  # set like a section, listed as a subsection
    outline = (("Kapitel ett", 1, 1), ("Bakgrund", 1, 2), ("Första delen", 1, 3), ("Kapitel två", 3, 1))
    extracted = read_pdf(make_pdf(pages, bookmarks=outline))
    assert [(entry.title, entry.level, entry.page) for entry in extracted.outline] == [
        ("Kapitel ett", 1, 12), ("Bakgrund", 2, 12), ("Första delen", 3, 12), ("Kapitel två", 1, 14),
    ]
    assert extracted.blocks[0].section == ("Kapitel ett", "Bakgrund", "Första delen")


def test_without_an_outline_the_table_of_contents_is_the_outline() -> None:
    extracted = read_pdf(make_pdf(sample_report()))
    assert [(entry.title, entry.page) for entry in extracted.outline] == [
        ("Kapitel ett", 12), ("Bakgrund", 12), ("Kapitel två", 14), ("Samverkan", 15),
    ]


def test_soft_hyphens_join_and_suspended_hyphens_stay() -> None:
    lines = ["Regionens utveckling i Väster\u00ad", "botten går framåt och ut-", "maningarna möts av", "Kultur-",
             "och fritidsnämnden och EU-", "kommissionen."]
    pages = [[Text(720, 18, f"Kapitel {n}", "bold"), *body(690, *lines)] for n in (1, 2)]
    assert read_pdf(make_pdf(pages)).blocks[0].text == (
        "Regionens utveckling i Västerbotten går framåt och utmaningarna möts av Kultur- och fritidsnämnden"
        " och EU-kommissionen."
    )
