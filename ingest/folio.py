"""Printed page numbers, in the forms real reports print them.

Word and InDesign exports print `Sida 4 av 42`, `SID 12 (36)`, `Sid 4`,
`4 (14)`, `- 4 -` or a bare number in the margin, and an annex may start
counting again. A number counts as the page's folio only when other pages
agree with it: the printed number minus the page's place in the file must be
the same on at least one other page, so a year or a table figure in the
margin is never taken for a page number, and a restart in an annex is found
as a second such offset. A page where nothing is printed keeps its place in
the file, and says so.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# A folio with a word ("Sida 4 av 42", "SID 12 (36 )", "Page 4 of 9"), at the end of a footer line.
_WORDED = re.compile(
    r"(?:^|\s)(?:sida|sid|s\.|page|p\.)\s*(\d{1,4})(?:\s*(?:av|of|/)\s*\d{1,4}|\s*\(\s*\d{1,4}\s*\))?\s*$",
    re.IGNORECASE,
)
# A folio alone: "4", "- 4 -", "4 (14)", "4 av 14", "4/14".
_BARE = re.compile(r"[-–—]?\s*(\d{1,4})\s*[-–—]?(?:\s*(?:\(\s*\d{1,4}\s*\)|(?:av|of|/)\s*\d{1,4}))?")
_MIN_AGREEING_PAGES = 2


@dataclass(frozen=True)
class Folio:
    """A page-number candidate: the number and which text on the page printed it."""

    number: int
    source: int  # index of the candidate text among those the caller passed
    worded: bool


def find_folio(text: str) -> tuple[int, bool] | None:
    """(number, worded) when the text is, or ends in, a printed page number."""
    worded = _WORDED.search(text.strip())
    if worded:
        return int(worded[1]), True
    bare = _BARE.fullmatch(text.strip())
    return (int(bare[1]), False) if bare else None


def strip_folio(text: str) -> str:
    """The text without the page number it ends in ("Rapport 2025 SID 4 (9)" → "Rapport 2025")."""
    worded = _WORDED.search(text.strip())
    if worded:
        return text.strip()[: worded.start()].strip()
    return "" if _BARE.fullmatch(text.strip()) else text


def choose_folios(candidates: Sequence[Sequence[Folio]]) -> list[Folio | None]:
    """Each page's printed number (None where nothing trustworthy is printed).

    `candidates[i]` holds what page i+1 prints in its margins. A worded folio
    beats a bare number; among equals the offset most pages share wins.
    """
    offsets = Counter(
        offset for index, folios in enumerate(candidates, start=1)
        for offset in {folio.number - index for folio in folios}
    )
    chosen: list[Folio | None] = []
    for index, folios in enumerate(candidates, start=1):
        agreed = [folio for folio in folios if offsets[folio.number - index] >= _MIN_AGREEING_PAGES]
        chosen.append(max(agreed, key=lambda folio: (folio.worded, offsets[folio.number - index]), default=None))
    return chosen
