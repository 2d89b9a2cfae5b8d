"""The fusion functions that turn a passage's signals into its score."""
from __future__ import annotations

import numpy as np
import pytest

from qa.scoring import Fused, RetrievalSettings, hybrid

SETTINGS = RetrievalSettings(sentence_weight=0.5, lexical_weight=0.03, lexical_share_power=3.0, rrf_k=10,
                             min_confidence=0.4, candidate_depth=100, type_weight=0.01, type_pool=20,
                             route_weight=0.06, route_depth=5, topic_weight=0.3, topic_leaders=3,
                             report_weight=0.06, report_depth=8, quantity_weight=0.02,
                             report_lexical_weight=0.03)


def signals(word_share: float) -> Fused:
    return Fused(dense=np.array([0.80, 0.81]), best_sentence=np.array([0.80, 0.81]),
                 lexical=np.array([12.0, 0.0]), word_share=np.full(2, word_share))


def test_bm25_counts_fully_for_a_question_in_the_reports_words() -> None:
    assert hybrid(signals(1.0), SETTINGS) == pytest.approx([0.83, 0.81])


def test_bm25_shrinks_with_the_share_of_words_the_report_uses() -> None:
    """A paraphrased question's stray word shared with one passage must not carry it past a closer one."""
    assert hybrid(signals(0.5), SETTINGS) == pytest.approx([0.80 + 0.03 * 0.125, 0.81])
    assert np.argmax(hybrid(signals(0.5), SETTINGS)) == 1
    assert hybrid(signals(0.0), SETTINGS) == pytest.approx([0.80, 0.81])
