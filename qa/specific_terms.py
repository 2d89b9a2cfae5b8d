"""The terms a question names, and whether one leading sentence states them with the asked answer.

An unanswerable question that sounds answerable sits next to a fact the
report does give: "Hur många bor i Vilhelmina?" of a report that gives the
county's population and names Vilhelmina elsewhere. The nearest passage is
about population, its sentence holds a number, its words cover the question
well — yet no sentence states a number *and* names Vilhelmina. Names,
acronyms and numbers ("Vilhelmina", "ESF", "2019") are what a resident keeps
when paraphrasing everything else, so unlike common words their absence is
telling. This module finds them in the question and measures how much of
them one typed sentence states (`named_in_typed_sentence`): any sentence of
the leading passages, and the best passage's best sentence alone, two
signals of the abstention model (qa/abstain.py).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from index.swedish import words
from qa.answer_type import AnswerType, holds_type

# Compound parts shorter than this match by accident ("tid" in "tidning").
MIN_PART = 5
# Every named term counts, the report's own subject too ("Västerbotten", "Umeå", "Norrbotten"): an
# unanswerable question often restricts a figure the report gives to a place it names everywhere ("Hur
# många kom till slutkonferensen i Umeå?" when it was held in Skellefteå). Until 2026-12-07 a term in
# more than 4.5 % of the candidate passages was left out; in the full model, over three 5-fold splits
# of tune, no limit gives out-of-fold AUROC 0.874 against 0.843 and recall 0.44 against 0.38 at 3 %
# wrong, and on the held-out fifth tune set 0.64 against 0.62 (README, "Every name counts").
# Answer types whose patterns (qa/answer_type.py) are reliable enough to demand
# in the same sentence: on tune, also demanding person/place/page made 5.6 % of
# answerable questions score below 0.5 (against 0 %) for the same 26 % of unanswerable ones.
DEMANDED_TYPES: frozenset[AnswerType] = frozenset({"number", "date"})

_TOKEN = re.compile(r"[^\W_]+")
_stemmer = Stemmer.Stemmer("swedish")


@dataclass(frozen=True)
class Passage:
    """What the signal reads of one leading passage."""

    sentences: Sequence[str]
    kind: str  # Chunk.kind: "text", "table", "contact", "toc"
    section: Sequence[str]  # heading path: a name in the heading counts for every sentence


@lru_cache(maxsize=100_000)
def stems(text: str) -> frozenset[str]:
    """Stemmed words of `text` (stop words dropped, "280 000" one number); cached per passage text."""
    found = words(text)
    return frozenset(w if not w.isalpha() else s for w, s in zip(found, _stemmer.stemWords(found)))


def mentions(word: str, found: frozenset[str] | set[str]) -> bool:
    """A word is mentioned as itself, as a part of a compound in `found`
    ("turism" in "regionturismchef"), or as a compound whose part `found`
    names ("kulturchef" when it says "kultur")."""
    if word in found:
        return True
    return any(
        (len(word) >= MIN_PART and word in other) or (len(other) >= MIN_PART and other in word)
        for other in found
    )


def named_terms(question: str, asking: frozenset[str]) -> list[str]:
    """Stems of what the question names: capitalised words after the first, acronyms, numbers.

    `asking`: question words that say what is asked, never what about.
    """
    named = []
    for position, token in enumerate(_TOKEN.findall(question)):
        lower = token.lower()
        if lower in asking or not words(lower):
            continue
        if (position > 0 and token[0].isupper()) or (len(token) > 1 and token.isupper()):
            named.append(_stemmer.stemWord(lower))
    named += [w for w in words(question) if any(c.isdigit() for c in w)]
    return list(dict.fromkeys(named))


def specific_terms(question: str, asking: frozenset[str], pool: Sequence[str]) -> list[str]:
    """The named terms, a genitive the stemmer keeps ("Umeås") read as its name when only the name
    occurs in `pool` (candidate passage texts)."""
    def occurs(term: str) -> bool:
        return any(term in stems(text) for text in pool)

    return list(dict.fromkeys(
        term[:-1] if term.endswith("s") and not occurs(term) and occurs(term[:-1]) else term
        for term in named_terms(question, asking)
    ))


def named_in_report(terms: Sequence[str], pool: Sequence[str]) -> float:
    """The share of `terms` that some candidate passage (`pool`: their texts) states; 1.0 without terms.

    What a contact entry or a table-of-contents passage leading the answer is read by: it names
    its subject in a word or two ("Magnus Rudehall, Enhetschef Digitalisering …"), never the
    question's names ("AI i kommunerna"), so a name missing there says nothing (refitted on tune:
    AUROC 0.882 → 0.886, 5-fold cross-validated 0.885 → 0.889, README), while a name the report
    never states ("Vem vann Melodifestivalen 2023?") still does.
    """
    if not terms:
        return 1.0
    return sum(any(term in stems(text) for text in pool) for term in terms) / len(terms)


def named_in_typed_sentence(terms: Sequence[str], kind: AnswerType | None, passages: Sequence[Passage]) -> float:
    """The largest share of `terms` that one sentence of `passages` (with its heading path) states,
    among sentences that hold the asked type where that type is in `DEMANDED_TYPES`; 1.0 without terms."""
    if not terms:
        return 1.0
    best = 0.0
    for passage in passages:
        heading = stems(" ".join(passage.section))
        for sentence in passage.sentences:
            if kind in DEMANDED_TYPES and not holds_type(kind, sentence, passage.kind):
                continue
            found = heading | stems(sentence)
            best = max(best, sum(mentions(term, found) for term in terms) / len(terms))
    return best
