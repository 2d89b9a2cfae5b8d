"""Questions about the report itself, and the passages in which the report describes itself.

"Vilka delar av organisationen har bidragit med text till rapporten?", "Varför ger man ut den här
årsgenomgången?", "Which strategy is this document a follow-up of?": the answer is where the report
speaks of itself ("Resultat Västerbotten 2024 har tagits fram av …", "Den här rapporten … publiceras för
andra gången"), a few sentences in its overview or foreword. Those passages share few words with such
questions, and a "vem" in the question sends it to the contact list, so on tune they stood below
prose about the organisation's work, or missed the top ten.

A question asks about the report when it names the report (or "det här", its foreword) and asks how it
came about: who made or wrote it, from what, why, which edition, what it follows up or is built from. The
cues were widened on 2026-12-07 with the sixteenth tune set's words ("satt ihop", "ger man överhuvudtaget
ut", "står bakom sammanställningen", "tracking progress on", "tie in with"): on tune 5 more questions
reached the top 5 and none left it (README, "Three more tune sets, and questions about the report
itself in more askers' words"). A passage describes the report when it names the
report's title or stands under a heading that names a report ("Översikt över rapporten", "Hur ska
rapporten läsas?").
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from ingest.model import Chunk

_NAMES_REPORT = re.compile(
    r"\b(?:rapport\w*|dokument\w*|publikation\w*|skrift\w*|uppföljning\w*|årsgenomgång\w*|sammanställning\w*|"
    r"förord\w*|det här|report|document|publication|foreword)\b", re.IGNORECASE)
_HOW_IT_CAME_ABOUT = re.compile(
    r"\b(?:tagit fram|tagits fram|tog fram|skrivit|skrivits|skrev|sammanställ\w*|bidragit|bidrog|ger ut|ges ut|"
    r"ger(?: \w+){1,3} ut|gett ut|gavs ut|publicer\w*|utgåva\w*|upplaga\w*|första gången|andra gången|syfte\w*|"
    r"står bakom|ligger bakom|satt ihop|sätt\w* ihop|ställ\w* samman|togs fram|tas fram|tar fram|följer upp|följs upp|"
    r"bygger på|grundar sig|består av|kopplas|underlag\w*|made|wrote|written|compiled|put together|contributed|"
    r"supplied|publish\w*|edition|purpose|behind|follow-up of|follows up|track\w*|tie\w* in|based on|"
    r"consist\w* of|made up of)\b", re.IGNORECASE)
_REPORT_HEADING = re.compile(r"\brapport\w*\b|\breport\b", re.IGNORECASE)
_YEAR = re.compile(r"\s*\b(?:19|20)\d{2}\b")


def asks_about_report(question: str) -> bool:
    """Whether `question` asks how the report came about (who made it, why, which edition)."""
    return bool(_NAMES_REPORT.search(question) and _HOW_IT_CAME_ABOUT.search(question))


def describes_report(chunk: Chunk, title: str) -> bool:
    """Whether a passage names the report's title (without its year: "Resultat Västerbotten
    innehåller …"), or stands under a heading that names a report or is its title (the foreword and its
    signature, before the first chapter). A TOC passage only says where a part starts."""
    name = _YEAR.sub("", title).strip().casefold()
    return chunk.kind != "toc" and (
        bool(name) and name in chunk.text.casefold()
        or any(_REPORT_HEADING.search(heading) or heading == title for heading in chunk.section))


def lift_self_description(
    final: np.ndarray, chunks: Sequence[Chunk], titles: Sequence[str], weight: float, depth: int,
) -> np.ndarray:
    """`final` with `weight` added to the `depth` best passages that describe their report; `titles`:
    each chunk's report title."""
    if weight == 0 or depth == 0:
        return final
    candidates = np.array([i for i, (chunk, title) in enumerate(zip(chunks, titles)) if describes_report(chunk, title)],
                          dtype=int)
    best = candidates[np.argsort(-final[candidates], kind="stable")[:depth]]
    lifted = final.copy()
    lifted[best] += weight
    return lifted
