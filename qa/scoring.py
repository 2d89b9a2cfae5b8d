"""How a passage's signals become its score: one table of named fusion functions.

`FUSIONS` is the only list of retrieval modes: the service uses "hybrid", and
`qa eval --compare` shows the others beside it as baselines. Each function gets
the signals of every candidate passage (concatenated across reports) and the
retrieval settings, and returns one score per passage, higher is better.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np


Scores = TypeVar("Scores")  # one score per passage: a numpy array, or a torch tensor in the adapter's fit


@dataclass(frozen=True)
class RetrievalSettings:
    """Filled from qa.settings.Settings, where the defaults and their measurements live."""

    sentence_weight: float  # share of the best sentence's similarity in a passage's
    lexical_weight: float  # weight of BM25, normalised to the best passage's score
    lexical_share_power: float  # BM25's weight × (share of the question's words the report uses) ** this
    rrf_k: int  # only for the "rrf" baseline
    min_confidence: float  # below this probability the service abstains (qa/abstain.py)
    candidate_depth: int  # passages each signal proposes to an approximate store
    type_weight: float  # lift for a passage whose best sentence holds the asked answer type
    type_pool: int  # how many leading passages the lift may reorder
    quantity_weight: float  # lift for one of them stating the asked kind of quantity (qa/quantity.py)
    route_weight: float  # lift for the best passages whose kind answers the asked type (contact, toc)
    route_depth: int  # how many of those are lifted
    topic_weight: float  # lift for those standing where the best prose stands (qa/topic_route.py)
    topic_leaders: int  # how many prose passages vote for where that is
    report_weight: float  # lift for passages describing the report, for a question about it (qa/report_route.py)
    report_depth: int  # how many of those are lifted
    report_lexical_weight: float  # and by how much more for their BM25 score over the best of theirs


def blend(dense: Scores, best_sentence: Scores, sentence_weight: float) -> Scores:
    """Passage and best-sentence cosine blended: one precise sentence in a broad passage counts. Arrays or
    torch tensors alike, so that the query adapter's fit (eval/fit_query_adapter.py) scores as the service does."""
    return (1 - sentence_weight) * dense + sentence_weight * best_sentence


@dataclass(frozen=True)
class Fused:
    dense: np.ndarray  # cosine of question and passage
    best_sentence: np.ndarray  # cosine of its best sentence
    lexical: np.ndarray  # BM25
    word_share: np.ndarray  # share of the question's words that the passage's report uses

    def similarity(self, s: RetrievalSettings) -> np.ndarray:
        return blend(self.dense, self.best_sentence, s.sentence_weight)


def hybrid(f: Fused, s: RetrievalSettings) -> np.ndarray:
    """The service's mode: blended similarity plus a little BM25, normalised to the best passage.

    BM25 counts as far as the question is asked in the report's words: normalised to the best
    passage, it lifts that passage by the full weight even when it shares only a stray word with
    a question paraphrased away from the report, so its weight shrinks with the share of the
    question's words that the report uses (to the power `lexical_share_power`)."""
    lexical = f.lexical / max(float(f.lexical.max(initial=0.0)), 1e-9)
    return f.similarity(s) + s.lexical_weight * f.word_share ** s.lexical_share_power * lexical


def dense(f: Fused, s: RetrievalSettings) -> np.ndarray:
    """e5 passage vectors only."""
    return f.dense


def dense_sentences(f: Fused, s: RetrievalSettings) -> np.ndarray:
    """Passage and best-sentence similarity, no BM25."""
    return f.similarity(s)


def lexical(f: Fused, s: RetrievalSettings) -> np.ndarray:
    """Swedish BM25 only."""
    return f.lexical


def rrf(f: Fused, s: RetrievalSettings) -> np.ndarray:
    """Reciprocal rank fusion of dense and BM25, the usual baseline for hybrid search."""
    fused = np.zeros(len(f.dense))
    for scores in (f.dense, f.lexical):
        ranks = np.empty(len(scores))
        ranks[np.argsort(-scores, kind="stable")] = np.arange(len(scores))
        fused += 1.0 / (s.rrf_k + ranks + 1)
    return fused


FUSIONS: dict[str, Callable[[Fused, RetrievalSettings], np.ndarray]] = {
    "hybrid": hybrid,
    "dense": dense,
    "dense+sentences": dense_sentences,
    "lexical": lexical,
    "rrf": rrf,
}
Mode = str  # a key of FUSIONS
MODES: tuple[Mode, ...] = tuple(FUSIONS)
