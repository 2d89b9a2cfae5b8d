"""Reading plain-text and Markdown reports."""
from __future__ import annotations

import pytest

from ingest.errors import IngestError
from ingest.text import read_text

TOC_REPORT = """Testrapport 2030

Innehållsförteckning

Kapitel ett.....\t3
Bakgrund.....\t3
Samverkan.....\t4
Kapitel två\t6
Bakgrund\t6
Samverkan.....\t7

Kapitel ett

Bakgrund

Länet växer

Befolkningen ökar. Det är ut-

maningar som vuxit länge.

Foto: Anna Andersson
Älven i kvällsljus

Samverkan

Region Västerbotten samverkar med EU-
kommissionen.

Kapitel två

Bakgrund

Tre inriktningar styr:
- Sammanhållen region
- Jämlik inkludering
"""


def sections(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(block.text, block.section) for block in read_text(text).blocks]


def test_toc_gives_chapters_and_sections_and_line_shape_gives_subsections() -> None:
    assert sections(TOC_REPORT) == [
        ("Befolkningen ökar. Det är utmaningar som vuxit länge.", ("Kapitel ett", "Bakgrund", "Länet växer")),
        ("Region Västerbotten samverkar med EU-kommissionen.", ("Kapitel ett", "Samverkan")),
        ("Tre inriktningar styr:", ("Kapitel två", "Bakgrund")),
        ("- Sammanhållen region", ("Kapitel två", "Bakgrund")),
        ("- Jämlik inkludering", ("Kapitel två", "Bakgrund")),
    ]


def test_text_without_form_feeds_has_no_pages() -> None:
    extracted = read_text(TOC_REPORT)
    assert extracted.page_count == 0
    assert all(block.pages == () for block in extracted.blocks)
    assert extracted.title == "Testrapport 2030"


def test_a_signed_foreword_before_the_toc_keeps_its_signature_without_pages() -> None:
    """Headings right above the table of contents' title go with it only on its page: without
    pages to compare, the signature "Anna Andersson" over her title was once dropped as a cover."""
    foreword = ("Testrapport 2030\n\nDenna rapport visar hur länet utvecklats under året som gått.\n\n"
                "Anna Andersson\n\nRegional utvecklingsdirektör\n\n")
    texts = [text for text, _ in sections(foreword + TOC_REPORT.split("\n\n", 1)[1])]
    assert texts[:3] == ["Denna rapport visar hur länet utvecklats under året som gått.", "Anna Andersson",
                         "Regional utvecklingsdirektör"]


def test_form_feeds_split_pages() -> None:
    extracted = read_text("# Rapport\n\nSida ett börjar en mening som\f\nfortsätter på sida två.\n\n"
                          "## Del\f\nText.\n")
    assert extracted.page_count == 3
    first, second = extracted.blocks
    assert first.text == "Sida ett börjar en mening som fortsätter på sida två."
    assert first.pages == (1, 2)
    assert first.pages_of(first.text.index("fortsätter"), len(first.text)) == (2,)
    assert (second.pages, second.section) == ((3,), ("Rapport", "Del"))


def test_markdown_headings_set_the_levels() -> None:
    text = (
        "# Årsrapport 2030\n\nInledning.\n\n## Omvärld ##\n\nText om omvärlden.\n\n"
        "### Digitalisering\n\nMer text.\n\n#### Djupare\n\nDjup text.\n"
    )
    extracted = read_text(text)
    assert extracted.title == "Årsrapport 2030"
    assert [(b.text, b.section) for b in extracted.blocks] == [
        ("Inledning.", ("Årsrapport 2030",)),
        ("Text om omvärlden.", ("Årsrapport 2030", "Omvärld")),
        ("Mer text.", ("Årsrapport 2030", "Omvärld", "Digitalisering")),
        ("Djup text.", ("Årsrapport 2030", "Omvärld", "Djupare")),
    ]


def test_markdown_turns_off_line_shape_headings() -> None:
    assert sections("# Rapport\n\nKort rad\n\nEn mening.\n") == [
        ("Kort rad", ("Rapport",)),
        ("En mening.", ("Rapport",)),
    ]


def test_toc_lines_are_never_headings_or_text() -> None:
    text = "Rapport\n\nInnehåll\n\nDel A\t2\nDel B\t3\n\nDel A\n\nText a.\n\nDel B\n\nText b.\n"
    assert sections(text) == [("Text a.", ("Del A",)), ("Text b.", ("Del B",))]


def test_indented_toc_entries_are_sections() -> None:
    text = (
        "Innehåll\nDel A\t2\n  Mål\t2\nDel B\t3\n  Medel\t3\n\n"
        "Del A\n\nMål\n\nText a.\n\nDel B\n\nMedel\n\nText b.\n"
    )
    assert sections(text) == [("Text a.", ("Del A", "Mål")), ("Text b.", ("Del B", "Medel"))]


def test_a_heading_line_first_in_a_paragraph_is_split_from_its_text() -> None:
    text = "Jämn representation\nEftersträvar jämn representation vid workshops.\n"
    assert sections(text) == [("Eftersträvar jämn representation vid workshops.", ("Jämn representation",))]


def test_hard_wrapped_paragraph_is_not_mistaken_for_a_heading() -> None:
    text = "Rapport\n\nDet här stycket är radbrutet och första raden\nfortsätter med gemener på nästa rad.\n"
    assert sections(text) == [
        ("Det här stycket är radbrutet och första raden fortsätter med gemener på nästa rad.", ("Rapport",)),
    ]


def test_text_without_headings_is_refused() -> None:
    with pytest.raises(IngestError, match="Inga rubriker"):
        read_text("Det här är bara en mening. Och en till.\n\nOch ett stycke till, utan rubriker.\n")


def test_blank_text_is_refused() -> None:
    with pytest.raises(IngestError, match="ingen text"):
        read_text(" \n\t\n")
