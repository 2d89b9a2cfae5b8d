"""Abstention models side by side on tune: what `eval.calibrate_abstain`'s model was chosen against.

    python -m eval.compare_abstain_models

Collects each tune question's `Signals` (qa/abstain.py) and vector through the served index, as the
calibration does, and for each candidate prints: AUROC out of fold (three 5-fold splits, averaged), the
share of unanswerable questions caught at the threshold that wrongly abstains on 3 % of answerable ones out
of fold, that share on the ninth tune set alone (questions off the report's subject), AUROC with each tune
set scored by a model fitted on the others (each set has its own writer: how the model meets askers it
has not seen), and AUROC on the fifth tune set, held out of every fit (`HELD_OUT`). Then what the kept
model's threshold trades, out of fold: the share caught at 1 to 8 % wrong (how each tune set fares left
out at each level: `eval.calibrate_abstain`). Tune only: no test question is asked.
"""
from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegressionCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from eval.calibrate_abstain import (
    HELD_OUT,
    PRIOR,
    SIGNALS,
    Predict,
    boosted,
    collect,
    fit_prior,
    fitted_probabilities,
    log_odds_of,
    out_of_fold,
    out_of_set,
    separation,
    threshold_for,
)
from eval.query_cache import cache_queries
from eval.questions import DEFAULT_PATHS, SPLITS, TUNE9_PATH, load_questions
from qa.engine import Engine
from qa.settings import get_settings

# The inverse regularisation strengths the logistic models choose among by inner 3-fold cross-validation,
# as the products model did when it served.
_STRENGTHS = (0.01, 0.03, 0.1, 0.3, 1.0)
# The level the service's threshold is read at: the one `eval.calibrate_abstain`'s rule picked on
# 2026-12-07's tune (2 % before; README tables of earlier steps are read at 2 %).
MAX_WRONG = 0.03


def _logistic(*steps) -> Predict:
    def candidate(x: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
        model = make_pipeline(*steps, LogisticRegressionCV(Cs=_STRENGTHS, cv=3, scoring="roc_auc",
                                                           class_weight="balanced"))
        return model.fit(x, y).predict_proba(rows)[:, 1]
    return candidate


def _boosted(**overrides) -> Predict:
    def candidate(x: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
        return boosted(x, y, **overrides).predict_proba(rows)[:, 1]
    return candidate


def _forest(x: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
    model = RandomForestClassifier(300, min_samples_leaf=5, class_weight="balanced", random_state=0, n_jobs=1)
    return model.fit(x, y).predict_proba(rows)[:, 1]


_WITHOUT_PRIOR = [i for i in range(SIGNALS) if i != PRIOR]


def _without_prior(candidate: Predict, vector: bool = False) -> Predict:
    """`candidate` on the signals without the question prior (and with the question's vector if `vector`).
    A table's prior column is what the served model gives, fitted on these very questions: only
    `fitted_probabilities`, which puts out-of-fold values in its place, may read it."""
    def without(x: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
        columns = _WITHOUT_PRIOR + (list(range(SIGNALS, x.shape[1])) if vector else [])
        return candidate(x[:, columns], y, rows[:, columns])
    return without


def _prior_alone(x: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return log_odds_of(fit_prior(x[:, SIGNALS:], y, ""), rows[:, SIGNALS:])


# name, candidate (it reads a `collect` table: the signals, then the question's vector)
CANDIDATES: tuple[tuple[str, Predict], ...] = (
    ("logistic over the products (before trees)",
     _without_prior(_logistic(StandardScaler(), PolynomialFeatures(2, include_bias=False), StandardScaler()))),
    ("logistic over the signals alone", _without_prior(_logistic(StandardScaler()))),
    ("boosted trees (before the prior)", _without_prior(_boosted())),
    ("boosted trees, 100, all rows", _without_prior(_boosted(n_estimators=100, subsample=1.0))),
    ("boosted trees, depth 3", _without_prior(_boosted(max_depth=3))),
    ("random forest, 300 trees, leaves >= 5", _without_prior(_forest)),
    ("the question prior alone", _prior_alone),
    ("boosted trees over the signals and the vector", _without_prior(_boosted(), vector=True)),
    ("boosted trees + the question prior (kept)", fitted_probabilities),
)


def main(argv: Sequence[str]) -> int:
    warnings.filterwarnings("ignore", category=FutureWarning)  # scikit-learn's notices on LogisticRegressionCV
    engine = Engine(get_settings())
    cache_queries(engine)
    sets = {path: [q for q in load_questions(path) if q.split == SPLITS[0]] for path in DEFAULT_PATHS}
    questions = [q for qs in sets.values() for q in qs]
    table = collect(engine, questions)
    y = np.array([bool(q.evidence) for q in questions])
    source = [path for path, qs in sets.items() for _ in qs]
    held_out = np.array([path in HELD_OUT for path in source])
    ninth = np.array([path == TUNE9_PATH for path in source])[~held_out]
    fitted_y = y[~held_out]
    print(f"tune: {int(fitted_y.sum())} answerable, {int((~fitted_y).sum())} unanswerable fitted on; "
          f"held out: {int(held_out.sum())}")
    fitted_source = np.array([path.name for path in source])[~held_out]
    print(f"{'model':52} {'AUROC':>7} {'caught':>7} {'ninth':>7} {'by set':>7} {'held out':>9}")
    for name, candidate in CANDIDATES:
        rows = []
        for seed in range(3):
            unseen = out_of_fold(table[~held_out], fitted_y, seed=seed, predict=candidate)
            threshold = threshold_for(unseen, fitted_y, MAX_WRONG)
            rows.append((separation(unseen, fitted_y), float((unseen[~fitted_y] < threshold).mean()),
                         float((unseen[ninth] < threshold).mean())))
        auroc, caught, caught_ninth = np.mean(rows, axis=0)
        by_set = separation(out_of_set(table[~held_out], fitted_y, fitted_source, candidate), fitted_y)
        held = separation(candidate(table[~held_out], fitted_y, table[held_out]), y[held_out])
        print(f"{name:52} {auroc:7.3f} {caught:7.2f} {caught_ninth:7.2f} {by_set:7.3f} {held:9.3f}")
    unseen = out_of_fold(table[~held_out], fitted_y)
    trade = []
    for wrong in (0.01, 0.02, 0.03, 0.04, 0.05, 0.08):
        threshold = threshold_for(unseen, fitted_y, wrong)
        trade.append(f"{wrong:.0%} wrong: {float((unseen[~fitted_y] < threshold).mean()):.0%} caught")
    print("kept model, out of fold: " + ", ".join(trade))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
