"""Contact entries and table-of-contents passages found through where the question's topic is discussed,
and one listing per person in an answer."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.model import Chunk
from qa.distinct import distinct_order
from qa.highlight import pick_highlight
from qa.topic_route import lift_by_topic

TRANSPORT = "Västerbotten – En nära tillgänglig region"
CULTURE = "Västerbotten – En region med hållbara livsmiljöer"


def kinds_of(chunks: list[Chunk]) -> np.ndarray:
    return np.array([c.kind for c in chunks])


def chunk(number: int, kind: str, *section: str, text: str = "", report: str = "2024") -> Chunk:
    return Chunk(f"{report}:{number}", report, text or f"passage {number}", (1,), section, 10, kind)


def test_contacts_listed_under_the_chapter_where_the_topic_is_discussed_are_lifted_by_its_share() -> None:
    chunks = [
        chunk(0, "text", TRANSPORT, "Samverkan", "Nattåg"),
        chunk(1, "text", TRANSPORT, "Agenda 2030"),
        chunk(2, "text", CULTURE, "Omvärldsanalys"),
        chunk(3, "text", CULTURE, "Samverkan"),  # below the two leaders: no vote
        chunk(4, "contact", "Kontakt för mer information", TRANSPORT),
        chunk(5, "contact", "Kontakt för mer information", CULTURE),
        chunk(6, "contact", "Kontakt för mer information"),  # listed under no heading of prose
        chunk(7, "contact", "Kontakt för mer information", "Kultur i norr"),  # a title no leader's path holds
    ]
    final = np.array([0.90, 0.85, 0.84, 0.70, 0.60, 0.61, 0.62, 0.63])
    lifted = lift_by_topic(final, "contact", chunks, kinds_of(chunks), weight=0.1, leaders=3)
    assert list(lifted) == pytest.approx([0.90, 0.85, 0.84, 0.70, 0.60 + 0.1 * 2 / 3, 0.61 + 0.1 / 3, 0.62, 0.63])
    # Prose is never lifted, and a question asking for a number or for nothing routes nowhere.
    assert lift_by_topic(final, "number", chunks, kinds_of(chunks), 0.1, 3) is final
    assert lift_by_topic(final, None, chunks, kinds_of(chunks), 0.1, 3) is final
    assert lift_by_topic(final, "contact", chunks, kinds_of(chunks), 0.0, 3) is final
    assert lift_by_topic(final, "person", chunks, kinds_of(chunks), 0.1, 3) is final  # a person the text names


def test_a_contact_list_closing_its_own_chapter_names_that_chapter() -> None:
    chunks = [chunk(0, "text", TRANSPORT, "Samverkan"), chunk(1, "contact", TRANSPORT, "Kontakt")]
    lifted = lift_by_topic(np.array([0.9, 0.5]), "contact", chunks, kinds_of(chunks), weight=0.1, leaders=1)
    assert lifted[1] == pytest.approx(0.6)


def test_toc_passages_are_lifted_for_the_part_the_best_prose_stands_in() -> None:
    chunks = [
        chunk(0, "text", TRANSPORT, "Samverkan", "Nattåg"),
        chunk(1, "text", TRANSPORT, "Agenda 2030"),
        chunk(2, "toc", "Innehållsförteckning", TRANSPORT),  # the chapter holds both leaders
        chunk(3, "toc", "Innehållsförteckning", TRANSPORT, "Samverkan"),  # one of them
        chunk(4, "toc", "Innehållsförteckning", CULTURE, "Samverkan"),  # same title, other chapter
        chunk(5, "toc", "Innehållsförteckning", TRANSPORT, "Samverkan", report="2023"),  # other report
    ]
    final = np.array([0.9, 0.8, 0.5, 0.5, 0.5, 0.5])
    lifted = lift_by_topic(final, "page", chunks, kinds_of(chunks), weight=0.1, leaders=2)
    assert list(lifted) == pytest.approx([0.9, 0.8, 0.6, 0.55, 0.5, 0.5])


def test_each_person_is_listed_once_before_their_further_listings() -> None:
    byström = "Kontaktperson: Anders Byström, tf Chef Näringsliv och samhällsbyggnad\nOmrådet: {}."
    chunks = [
        chunk(0, "contact", "Kontakt", TRANSPORT, text=byström.format("Kollektivtrafik")),
        chunk(1, "contact", "Kontakt", CULTURE, text=byström.format("Kultur")),
        chunk(2, "contact", "Kontakt", CULTURE, text="Kontaktperson: Stina Karlgren, Enhetschef"),
        chunk(3, "text", CULTURE, text=byström.format("x")),  # prose is never a listing
        chunk(4, "contact", "Kontakt", text=byström.format("y"), report="2023"),  # another report's list
    ]
    order = np.array([0, 1, 2, 3, 4])
    assert list(distinct_order(order, chunks, needed=5)) == [0, 2, 3, 4, 1]
    # Read only until `needed` distinct passages lead: what lies beyond keeps its order.
    assert list(distinct_order(order, chunks, needed=2)) == [0, 2, 1, 3, 4]
    assert list(distinct_order(np.array([1, 0, 4]), chunks, needed=1)) == [1, 0, 4]


def test_a_contact_entry_highlights_whom_to_call_not_the_topic_that_matched() -> None:
    text = "Kontaktperson: Karolina Filipson, 070-300 86 23\nÄmnen: Påverkansarbete nattrafik."
    spans = np.array([[0, 47], [48, len(text)]])
    scores = np.array([0.80, 0.90])
    assert pick_highlight(text, spans, scores, lead=True).text == text[:47]
    assert pick_highlight(text, spans, scores).text == text[48:]
