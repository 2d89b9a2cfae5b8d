"""Scoring retrieved passages against the evidence strings of the question set.

Evidence is verbatim report text; passages are cleaned text (hyphenation
rejoined, lines joined). Both sides are reduced to lowercase letters and
digits before matching, so layout never decides a hit. A passage counts
only for evidence it contains: a passage that repeats the question's words
but not the evidence is no hit.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

_NOT_ALNUM = re.compile(r"[\W_]+")
# An evidence string cut by a chunk boundary still counts when the passage
# holds most of it in one piece.
MIN_PARTIAL = 0.6


def normalise(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())


def contains_evidence(passage: str, evidence: str) -> bool:
    p, e = normalise(passage), normalise(evidence)
    if not e:
        return False
    if e in p:
        return True
    # A cut piece of at least MIN_PARTIAL of the evidence begins or ends it, so without that much of its
    # start or end in the passage there is none (and no need for the slow longest-match search).
    piece = math.ceil(MIN_PARTIAL * len(e))
    if e[:piece] not in p and e[-piece:] not in p:
        return False
    match = SequenceMatcher(None, p, e, autojunk=False).find_longest_match(0, len(p), 0, len(e))
    # Only a piece at the start or end of the evidence can be a boundary cut.
    at_edge = match.b == 0 or match.b + match.size == len(e)
    return at_edge and match.size >= MIN_PARTIAL * len(e)


def highlight_shows(highlight: str | None, evidence: Sequence[str]) -> bool:
    """The highlight shows the answer when it holds the evidence, or is part of
    it (evidence strings can span more than the one or two sentences shown)."""
    if not highlight:
        return False
    shown = normalise(highlight)
    return any(contains_evidence(highlight, e) or shown in normalise(e) for e in evidence)


def evidence_found(passages: Sequence[str], evidence: Sequence[str]) -> list[int | None]:
    """For each passage, the index of the first not-yet-credited evidence it holds."""
    credited: set[int] = set()
    found: list[int | None] = []
    for text in passages:
        hit = next((i for i, e in enumerate(evidence) if i not in credited and contains_evidence(text, e)), None)
        if hit is not None:
            credited.add(hit)
        found.append(hit)
    return found


@dataclass(frozen=True)
class ItemScore:
    first_hit_rank: int | None  # 1-based rank of the first relevant passage within the top 10
    ndcg10: float
    all_evidence_at10: bool

    def hit_at(self, k: int) -> bool:
        return self.first_hit_rank is not None and self.first_hit_rank <= k

    @property
    def reciprocal_rank(self) -> float:
        return 1.0 / self.first_hit_rank if self.first_hit_rank else 0.0


def score_item(passages: Sequence[str], evidence: Sequence[str]) -> ItemScore:
    found = evidence_found(list(passages)[:10], evidence)
    ranks = [rank for rank, hit in enumerate(found, start=1) if hit is not None]
    dcg = sum(1.0 / math.log2(rank + 1) for rank in ranks)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(evidence), 10) + 1))
    return ItemScore(
        first_hit_rank=ranks[0] if ranks else None,
        ndcg10=dcg / ideal if ideal else 0.0,
        all_evidence_at10=len(ranks) == len(evidence),
    )


def auroc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Area under the ROC curve: the chance that a random positive scores above a
    random negative (ties count half). Threshold-free, so it says whether a score
    can separate answerable from unanswerable questions before any cut-off is chosen.
    0.5 when either side is empty: no evidence either way."""
    if not positives or not negatives:
        return 0.5
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: simple and exact on small samples."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]
