"""How likely the report is to answer a question like this one, from the question's vector alone.

Why: the other abstention signals (qa/abstain.py) read the question against the passages found, and a
question next to a figure the report gives matches its passage as well as an answerable one does. But
many questions the report leaves unanswered are of kinds it never answers at all: today's prices and
opening hours, who holds an office, what the weather or the politics will be. The encoder's vector of a
question places it among questions of its kind, so a logistic regression over that vector, fitted on the
tune questions (answerable or not), gives the log-odds that the report answers questions there; the
boosted trees read it as one more signal (qa/abstain_model.py). It was fitted by
`python -m eval.calibrate_abstain`; its measurement is in the README ("A question prior").

It is fitted on one report's questions and one encoder's vectors. Vectors of another encoder (the small
fake one of the unit tests) say nothing to it: the signal then takes its `neutral` value, the mean over
tune, and the trees decide on the other signals. A new kind of report needs its own tune questions and a
refit, as the trees do.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np


@dataclass(frozen=True)
class QuestionPrior:
    """log-odds = weights · vector + bias, for vectors of `encoder` (Embedder.name)."""

    encoder: str
    weights: tuple[float, ...]
    bias: float
    neutral: float  # the mean log-odds over tune: what a vector of another encoder gets

    @cached_property
    def _weights(self) -> np.ndarray:
        """`weights` as an array once, not on every question."""
        return np.asarray(self.weights, dtype=np.float32)

    def log_odds(self, vector: np.ndarray, encoder: str) -> float:
        if encoder != self.encoder or len(vector) != len(self.weights):
            return self.neutral
        return float(np.dot(self._weights, vector) + self.bias)
