"""Questions about the report itself find the passages in which the report describes itself."""
from __future__ import annotations

import numpy as np
import pytest

from ingest.model import Chunk
from qa.report_route import asks_about_report, describes_report, lift_self_description

TITLE = "Resultat Västerbotten 2024"


def chunk(number: int, kind: str, *section: str, text: str = "") -> Chunk:
    return Chunk(f"2024:{number}", "2024", text or f"passage {number}", (1,), section, 10, kind)


@pytest.mark.parametrize(("question", "about"), [
    ("Vilka delar av organisationen har bidragit med text till rapporten?", True),
    ("Vem på regionen har sammanställt det här?", True),
    ("Varför ger man ut den här årsgenomgången?", True),
    ("Är det här första utgåvan av uppföljningen?", True),
    ("Which units contributed material to the publication?", True),
    # More askers' words for how it came about (the sixteenth tune set's): put together, given out, followed up.
    ("Vem har satt ihop årets uppföljningsrapport?", True),
    ("Varför ger man överhuvudtaget ut den här publikationen?", True),
    ("Vilken förvaltning står bakom sammanställningen?", True),
    ("Which long-term plan is this document tracking progress on?", True),
    ("How does the report tie in with the UN goals?", True),
    ("Vad vill den som skrivit förordet säga?", True),
    ("Vad skriver rapporten om bredband?", False),  # the report named, its content asked for
    ("Vem har tagit fram den nya tågvisionen?", False),  # how something came about, not the report
    ("Which global risks does the report list?", False),
    ("What does the report say about the issue of housing?", False),
])
def test_asks_about_report(question: str, about: bool) -> None:
    assert asks_about_report(question) is about


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
    lifted = lift_self_description(final, chunks, [TITLE] * 4, weight=0.2, depth=2)
    assert list(lifted) == pytest.approx([0.90, 1.00, 0.90, 0.60])
    assert list(lift_self_description(final, chunks, [TITLE] * 4, weight=0.0, depth=2)) == list(final)
