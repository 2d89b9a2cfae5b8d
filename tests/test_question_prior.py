"""The question prior: log-odds from the question's vector, only for the encoder it was fitted on."""
from __future__ import annotations

import numpy as np
import pytest

from index.embedder import MODEL_ID
from qa.abstain_model import fitted_model
from qa.question_prior import QuestionPrior

PRIOR = QuestionPrior("e5", (1.0, -2.0, 0.5), bias=0.25, neutral=1.75)


def test_log_odds_are_the_weighted_vector_plus_the_bias() -> None:
    assert PRIOR.log_odds(np.array([1.0, 1.0, 2.0]), "e5") == pytest.approx(1.0 - 2.0 + 1.0 + 0.25)


def test_another_encoders_vector_gets_the_neutral_value() -> None:
    """A vector of another encoder, or of another size, places the question nowhere the prior knows."""
    assert PRIOR.log_odds(np.array([1.0, 1.0, 2.0]), "fake-hash-embedder") == 1.75
    assert PRIOR.log_odds(np.ones(4), "e5") == 1.75


def test_the_served_prior_reads_the_e5_model_vectors() -> None:
    prior = fitted_model().prior
    assert prior.encoder == MODEL_ID
    assert len(prior.weights) == 384  # multilingual-e5-small's vectors
