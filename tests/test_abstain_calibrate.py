"""The calibration script's parts: fitting on raw signals, the model file, the threshold, cross-validated AUROC."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from eval.calibrate_abstain import (
    PRIOR,
    SIGNALS,
    boosted,
    cross_validated_auroc,
    fit,
    left_out_by_level,
    left_out_wrong,
    out_of_fold,
    probabilities_of,
    separation,
    threshold_for,
    threshold_level,
    unseen_prior,
    with_prior,
)
from eval.compare_abstain_models import CANDIDATES
from qa.abstain_model import Model

VECTOR = 6  # a small stand-in for the question's 384-wide vector


def signals_table(seed: int, n: int, separable: bool, by: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A `collect` table: the signals, then the question's vector; column `by` alone tells the halves
    apart when `separable` (0: the top similarity; SIGNALS: the vector's first entry)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 4 != 0  # a quarter unanswerable, like the tune set
    x = rng.normal(size=(n, SIGNALS + VECTOR))
    if separable:
        x[:, by] += np.where(y, 3.0, -3.0)
    return x, y


def test_the_unpacked_trees_give_the_fitted_probabilities_on_raw_signals() -> None:
    """`fit` unpacks scikit-learn's boosted trees into a `Model` that reads them without it: it must
    give the probabilities the fitted classifier gives, on the signals fitted on and on others."""
    x, y = signals_table(0, 80, separable=True)
    x[:, 0] = x[:, 0] * 0.01 + 0.85  # raw similarities: small spread around 0.85
    model = fit(x, y)
    fitted_on = x[:, :SIGNALS].copy()
    fitted_on[:, PRIOR] = unseen_prior(x[:, SIGNALS:], y)  # the prior as fit gives it the trees
    reference = boosted(fitted_on, y)
    others = signals_table(3, 40, separable=False)[0]
    for rows in (x, others):
        assert probabilities_of(model, rows) == pytest.approx(
            reference.predict_proba(with_prior(model, rows))[:, 1], abs=1e-9)
    assert probabilities_of(model, x)[y].min() > probabilities_of(model, x)[~y].max()


def test_a_product_of_signals_is_learned() -> None:
    """Neither signal alone tells the halves apart, the pair does: what trees of depth two are for."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(200, SIGNALS + VECTOR))
    y = x[:, 4] * x[:, 5] > 0
    assert cross_validated_auroc(x, y) > 0.8  # one signal at a time (stumps, or a linear model): about 0.5


def test_the_model_survives_its_file(tmp_path: Path) -> None:
    model = fit(*signals_table(5, 80, separable=True))
    model.save(tmp_path / "model.json")
    assert Model.load(tmp_path / "model.json") == model


def test_threshold_abstains_on_at_most_the_allowed_share() -> None:
    probabilities = np.linspace(0.0, 1.0, 101)
    answerable = np.ones(101, dtype=bool)
    threshold = threshold_for(probabilities, answerable, max_wrong=0.03)
    assert (probabilities < threshold).sum() == 3


def test_the_level_is_the_highest_at_which_askers_left_out_stay_within_the_bound() -> None:
    """Two sets of 100 answerable questions (and 10 unanswerable ones, which the wrong share ignores);
    the second set's askers score 2 lower with the model fitted without them than out of fold, so at a
    threshold read on the first set they are refused 2 more: pooled, a point above the level read at."""
    scores = np.arange(1.0, 101.0)
    unseen = np.concatenate([scores, np.zeros(10), scores, np.zeros(10)])
    answerable = np.tile(np.r_[np.ones(100, dtype=bool), np.zeros(10, dtype=bool)], 2)
    source = np.repeat(["a", "b"], 110)
    by_set = unseen - np.where(source == "b", 2.0, 0.0)
    shares, pooled = left_out_wrong(unseen, by_set, answerable, source, wrong=0.03)
    assert shares == pytest.approx([0.03, 0.05]) and pooled == pytest.approx(0.04)
    # 4 % pooled: within NEW_ASKERS_WRONG
    assert threshold_level(left_out_by_level(unseen, by_set, answerable, source)) == 0.03
    assert threshold_level(left_out_by_level(unseen, by_set - np.where(source == "b", 10.0, 0.0), answerable,
                                              source)) == 0.01


def test_cross_validated_auroc_tells_signal_from_noise() -> None:
    assert cross_validated_auroc(*signals_table(1, 80, separable=True)) > 0.95
    assert cross_validated_auroc(*signals_table(2, 80, separable=False)) < 0.75


def test_the_question_prior_is_learned_from_the_vector() -> None:
    """When only the questions' vectors tell the halves apart, the prior learns it and the trees read it."""
    x, y = signals_table(8, 120, separable=True, by=SIGNALS)
    assert cross_validated_auroc(x, y) > 0.9
    assert cross_validated_auroc(*signals_table(9, 120, separable=False)) < 0.75


def test_every_compared_model_learns_a_separable_table() -> None:
    """`eval.compare_abstain_models` must keep running as the models change: each candidate, out of fold,
    tells apart what the top similarity and the vector each tell apart (the prior reads only the vector)."""
    x, y = signals_table(6, 120, separable=True)
    x[:, SIGNALS] += np.where(y, 3.0, -3.0)
    for name, candidate in CANDIDATES:
        assert separation(out_of_fold(x, y, predict=candidate), y) > 0.9, name
