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
# A named term found in more than this share of the candidate passages is the
# report's own subject ("Västerbotten", "Region", "2024"), not what sets the
# question apart. Chosen on tune (the questions eval/calibrate_abstain.py fits
# on), three leading passages: at most 40 of 881 passages, `named_in_typed_sentence`
# scored below 0.5 for 26 % of tune's unanswerable questions and none of its
# answerable ones (AUROC 0.70); with no limit 21 % and 1.3 % (0.71), at 20 passages 0.64.
MAX_COMMON_SHARE = 0.045
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
    """The named terms that are not the report's own subject, judged on `pool` (candidate passage texts).

    A genitive the stemmer keeps ("Umeås") is read as its name when only the name occurs.
    """
    def frequency(term: str) -> int:
        return sum(term in stems(text) for text in pool)

    specific = []
    for term in named_terms(question, asking):
        count = frequency(term)
        if count == 0 and term.endswith("s") and frequency(term[:-1]) > 0:
            term, count = term[:-1], frequency(term[:-1])
        if count <= MAX_COMMON_SHARE * len(pool):
            specific.append(term)
    return specific


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
