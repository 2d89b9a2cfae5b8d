"""Questions about the report itself find the passages in which the report describes itself, and
questions about the strategy it follows up find its front matter."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.model import Chunk
from ingest.structure import title_key
from qa.report_route import (
    Frame, asks_about, describes_report, front_chapters, in_foreword, in_front_matter, lift_self_description,
)

TITLE = "Resultat Västerbotten 2024"


def chunk(number: int, kind: str, *section: str, text: str = "") -> Chunk:
    return Chunk(f"2024:{number}", "2024", text or f"passage {number}", (1,), section, 10, kind)


@pytest.mark.parametrize(("question", "about"), [
    ("Vilka delar av organisationen har bidragit med text till rapporten?", "report"),
    ("Vem på regionen har sammanställt det här?", "report"),
    ("Varför ger man ut den här årsgenomgången?", "report"),
    ("Är det här första utgåvan av uppföljningen?", "report"),
    ("Which units contributed material to the publication?", "report"),
    # More askers' words for how it came about (the sixteenth tune set's): put together, given out, followed up.
    ("Vem har satt ihop årets uppföljningsrapport?", "report"),
    ("Varför ger man överhuvudtaget ut den här publikationen?", "report"),
    ("Vilken förvaltning står bakom sammanställningen?", "report"),
    ("Which long-term plan is this document tracking progress on?", "report"),
    ("How does the report tie in with the UN goals?", "report"),
    # And the twentieth tune set's: put out, following up, the content's questions.
    ("Is this the first time they have put out this report?", "report"),
    ("Which strategy is this document following up on?", "report"),
    ("Vart vänder jag mig med frågor om innehållet i rapporten?", "report"),
    # The report's text, named as such (the twenty-fourth tune set's words).
    ("Har även folkhälsoenheten bidragit med text, eller bara utvecklingsavdelningen?", "report"),
    ("Hur togs texterna fram – skrev varje enhet om sin egen insats?", "report"),
    ("Vad står det i texten om bredband?", None),
    # Its foreword, named: whatever is asked of it, the answer stands there.
    ("Vad vill den som skrivit förordet säga?", "foreword"),
    ("Vad önskar utvecklingsdirektören i förordet att läsarna ska ta med sig?", "foreword"),
    ("Who signed the introduction at the start of the report?", "foreword"),
    ("vem har skrivit inledningen längst fram i rapporten", "foreword"),
    ("Vad står i inledningen till kapitlet om energi?", None),  # a chapter's introduction, not the report's
    ("Vad skriver rapporten om bredband?", None),  # the report named, its content asked for
    ("Vem har tagit fram den nya tågvisionen?", None),  # how something came about, not the report
    ("Which global risks does the report list?", None),
    ("What does the report say about the issue of housing?", None),
    # The strategy it follows up, named, and what it is made of.
    ("Hur många prioriteringar bygger strategin på?", "strategy"),
    ("strategin som följs upp – vad är dess fullständiga titel?", "strategy"),
    ("What are the two long-term goals of the regional strategy?", "strategy"),
    ("Vilka mål har folkhälsostrategin?", None),  # another strategy, one of the region's own
    ("Vad gör regionen för att nå klimatmålen?", None),  # goals, but no strategy named
    ("Vilken strategi följs upp i rapporten?", "report"),  # both: how the report came about
])
def test_asks_about(question: str, about: str | None) -> None:
    assert asks_about(question) == about


def test_describes_report_by_its_title_its_headings_or_its_front_matter() -> None:
    assert describes_report(chunk(1, "text", "Kontakt för mer information",
                                  text="Resultat Västerbotten innehåller bidrag från alla verksamheter."), TITLE)
    assert describes_report(chunk(2, "text", "Översikt över rapporten", "Gemensamt framtagande"), TITLE)
    assert describes_report(chunk(3, "contact", TITLE, text="Undertecknare: Patrik Sällström."), TITLE)
    assert not describes_report(chunk(4, "text", "Energi", text="Elnätet byggs ut."), TITLE)
    # A TOC passage names the overview chapter but only says where it starts.
    assert not describes_report(chunk(5, "toc", "Innehållsförteckning", "Översikt över rapporten"), TITLE)


def test_lift_reaches_only_the_best_describing_passages() -> None:
    chunks = [chunk(0, "text", "Energi"), chunk(1, "text", "Översikt över rapporten"),
              chunk(2, "text", "Översikt över rapporten"), chunk(3, "text", "Översikt över rapporten")]
    final = np.array([0.90, 0.80, 0.70, 0.60])
    frames = [Frame(TITLE, frozenset())] * 4
    none = np.zeros(4)
    lifted = lift_self_description(final, "report", chunks, frames, none, weight=0.2, depth=2, lexical_weight=0.1)
    assert list(lifted) == pytest.approx([0.90, 1.00, 0.90, 0.60])
    assert list(lift_self_description(final, "report", chunks, frames, none, weight=0.0, depth=2,
                                      lexical_weight=0.1)) == list(final)


def test_words_shared_with_the_question_decide_among_the_lifted_passages() -> None:
    """e5 scores a report's passages about itself alike; BM25, over the best of those lifted, tells them apart."""
    chunks = [chunk(0, "text", "Energi"), chunk(1, "text", "Översikt över rapporten"),
              chunk(2, "text", "Översikt över rapporten"), chunk(3, "text", "Översikt över rapporten")]
    final = np.array([0.90, 0.80, 0.79, 0.60])
    frames = [Frame(TITLE, frozenset())] * 4
    lexical = np.array([8.0, 1.0, 2.0, 4.0])  # the unlifted passage's and the third's words do not count
    lifted = lift_self_description(final, "report", chunks, frames, lexical, weight=0.2, depth=2, lexical_weight=0.1)
    assert list(lifted) == pytest.approx([0.90, 1.05, 1.09, 0.60])


OUTLINE = [{"title": "Översikt över rapporten", "level": 1, "page": 5},
           {"title": "Övergripande hållbarhetsmål och vägen dit", "level": 1, "page": 6},
           {"title": "En nytänkande och smart region", "level": 1, "page": 8},
           {"title": "Omvärldsanalys", "level": 2, "page": 8},
           {"title": "Kontakt för mer information", "level": 1, "page": 124}]


def test_front_chapters_are_those_before_the_first_with_sections() -> None:
    assert front_chapters(OUTLINE) == {title_key("Översikt över rapporten"),
                                       title_key("Övergripande hållbarhetsmål och vägen dit")}
    assert front_chapters(OUTLINE[2:]) == frozenset()  # the body begins at once
    # Without sections nothing marks where the body begins, and an old manifest has no outline.
    assert front_chapters([entry for entry in OUTLINE if entry["level"] == 1]) == frozenset()
    assert front_chapters([]) == frozenset()


def test_strategy_questions_lift_the_front_matter_only() -> None:
    frame = Frame(TITLE, front_chapters(OUTLINE))
    chunks = [chunk(0, "text", "En nytänkande och smart region", "Omvärldsanalys",
                    text="Resultat Västerbotten visar."),
              chunk(1, "text", "Övergripande hållbarhetsmål och vägen dit", "Två övergripande hållbarhetsmål"),
              chunk(2, "contact", TITLE, text="Undertecknare: Patrik Sällström."),
              chunk(3, "toc", "Innehållsförteckning", "Övergripande hållbarhetsmål och vägen dit")]
    assert [in_front_matter(c, frame) for c in chunks] == [False, True, True, False]
    final = np.array([0.90, 0.80, 0.70, 0.60])
    none = np.zeros(4)
    assert list(lift_self_description(final, "strategy", chunks, [frame] * 4, none, weight=0.2, depth=1,
                                      lexical_weight=0.1)) == pytest.approx([0.90, 1.00, 0.70, 0.60])
    # The same passages asked about the report: the one naming its title is lifted, the framework is not.
    assert list(lift_self_description(final, "report", chunks, [frame] * 4, none, weight=0.2, depth=1,
                                      lexical_weight=0.1)) == pytest.approx([1.10, 0.80, 0.70, 0.60])
    # Asked about its foreword: the passages under its title heading (or a foreword's), not the framework.
    assert [in_foreword(c, frame) for c in chunks] == [False, False, True, False]
    assert in_foreword(chunk(4, "text", "Förord"), Frame("Årsrapport", frozenset()))
    assert list(lift_self_description(final, "foreword", chunks, [frame] * 4, none, weight=0.2, depth=1,
                                      lexical_weight=0.1)) == pytest.approx([0.90, 0.80, 0.90, 0.60])
