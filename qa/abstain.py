"""Whether the report answers the question at all: abstention.

The unanswerable questions that matter are plausible and on-topic ("How many
live in Lycksele?" of a report that gives only the county's population), so
similarity alone cannot tell them apart: a passage about population is close
to both. Six kinds of evidence are combined:

- the similarity profile: the best passage's similarity, how far it stands
  out from the next nine, and whether the question's words occur at all
  (the best BM25 score);
- coverage: the share of the question's key content words found in the best
  sentence of one of the leading passages, a compound part counting as
  found ("turism" in "Regionturismchef", see `specific_terms.mentions`);
- answer type: whether that sentence holds what the question asks for
  (qa/answer_type.py): a number for "hur många", a person for "vem";
- named terms: the share of the question's specific names, acronyms and
  numbers ("Vilhelmina", "ESF", "2019") that one sentence of the leading
  passages states together with the asked number or date
  (qa/specific_terms.py), and the same in the best passage's best sentence
  alone: the report mentioning Vilhelmina and giving a population is not the
  report giving Vilhelmina's population. When the leading passage is a
  contact entry for a "who" question or a table-of-contents passage for a
  "where in the report" one, it names its subject in a word or two and never
  the question's names, so both signals ask instead whether the report states
  those names at all (`specific_terms.named_in_report`);
- the question prior: how likely the report is to answer a question of this
  kind at all, from the question's vector alone (qa/question_prior.py).

Boosted trees of depth two over the signals (qa/abstain_model.py) turn them
into the probability that the report answers; they were fitted on the *tune*
questions (eval/questions.py) with `python -m eval.calibrate_abstain`, which
reports precision, recall and AUROC on the *test* half. The threshold is `Settings.min_confidence`.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import astuple, dataclass

import numpy as np
import Stemmer

from index.swedish import words
from qa.abstain_model import Model, fitted_model
from qa.answer_type import ANSWERING_KIND, AnswerType, holds_type
from qa.quantity import asked_quantity, states
from qa.specific_terms import (
    Passage,
    mentions,
    named_in_report,
    named_in_typed_sentence,
    specific_terms,
    stems,
)

# Question words and function words that say what is asked, not about what
# (Swedish and English); the Snowball stop list already drops the rest.
_ASKING = frozenset(
    "vad vem vems vilken vilket vilka hur när var vart varför många mycket finns fanns står stod gör görs "
    "gjorde gjordes får fick ska skulle kan kunde the a an of to in on for and or is are was were what "
    "who whom whose which how when where why many much does did do there about with by from at as it "
    "this that be been has have had can could should would will report rapporten rapport".split()
)
# English function words: a question with two of them is read as English, and
# then the Swedish report's words cannot cover it (coverage is left out).
_ENGLISH = frozenset(
    "the a an what who which how when where why does did do is are was were of and in on for to about many much "
    "there".split()
)
# How many leading passages may hold the answering sentence.
LEADERS = 3


@dataclass(frozen=True)
class Signals:
    """What the abstention model reads, for one question and its hits."""

    top: float  # best blended similarity
    margin: float  # best similarity minus the mean of the top ten
    lexical: float  # log(1 + best BM25 score)
    coverage: float  # share of key words in the best leading sentence; 1.0 for English questions
    type_match: float  # 1.0: a leading sentence holds the asked type (or none is asked); else 0.0
    named: float  # share of the question's specific names a typed leading sentence states (qa/specific_terms.py);
    # for a leading contact or TOC passage that answers the asked type, the share the report states at all
    named_best: float  # the same, in the best passage's best sentence alone: the one that answers the topic
    quantity: float  # 1.0: a leading sentence states the asked kind of quantity (a count of the counted
    # word, money, a share), or the question asks for none; else 0.0
    prior: float  # log-odds that the report answers questions like this one (qa/question_prior.py)

    def vector(self) -> list[float]:
        return list(astuple(self))


_stemmer = Stemmer.Stemmer("swedish")


def key_words(question: str) -> list[str]:
    """The question's content words, stemmed: what an answering sentence should mention."""
    kept = [w for w in words(question) if w not in _ASKING and (len(w) > 2 or w.isdigit())]
    return list(dict.fromkeys(_stemmer.stemWords(kept)))


def coverage(question: str, sentence: str) -> float:
    """Share of the question's key words that `sentence` mentions, compound parts counting."""
    wanted = key_words(question)
    if not wanted:
        return 1.0
    found = stems(sentence)
    return sum(mentions(word, found) for word in wanted) / len(wanted)


def is_english(question: str) -> bool:
    return len(_ENGLISH.intersection(re.findall(r"[a-z]+", question.lower()))) >= 2


def signals(
    question: str,
    kind: AnswerType | None,
    leaders: Sequence[tuple[str, str]],
    passages: Sequence[Passage],
    pool: Sequence[str],
    similarity: np.ndarray,
    lexical: np.ndarray,
    prior: float,
) -> Signals:
    """`leaders`: (best sentence, Chunk.kind) of the leading passages, best first; `passages`: the same
    passages whole; `pool`: the texts of every candidate passage, to tell a specific name from a common one;
    `prior`: the question prior's log-odds."""
    top10 = np.sort(similarity)[::-1][:10]
    english = is_english(question)
    best_coverage = max((coverage(question, sentence) for sentence, _ in leaders), default=0.0)
    typed = kind is None or any(holds_type(kind, sentence, passage_kind) for sentence, passage_kind in leaders)
    asked = None if english else asked_quantity(question)
    terms = specific_terms(question, _ASKING, pool)
    best = [Passage([leaders[0][0]], leaders[0][1], passages[0].section)] if leaders and passages else []
    if kind is not None and leaders and leaders[0][1] == ANSWERING_KIND.get(kind):
        named = named_best = named_in_report(terms, pool)
    else:
        named, named_best = named_in_typed_sentence(terms, kind, passages), named_in_typed_sentence(terms, kind, best)
    return Signals(
        top=float(top10[0]) if len(top10) else 0.0,
        margin=float(top10[0] - top10.mean()) if len(top10) else 0.0,
        lexical=float(np.log1p(lexical.max())) if len(lexical) else 0.0,
        coverage=1.0 if english else best_coverage,
        type_match=1.0 if typed else 0.0,
        named=named,
        named_best=named_best,
        quantity=1.0 if asked is None or any(states(asked, sentence) for sentence, _ in leaders) else 0.0,
        prior=prior,
    )


def answer_probability(found: Signals, model: Model | None = None) -> float:
    """The probability that the report answers the question: `model`, else the one fitted on tune
    (qa/abstain_model.py)."""
    return (model or fitted_model()).probability(found.vector())
