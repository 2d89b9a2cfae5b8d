"""The calibration script's parts: fitting on raw signals, the model file, the threshold, cross-validated AUROC."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegressionCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from eval.calibrate_abstain import REGULARISATION, cross_validated_auroc, fit, probabilities_of, threshold_for
from qa.abstain import Signals
from qa.abstain_model import Model

FIELDS = len(Signals.__dataclass_fields__)


def signals_table(seed: int, n: int, separable: bool) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 4 != 0  # a quarter unanswerable, like the tune set
    x = rng.normal(size=(n, FIELDS))
    if separable:
        x[:, 0] += np.where(y, 3.0, -3.0)  # top similarity alone tells them apart
    return x, y


def test_the_folded_model_gives_the_fitted_probabilities_on_raw_signals() -> None:
    """`fit` folds two standardisations and the products into one `Model`: it must give the
    probabilities the fitted pipeline gives, on raw signals of any spread."""
    x, y = signals_table(0, 80, separable=True)
    x[:, 0] = x[:, 0] * 0.01 + 0.85  # raw similarities: small spread around 0.85
    model = fit(x, y)
    reference = make_pipeline(StandardScaler(), PolynomialFeatures(2, include_bias=False), StandardScaler(),
                              LogisticRegressionCV(Cs=REGULARISATION, cv=3, scoring="roc_auc",
                                                   class_weight="balanced")).fit(x, y)
    assert probabilities_of(model, x) == pytest.approx(reference.predict_proba(x)[:, 1], abs=1e-9)
    assert probabilities_of(model, x)[y].min() > probabilities_of(model, x)[~y].max()
    assert model.low == tuple(x.min(axis=0)) and model.high == tuple(x.max(axis=0))


def test_a_product_of_signals_is_learned() -> None:
    """Neither signal alone tells the halves apart, their product does: what the products are for."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(200, FIELDS))
    y = x[:, 4] * x[:, 5] > 0
    assert cross_validated_auroc(x, y) > 0.8  # a model without the products: about 0.5


def test_the_model_survives_its_file(tmp_path: Path) -> None:
    model = fit(*signals_table(5, 80, separable=True))
    model.save(tmp_path / "model.json")
    assert Model.load(tmp_path / "model.json") == model


def test_threshold_abstains_on_at_most_the_allowed_share() -> None:
    probabilities = np.linspace(0.0, 1.0, 101)
    answerable = np.ones(101, dtype=bool)
    threshold = threshold_for(probabilities, answerable, max_wrong=0.03)
    assert (probabilities < threshold).sum() == 3


def test_cross_validated_auroc_tells_signal_from_noise() -> None:
    assert cross_validated_auroc(*signals_table(1, 80, separable=True)) > 0.95
    assert cross_validated_auroc(*signals_table(2, 80, separable=False)) < 0.75
