"""Signatures: a text signed by name and title becomes a contact passage; look-alikes do not."""
from __future__ import annotations

from ingest.chunk import chunk_document
from ingest.model import Block, Document
from ingest.signature import find_signatures

TITLE = "Resultat Västerbotten 2024"
FOREWORD = ("Denna rapport är en del i uppföljningen av den regionala utvecklingsstrategin. Jag hoppas att "
            "den inspirerar till ytterligare samarbete för ett Västerbotten som leder vägen.")
CHAPTER = ("Översikt över rapporten", "Andra året")


def blocks_before_a_chapter(*tail: Block, section: tuple[str, ...] = (TITLE,)) -> tuple[Block, ...]:
    """The foreword's prose on page 2, `tail` after it, then the first chapter's text."""
    return (Block(FOREWORD, (2,), section, (0,), (2,)), *tail,
            Block("Rapporten publiceras för andra gången.", (5,), CHAPTER, (0,), (5,)))


def line(text: str, page: int = 3, section: tuple[str, ...] = (TITLE,), kind: str = "text") -> Block:
    return Block(text, (page,), section, (0,), (page,), kind)


def test_the_foreword_signed_by_name_and_title() -> None:
    [signature] = find_signatures(blocks_before_a_chapter(line("Patrik Sällström"),
                                                          line("Regional utvecklingsdirektör")), TITLE)
    assert signature.foreword
    assert signature.lines() == [
        "Undertecknare: Patrik Sällström, Regional utvecklingsdirektör.",
        "Undertecknar förordet (inledningsorden till läsaren före innehållsförteckningen), s. 2.",
        "Patrik Sällström: regional direktör för utveckling.",
    ]


def test_a_titled_section_is_named_by_its_heading() -> None:
    section = ("Förord",)
    [signature] = find_signatures(blocks_before_a_chapter(
        line("Anna Svensson", section=section), line("Regionkulturchef", section=section), section=section), TITLE)
    assert not signature.foreword
    assert signature.lines()[1] == "Undertecknar texten under rubriken «Förord», s. 2."


def test_prose_followed_by_a_heading_is_no_signature() -> None:
    assert find_signatures(blocks_before_a_chapter(), TITLE) == []
    # A name and a title that more text of the section follows are not its end.
    assert find_signatures(blocks_before_a_chapter(
        line("Patrik Sällström"), line("Regional utvecklingsdirektör"), line(FOREWORD)), TITLE) == []


def test_a_photo_credit_is_no_signature() -> None:
    assert find_signatures(blocks_before_a_chapter(line("Foto: Anna-Karin Drugge"), line("Isälvsleden")), TITLE) == []


def test_a_contact_entry_is_no_signature() -> None:
    assert find_signatures(blocks_before_a_chapter(
        line("Annika Sandström"), line("Regionturismchef, 070-550 16 08")), TITLE) == []
    assert find_signatures(blocks_before_a_chapter(
        line("Annika Sandström, Regionturismchef, 070-550 16 08, annika.sandstrom@rv.se"),
        line("Regionturismchef")), TITLE) == []


def test_table_rows_and_headings_in_capitals_are_no_signature() -> None:
    rows = (line("Sankt Olofs IF", kind="table"), line("Fotbollsutveckling på Österlen", kind="table"))
    assert find_signatures(blocks_before_a_chapter(*rows), TITLE) == []
    assert find_signatures(blocks_before_a_chapter(line("ANVÄNDNING AV ALLMÄN PLATS"), line("Beteckning")),
                           TITLE) == []


def test_the_signer_is_a_contact_passage_on_the_signature_page_under_the_signed_text() -> None:
    doc = Document("2024", TITLE, "r.pdf", "0", 5, blocks_before_a_chapter(
        line("Patrik Sällström"), line("Regional utvecklingsdirektör")))
    chunks = chunk_document(doc, 300, 60)
    assert [(c.kind, c.section, c.pages, c.pdf_pages) for c in chunks] == [
        ("text", (TITLE,), (2, 3), (2, 3)),  # the foreword's prose as before, signature included
        ("contact", (TITLE,), (3,), (3,)),
        ("text", CHAPTER, (5,), (5,)),
    ]
    assert chunks[0].text.startswith(FOREWORD)
    assert chunks[1].text.startswith("Undertecknare: Patrik Sällström, Regional utvecklingsdirektör.\n"
                                     "Undertecknar förordet")
    assert all(c.n_tokens <= 30 for c in chunk_document(doc, 30, 10) if c.kind == "contact")
