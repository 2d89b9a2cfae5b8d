"""The calibration script's parts: fitting on raw signals, the threshold, cross-validated AUROC."""
from __future__ import annotations

import numpy as np

from eval.calibrate_abstain import cross_validated_auroc, fit, threshold_for
from qa.abstain import Signals, answer_probability

FIELDS = len(Signals.__dataclass_fields__)


def signals_table(seed: int, n: int, separable: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 4 != 0  # a quarter unanswerable, like the tune set
    x = rng.normal(size=(n, FIELDS))
    if separable:
        x[:, 0] += np.where(y, 3.0, -3.0)  # top similarity alone tells them apart
    return x, y


def test_weights_come_back_on_the_raw_scale() -> None:
    x, y = signals_table(0, 80, separable=True)
    x[:, 0] = x[:, 0] * 0.01 + 0.85  # raw similarities: small spread around 0.85
    intercept, weights = fit(x, y)
    probabilities = np.array([answer_probability(Signals(*row), intercept, weights) for row in x])
    assert probabilities[y].min() > probabilities[~y].max()


def test_a_signal_that_would_lower_the_probability_is_left_out() -> None:
    x, y = signals_table(3, 80, separable=True)
    x[:, 1] = np.where(y, -1.0, 1.0) + x[:, 1] * 0.5  # more of it where the report does not answer
    intercept, weights = fit(x, y)
    assert weights[1] == 0.0 and weights[0] > 0
    assert min(weights) >= 0.0


def test_threshold_abstains_on_at_most_the_allowed_share() -> None:
    probabilities = np.linspace(0.0, 1.0, 101)
    answerable = np.ones(101, dtype=bool)
    threshold = threshold_for(probabilities, answerable, max_wrong=0.03)
    assert (probabilities < threshold).sum() == 3


def test_cross_validated_auroc_tells_signal_from_noise() -> None:
    assert cross_validated_auroc(*signals_table(1, 80, separable=True)) > 0.95
    assert cross_validated_auroc(*signals_table(2, 80, separable=False)) < 0.75
