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
itself in more askers' words"); with the twentieth's ("put out", "following up on", "frågor om
innehållet", the last answered by the line above the contact list) 3 more and none out (README, "A
twentieth tune set"). A passage describes the report when it names the
report's title or stands under a heading that names a report ("Översikt över rapporten", "Hur ska
rapporten läsas?").

A question that names the report's text ("bidragit med text", "Hur togs texterna fram") names the report,
and one that names its foreword ("förordet", "the introduction at the start") asks about the foreword
whatever it asks of it ("Vad önskar utvecklingsdirektören i förordet att läsarna ska ta med sig?"): the
passages under the report's title heading before its first chapter, or under a heading that names a foreword.
Each brought questions of the twenty-fourth tune set and earlier ones into the top 5 and took none out (README,
"The foreword, and words among the report's own passages").

e5 scores all of a report's passages about itself within 0.02-0.04 of each other for such a question, so among
those lifted the words the question shares with one of them (BM25, over the best of theirs) add a little more.

A question asks about the strategy the report follows up when it names the strategy and asks what it is
made of: its goals, priorities, perspectives, parts or title ("Hur många prioriteringar bygger strategin
på?", "strategin som följs upp – vad är dess fullständiga titel?"). The report lays that out in its front
matter, the chapters before the first one its table of contents divides into sections (here the overview
and "Övergripande hållbarhetsmål och vägen dit"), while every chapter after it names the strategy's
priorities too, so such a question found prose about one priority. Lifting the front matter for it brought
5 more tune questions into the top 5 and took none out (README, "A seventh test set, and the strategy the
report follows up").
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ingest.model import Chunk
from ingest.structure import title_key

About = Literal["report", "strategy", "foreword"]

_NAMES_REPORT = re.compile(
    r"\b(?:rapport\w*|dokument\w*|publikation\w*|skrift\w*|uppföljning\w*|årsgenomgång\w*|sammanställning\w*|"
    r"förord\w*|det här|text\w*|report|document|publication|foreword)\b", re.IGNORECASE)
_HOW_IT_CAME_ABOUT = re.compile(
    r"\b(?:tagit fram|tagits fram|tog fram|skrivit|skrivits|skrev|sammanställ\w*|bidragit|bidrog|ger ut|ges ut|"
    r"ger(?: \w+){1,3} ut|gett ut|gavs ut|publicer\w*|utgåva\w*|upplaga\w*|första gången|andra gången|syfte\w*|"
    r"står bakom|ligger bakom|satt ihop|sätt\w* ihop|ställ\w* samman|togs fram|tas fram|tar fram|följer upp|följs upp|"
    r"bygger på|grundar sig|består av|kopplas|underlag\w*|made|wrote|written|compiled|put together|contributed|"
    r"supplied|publish\w*|edition|purpose|behind|follow-up of|follow\w* up|track\w*|tie\w* in|based on|"
    r"consist\w* of|made up of|put\w* out|first time|map\w* onto|correspond\w*|motsvara\w*|"
    r"frågor om innehållet|questions about (?:the|its) content\w*)\b", re.IGNORECASE)
_NAMES_STRATEGY = re.compile(r"\b(?:strategi\w*|utvecklingsstrategi\w*|RUS|strateg(?:y|ies))\b", re.IGNORECASE)
_STRATEGY_MAKEUP = re.compile(
    r"\b(?:mål\w*|prioritera\w*|prioritering\w*|inriktning\w*|perspektiv\w*|fokusområde\w*|del|delar\w*|"
    r"titel\w*|heter|namn|goals?|aims?|priorit\w*|perspectives?|focus areas?|parts?|title|called|name)\b",
    re.IGNORECASE)
_NAMES_FOREWORD = re.compile(
    r"\b(?:förord\w*|inledningsord\w*|foreword|preface|inledning\w* (?:längst fram|i början|allra först)|"
    r"introduction at the (?:start|beginning))\b", re.IGNORECASE)
_FOREWORD_HEADING = re.compile(r"^(?:förord|foreword|preface)\b", re.IGNORECASE)
_REPORT_HEADING = re.compile(r"\brapport\w*\b|\breport\b", re.IGNORECASE)
_YEAR = re.compile(r"\s*\b(?:19|20)\d{2}\b")


@dataclass(frozen=True)
class Frame:
    """What a report says of itself: its title, and the title keys of its front chapters."""

    title: str
    front: frozenset[str]

    @classmethod
    def of(cls, title: str, manifest: Mapping[str, object]) -> Frame:
        """A served version's frame, its front chapters read from the manifest's outline (none in a
        manifest written before outlines were kept)."""
        return cls(title, front_chapters(manifest.get("outline") or []))


def asks_about(question: str) -> About | None:
    """Whether `question` asks about the report's foreword (named, whatever it asks of it), how the report
    came about (who made it, why, which edition), or what the strategy it follows up is made of; a question
    doing the last two is about the report."""
    if _NAMES_FOREWORD.search(question):
        return "foreword"
    if _NAMES_REPORT.search(question) and _HOW_IT_CAME_ABOUT.search(question):
        return "report"
    if _NAMES_STRATEGY.search(question) and _STRATEGY_MAKEUP.search(question):
        return "strategy"
    return None


def front_chapters(outline: Sequence[Mapping[str, object]]) -> frozenset[str]:
    """Title keys of the chapters before the first that `outline` (the manifest's, index/store.py)
    divides into sections: the report's overview and the framework it follows up. None without a
    table of contents whose chapters have sections, since then nothing marks where the body begins."""
    keys = []
    for entry, following in zip(outline, outline[1:]):
        if entry["level"] == 1:
            if following["level"] > 1:
                return frozenset(keys)
            keys.append(title_key(str(entry["title"])))
    return frozenset()


def describes_report(chunk: Chunk, title: str) -> bool:
    """Whether a passage names the report's title (without its year: "Resultat Västerbotten
    innehåller …"), or stands under a heading that names a report or is its title (the foreword and its
    signature, before the first chapter). A TOC passage only says where a part starts."""
    name = _YEAR.sub("", title).strip().casefold()
    return chunk.kind != "toc" and (
        bool(name) and name in chunk.text.casefold()
        or any(_REPORT_HEADING.search(heading) or heading == title for heading in chunk.section))


def _chapter(chunk: Chunk) -> str | None:
    """The outermost heading a body passage stands under (its chapter, or the report's title before the first
    chapter); None for a TOC passage, which only says where a part starts, or one before any heading."""
    return chunk.section[0] if chunk.kind != "toc" and chunk.section else None


def in_front_matter(chunk: Chunk, frame: Frame) -> bool:
    """Whether a passage stands before the report's body: in its foreword (under the title heading) or
    in one of its front chapters."""
    chapter = _chapter(chunk)
    return chapter is not None and (chapter == frame.title or title_key(chapter) in frame.front)


def in_foreword(chunk: Chunk, frame: Frame) -> bool:
    """Whether a passage stands in the report's foreword: under its title heading, before the first chapter,
    or under a heading that names a foreword."""
    chapter = _chapter(chunk)
    return chapter is not None and (chapter == frame.title or bool(_FOREWORD_HEADING.match(chapter)))


# Which passages answer a question about each: the report (those describing it), its foreword, its strategy.
_ANSWERS: dict[About, Callable[[Chunk, Frame], bool]] = {
    "report": lambda chunk, frame: describes_report(chunk, frame.title),
    "foreword": in_foreword,
    "strategy": in_front_matter,
}


def lift_self_description(
    final: np.ndarray, about: About, chunks: Sequence[Chunk], frames: Sequence[Frame], lexical: np.ndarray,
    weight: float, depth: int, lexical_weight: float,
) -> np.ndarray:
    """`final` with `weight` added to the `depth` best passages that answer a question `about` the
    report (those describing it), its foreword or its strategy (its front matter), and `lexical_weight`
    times each one's BM25 score (`lexical`) over the best of theirs; `frames`: each chunk's report."""
    if weight == 0 or depth == 0:
        return final
    answers = _ANSWERS[about]
    candidates = np.array([i for i, (chunk, frame) in enumerate(zip(chunks, frames)) if answers(chunk, frame)],
                          dtype=int)
    best = candidates[np.argsort(-final[candidates], kind="stable")[:depth]]
    lifted = final.copy()
    lifted[best] += weight
    words = lexical[best].max(initial=0.0)
    if words > 0:
        lifted[best] += lexical_weight * lexical[best] / words
    return lifted
