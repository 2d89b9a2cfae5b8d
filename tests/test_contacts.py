"""Contact entries: recognised in any layout, one person per passage, prose left alone."""
from __future__ import annotations

from ingest.chunk import chunk_document
import pytest

from ingest.contacts import Contact, claimed_topics, parse_contacts, spell_role
from ingest.model import Block, Document, OutlineEntry


def test_one_entry_as_the_bundled_report_prints_it() -> None:
    text = "Annika Sandström, Regionturismchef, 070-550 16 08, annika.sandstrom@regionvasterbotten.se"
    assert parse_contacts(text) == [
        Contact(text, "Annika Sandström", "Regionturismchef", "070-550 16 08",
                "annika.sandstrom@regionvasterbotten.se")
    ]


def test_labelled_entry_and_several_people_in_one_paragraph() -> None:
    packed = ("Helena Björnwall Åström, Regionbibliotekschef, Telefon: 070-357 57 33, E-post: helena.b@rv.se "
              "Fredric Larsson, Enhetschef för Film i Västerbotten, fredric.larsson@rv.se, 070-636 32 86")
    found = parse_contacts(packed)
    assert [(c.name, c.role, c.phone, c.email) for c in found] == [
        ("Helena Björnwall Åström", "Regionbibliotekschef", "070-357 57 33", "helena.b@rv.se"),
        ("Fredric Larsson", "Enhetschef för Film i Västerbotten", "070-636 32 86", "fredric.larsson@rv.se"),
    ]


def test_phone_only_entry() -> None:
    [contact] = parse_contacts("Maria Falck, Enhetschef Folkhälsoenheten, 090-785 71 93")
    assert (contact.name, contact.phone, contact.email) == ("Maria Falck", "090-785 71 93", None)


def test_prose_that_mentions_an_address_or_a_number_is_no_contact() -> None:
    assert parse_contacts("Mer information finns på regionen.se eller via info@regionvasterbotten.se.") == []
    assert parse_contacts("Befolkningen passerade 280 000 invånare under 2024 och ökar.") == []
    long = "Region Västerbotten " + "arbetar vidare med frågan " * 10 + "kontakt: info@rv.se"
    assert parse_contacts(long) == []


def test_each_person_is_a_passage_under_the_area_they_answer_for() -> None:
    section = ("Kontakt för mer information", "En nära tillgänglig region")
    # The chapter the list names, with a subheading under two of its sections: its area.
    area = "En nära tillgänglig region"
    chapter = [Block("Text.", (3,), (area, part, "Kollektivtrafik")) for part in ("Bidrag", "Samverkan")]
    outline = (OutlineEntry(area, 1, 3), OutlineEntry("Bidrag", 2, 3), OutlineEntry("Samverkan", 2, 3))
    doc = Document("2030", "Rapport", "r.txt", "0", 1, (
        *chapter,
        Block("För frågor om innehållet kontakta respektive chef.", (9,), ("Kontakt för mer information",)),
        Block("Karolina Filipson, Myndighetschef Regionala kollektivtrafikmyndigheten, 070-300 86 23, "
              "karolina.filipsson@rv.se", (9,), section),
        Block("Anders Byström, tf Chef Näringsliv och samhällsbyggnad, 076-139 82 28, anders.bystrom@rv.se",
              (9,), section),
    ), outline=outline)
    chunks = [c for c in chunk_document(doc, 300, 60) if c.kind != "toc" and c.section[0] != area]
    assert [(c.kind, c.section) for c in chunks] == [
        ("text", ("Kontakt för mer information",)), ("contact", section), ("contact", section),
    ]
    assert chunks[1].text == ("Kontaktperson: Karolina Filipson, Myndighetschef Regionala "
                              "kollektivtrafikmyndigheten, 070-300 86 23, karolina.filipsson@rv.se\n"
                              "Karolina Filipson: chef för Regionala kollektivtrafikmyndigheten.\n"
                              "Området: Kollektivtrafik.")
    assert chunks[2].pages == (9,)


@pytest.mark.parametrize(("role", "spelled"), [
    ("Regionkulturchef", "chef för kultur"),
    ("Regionbibliotekschef", "chef för bibliotek"),  # the linking s goes
    ("Enhetschef Folkhälsoenheten", "chef för Folkhälsoenheten"),
    ("Enhetschef för Film i Västerbotten", "chef för Film i Västerbotten"),
    ("tf Chef Näringsliv och samhällsbyggnad", "tillförordnad chef för Näringsliv och samhällsbyggnad"),
    ("Chef och strateg FoU Socialtjänst", "chef och strateg för FoU Socialtjänst"),
    ("Kommunikationsstrateg", "strateg för kommunikation"),
    ("Regional utvecklingsdirektör", "regional direktör för utveckling"),
])
def test_role_is_spelled_out_in_plain_words(role: str, spelled: str) -> None:
    assert spell_role(role) == spelled


@pytest.mark.parametrize("role", ["Enhetschef", "Regionsamordnare", "Handläggare", ""])
def test_role_that_names_no_area_is_left_as_printed(role: str) -> None:
    assert spell_role(role) is None


def test_a_role_claims_the_topics_under_the_area_it_names_and_the_headings_it_names_itself() -> None:
    # (area it stands under, heading) in reading order, as ingest/structure.py's area_headings gives them.
    headings = [
        (None, "Omvärlden påverkar kollektivtrafiken"),
        ("Kollektivtrafik", "Påverkansarbete nattrafik och samverkansavtal"),
        ("Kollektivtrafik", "Branschforum buss"),
        ("Transportinfrastruktur", "Skellefteå hamn"),
        (None, "Regionbiblioteket läser högt"),
        ("Regional kultur", "Filmfestival i Umeå"),
        ("Regional kultur", "Västerbottensteatern"),
    ]
    generic = frozenset({"resultat", "västerbotten"})  # the report's own subject ("Resultat Västerbotten 2024")
    assert claimed_topics("Myndighetschef Regionala kollektivtrafikmyndigheten", headings, generic) == [
        "Omvärlden påverkar kollektivtrafiken", "Påverkansarbete nattrafik och samverkansavtal", "Branschforum buss"]
    assert claimed_topics("Regionbibliotekschef", headings, generic) == ["Regionbiblioteket läser högt"]
    # Film, not everything in Västerbotten; and "film" is not "filial".
    assert claimed_topics("Enhetschef för Film i Västerbotten", headings, generic) == ["Filmfestival i Umeå"]
    assert claimed_topics("Regionkulturchef", headings, generic) == ["Filmfestival i Umeå", "Västerbottensteatern"]
    assert claimed_topics("tf Chef Näringsliv och samhällsbyggnad", headings, generic) == []


def test_a_contact_passage_names_its_topics_and_keeps_within_a_passage_size() -> None:
    area, section = "Resor", ("Kontakt", "Resor")
    topics = [f"Nattågets sträcka nummer {i} mot Stockholm" for i in range(60)]
    blocks = [Block("Text.", (3,), (area, part, "Kollektivtrafik")) for part in ("Bidrag", "Samverkan")]
    blocks += [Block("Text.", (3,), (area, "Bidrag", topic)) for topic in topics]
    outline = (OutlineEntry(area, 1, 3), OutlineEntry("Bidrag", 2, 3), OutlineEntry("Samverkan", 2, 3))
    entry = Block("Karolina Filipson, Myndighetschef Regionala kollektivtrafikmyndigheten, 070-300 86 23",
                  (9,), section)
    doc = Document("2030", "Rapport 2030", "r.txt", "0", 1, (*blocks, entry), outline=outline)
    for size in (120, 300):
        contact = next(c for c in chunk_document(doc, size, 20) if c.kind == "contact")
        named = contact.text.split("Ämnen: ", 1)[1].rstrip(".").split(", ")
        assert contact.n_tokens <= size and named == topics[: len(named)] and 0 < len(named) < len(topics)
