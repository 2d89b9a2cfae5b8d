"""Clean-up rules shared by the PDF and text readers."""
from __future__ import annotations

import pytest

from ingest.clean import (
    Heading,
    Para,
    TocLine,
    as_list_item,
    assemble,
    continues,
    is_caption,
    is_photo_credit,
    join_lines,
    join_pair,
    looks_like_heading,
    normalize_space,
    toc_entry,
)
from ingest.model import Block


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("Det är ut-", "maningar och kriser", "Det är utmaningar och kriser"),
        ("förslag från EU-", "kommissionen", "förslag från EU-kommissionen"),
        ("de fyra NSPA-", "regionerna", "de fyra NSPA-regionerna"),
        ("ett nytt S3-", "forum", "ett nytt S3-forum"),
        ("mellan 2020-", "2030", "mellan 2020-2030"),
        ("resan Umeå-", "Stockholm", "resan Umeå-Stockholm"),
        ("inom hälso-", "och sjukvården", "inom hälso- och sjukvården"),
        ("bevaknings-", "eller påverkansarbete", "bevaknings- eller påverkansarbete"),
        ("inom ra-", "men för planen", "inom ramen för planen"),
        ("tre delar -", "en för gods", "tre delar - en för gods"),
        ("en vanlig rad", "och nästa", "en vanlig rad och nästa"),
    ],
)
def test_join_pair_undoes_cut_words_but_keeps_real_hyphens(left: str, right: str, joined: str) -> None:
    assert join_pair(left, right) == joined


def test_join_pair_keeps_the_right_part_whole_at_the_end() -> None:
    joined = join_pair("Det är ut-", "maningar")
    assert joined[len(joined) - len("maningar") :] == "maningar"


def test_join_lines_normalises_space_and_skips_blank_lines() -> None:
    assert join_lines(["  Region  Väster-", "", "botten\u00ad har\u00a0 ", "ett nytt\tuppdrag."]) == (
        "Region Västerbotten har ett nytt uppdrag."
    )


def test_normalize_space_drops_zero_width_characters() -> None:
    assert normalize_space("in\u200bnovation \n ledning\ufeff") == "innovation ledning"


@pytest.mark.parametrize(
    ("previous", "following", "expected"),
    [
        ("krav ställs på", "ett fåtal personer", True),
        ("Det är ut-", "maningar", True),
        ("ägs av", "Region Västerbotten tillsammans", True),
        ("innovationsmyndighet;", "Vinnova.", True),
        ("Det är klart.", "och sedan", False),
        ("Det frågas: varför?", "eftersom", False),
        ("Tre inriktningar", "- Sammanhållen region", False),
        ("en sammanhållen region", "Jämlik inkludering", False),
    ],
)
def test_continues_tells_a_cut_paragraph_from_a_new_one(previous: str, following: str, expected: bool) -> None:
    assert continues(previous, following) is expected


@pytest.mark.parametrize(
    ("line", "item"),
    [("- ett", "- ett"), ("• två", "- två"), ("* tre", "- tre"), ("– fyra", "- fyra"), ("*Keystone*, ett", None),
     ("-5 grader", None), ("Vanlig rad", None)],
)
def test_as_list_item_normalises_bullets(line: str, item: str | None) -> None:
    assert as_list_item(line) == item


def test_photo_credits_and_captions() -> None:
    assert is_photo_credit("Foto: Anna-Karin Drugge")
    assert is_photo_credit("  bild: Region Västerbotten")
    assert not is_photo_credit("Fotografiet visar älven.")
    assert is_caption("Isälvsleden")
    assert not is_caption("Bilden visar hur isälvsleden ser ut på vintern.")


@pytest.mark.parametrize(
    ("line", "entry"),
    [
        ("Omvärldsanalys.....\t8", ("Omvärldsanalys", 8)),
        ("Agenda 2030\t20", ("Agenda 2030", 20)),
        ("Agenda 2030 . . . 35", ("Agenda 2030", 35)),
        ("Omvärldsanalys..... . . . 86", ("Omvärldsanalys", 86)),
        ("Kontakt för mer information … 100", ("Kontakt för mer information", 100)),
        ("Mål 3,4,5, 10, 11 och 16 i Agenda 2030", None),
        ("Befolkningen var 280 000", None),
    ],
)
def test_toc_entry(line: str, entry: tuple[str, int] | None) -> None:
    assert toc_entry(line) == entry


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Omvärldsanalys", True),
        ("Hur ska rapporten läsas?", True),
        ("Ett urval av insatser i länet avseende kommersiell service och satsningar på företag", True),
        ("Detta är en mening.", False),
        ("Föregångare i omställningen:", False),
        ("En rapport för NSPA-", False),
        ("Maria Falck, Enhetschef, 090-785 71 93, maria.falck@regionvasterbotten.se", False),
        (" ".join(["ord"] * 15), False),
        ("10,5255,4015,124", False),  # a table total
        ("2 0 2 5", False),
        ("6.13 TRAFIK", True),
    ],
)
def test_looks_like_heading(text: str, expected: bool) -> None:
    assert looks_like_heading(text) is expected


def test_assemble_builds_heading_paths_and_resets_lower_levels() -> None:
    blocks = assemble([
        Heading(1, "Kapitel ett", 3), Heading(2, "Bakgrund", 3), Heading(3, "Detaljer", 3), Para("Text A.", 3),
        Heading(2, "Samverkan", 4), Para("Text B.", 4),
        Heading(1, "Kapitel två", 5), Para("Text C.", 5),
    ])
    assert [(b.text, b.section) for b in blocks] == [
        ("Text A.", ("Kapitel ett", "Bakgrund", "Detaljer")),
        ("Text B.", ("Kapitel ett", "Samverkan")),
        ("Text C.", ("Kapitel två",)),
    ]


def test_assemble_drops_the_table_of_contents_with_its_title() -> None:
    blocks = assemble([Heading(1, "Innehåll", 2), TocLine(), TocLine(), Heading(1, "Kapitel", 3), Para("Text.", 3)])
    assert [(b.text, b.section) for b in blocks] == [("Text.", ("Kapitel",))]


def test_a_cover_title_on_the_contents_page_goes_with_it_a_signature_on_the_page_before_stays() -> None:
    blocks = assemble([
        Heading(3, "Rapport 2030", 1), Para("Förord.", 2), Heading(3, "Patrik Sällström", 3),
        Heading(3, "Regional utvecklingsdirektör", 3), Heading(1, "Rapport 2030", 4), Heading(1, "Innehåll", 4),
        TocLine(), Heading(1, "Kapitel", 5), Para("Text.", 5),
    ])
    assert [(b.text, b.section) for b in blocks] == [
        ("Förord.", ("Rapport 2030",)),
        # Read as two headings over nothing, the name as a heading over the title: both are text.
        ("Patrik Sällström", ("Rapport 2030",)), ("Regional utvecklingsdirektör", ("Rapport 2030",)),
        ("Text.", ("Kapitel",)),
    ]


def test_assemble_keeps_a_subsection_heading_over_nothing_as_text() -> None:
    blocks = assemble([
        Heading(1, "Kapitel", 1), Heading(3, "Exempel på aktiviteter", 1), Heading(3, "Länsträffen", 1),
        Para("Träffen samlar kommunerna.", 1), Heading(3, "Patrik Sällström", 2),
    ])
    assert [(b.text, b.section) for b in blocks] == [
        ("Exempel på aktiviteter", ("Kapitel",)),
        ("Träffen samlar kommunerna.", ("Kapitel", "Länsträffen")),
        ("Patrik Sällström", ("Kapitel", "Länsträffen")),
    ]


def test_assemble_reads_a_bold_sentence_start_as_text() -> None:
    blocks = assemble([
        Heading(1, "Kapitel", 1), Heading(3, "Under hösten lanserades världens första", 1),
        Para("kravstandard för innovationsledning.", 1),
    ])
    assert [(b.text, b.section) for b in blocks] == [
        ("Under hösten lanserades världens första kravstandard för innovationsledning.", ("Kapitel",)),
    ]


def test_assemble_rejoins_a_paragraph_cut_by_a_page_break_and_keeps_page_offsets() -> None:
    blocks = assemble([Heading(1, "Kapitel", 9), Para("Ett år av stora omställningar. Det är ut-", 9),
                       Para("maningar som vuxit länge.", 10), Para("Ny mening här.", 10)])
    first = blocks[0]
    assert first.text == "Ett år av stora omställningar. Det är utmaningar som vuxit länge."
    assert first.pages == (9, 10)
    assert first.page_starts == (0, first.text.index("maningar"))
    assert first.pages_of(0, 10) == (9,)
    assert first.pages_of(first.text.index("Det är"), len(first.text)) == (9, 10)
    assert blocks[1] == Block("Ny mening här.", (10,), ("Kapitel",), (0,))


def test_assemble_never_joins_across_headings_or_into_list_items() -> None:
    blocks = assemble([Heading(1, "A", 1), Para("slutar utan punkt", 1), Heading(2, "B", 1), Para("fortsätter", 1),
                       Para("- punkt", 1)])
    assert [b.text for b in blocks] == ["slutar utan punkt", "fortsätter", "- punkt"]


def test_blocks_without_pages_have_no_page_offsets() -> None:
    (block,) = assemble([Heading(1, "A", None), Para("Text.", None)])
    assert block.pages == () and block.page_starts == ()
    assert block.pages_of(0, 3) == ()


def test_a_heading_over_a_lower_case_list_item_stays_a_heading() -> None:
    blocks = assemble([Heading(1, "Kapitel", 1), Heading(3, "Mål", 1), Para("- ett sammanhållet arbete", 1)])
    assert [(b.text, b.section) for b in blocks] == [("- ett sammanhållet arbete", ("Kapitel", "Mål"))]


def test_a_repeated_chapter_title_is_a_section_of_the_current_chapter() -> None:
    blocks = assemble([
        Heading(1, "Västerbotten – En nära region", 3), Para("Text.", 3),
        Heading(1, "Kontakt", 9), Para("Kontakta oss.", 9),
        Heading(1, "Västerbotten – En nära region", 9), Para("Anna, 070-123 45 67.", 9),
        Heading(3, "Västerbotten - en nära region", 9), Para("Bo, 070-765 43 21.", 9),
    ])
    assert [b.section for b in blocks] == [
        ("Västerbotten – En nära region",),
        ("Kontakt",),
        ("Kontakt", "Västerbotten – En nära region"),
        ("Kontakt", "Västerbotten – En nära region"),
    ]


def test_a_soft_hyphen_at_a_line_end_joins_the_word_whatever_its_letters() -> None:
    assert join_lines(["Region Väster\u00ad", "botten och Umeå\u00ad", "Stockholm"]) == "Region Västerbotten och UmeåStockholm"
    assert join_lines(["Kultur-", "och fritidsnämnden"]) == "Kultur- och fritidsnämnden"


def test_a_footnote_waits_until_the_paragraph_cut_around_it_is_whole() -> None:
    blocks = assemble([Heading(1, "Kapitel", 9, 10), Para("Stora björkar och", 9, 10),
                       Para("12 Källa: Skogsstyrelsen.", 9, 10, "footnote"),
                       Para("lindar har stort värde.", 10, 11), Para("Nästa stycke.", 10, 11)])
    assert [(b.text, b.pages, b.pdf_pages, b.kind) for b in blocks] == [
        ("Stora björkar och lindar har stort värde.", (9, 10), (10, 11), "text"),
        ("12 Källa: Skogsstyrelsen.", (9,), (10,), "footnote"),
        ("Nästa stycke.", (10,), (11,), "text"),
    ]


def test_table_rows_are_never_joined_to_their_neighbours() -> None:
    blocks = assemble([Heading(1, "Budget", 3), Para("Intäkter — 2024 10 135", 3, kind="table"),
                       Para("och mer text", 3)])
    assert [b.kind for b in blocks] == ["table", "text"]
