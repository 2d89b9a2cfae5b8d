"""Abstention models side by side on tune: what `eval.calibrate_abstain`'s boosted trees were chosen against.

    python -m eval.compare_abstain_models

Collects each tune question's `Signals` (qa/abstain.py) through the served index, as the calibration does,
and for each candidate prints: AUROC out of fold (three 5-fold splits, averaged), the share of unanswerable
questions caught at the threshold that wrongly abstains on 3 % of answerable ones out of fold, that share
on the ninth tune set alone (questions off the report's subject), and AUROC on the fifth tune set, held
out of every fit (`HELD_OUT`). Then what the kept model's threshold trades, out of fold: the share caught
at 1 to 8 % wrong, and at 1 to 3 % read without each tune set in turn, what that set sees. Tune only: no
test question is asked.
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
    Predict,
    boosted,
    collect,
    fitted_probabilities,
    out_of_fold,
    separation,
    threshold_for,
)
from eval.query_cache import cache_queries
from eval.questions import DEFAULT_PATHS, SPLITS, TUNE9_PATH, load_questions
from qa.answer_type import expected_type
from qa.engine import Engine
from qa.settings import get_settings

# The inverse regularisation strengths the logistic models choose among by inner 3-fold cross-validation,
# as the products model did when it served.
_STRENGTHS = (0.01, 0.03, 0.1, 0.3, 1.0)
_KINDS = ("contact", "person", "number", "date", "place", "page")
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


# name, candidate, whether it also reads the question's answer type (one column per type)
CANDIDATES: tuple[tuple[str, Predict, bool], ...] = (
    ("logistic over the products (before)",
     _logistic(StandardScaler(), PolynomialFeatures(2, include_bias=False), StandardScaler()), False),
    ("logistic over the signals alone", _logistic(StandardScaler()), False),
    ("boosted trees (kept: eval.calibrate_abstain.TREES)", fitted_probabilities, False),
    ("boosted trees, 100, all rows", _boosted(n_estimators=100, subsample=1.0), False),
    ("boosted trees, depth 3", _boosted(max_depth=3), False),
    ("random forest, 300 trees, leaves >= 5", _forest, False),
    ("boosted trees + the answer type", fitted_probabilities, True),
)


def main(argv: Sequence[str]) -> int:
    warnings.filterwarnings("ignore", category=FutureWarning)  # scikit-learn's notices on LogisticRegressionCV
    engine = Engine(get_settings())
    cache_queries(engine)
    sets = {path: [q for q in load_questions(path) if q.split == SPLITS[0]] for path in DEFAULT_PATHS}
    questions = [q for qs in sets.values() for q in qs]
    signals = np.array([s.vector() for s in collect(engine, questions)])
    kinds = np.array([[expected_type(q.question) == kind for kind in _KINDS] for q in questions], dtype=float)
    y = np.array([bool(q.evidence) for q in questions])
    source = [path for path, qs in sets.items() for _ in qs]
    held_out = np.array([path in HELD_OUT for path in source])
    ninth = np.array([path == TUNE9_PATH for path in source])[~held_out]
    fitted_y = y[~held_out]
    print(f"tune: {int(fitted_y.sum())} answerable, {int((~fitted_y).sum())} unanswerable fitted on; "
          f"held out: {int(held_out.sum())}")
    print(f"{'model':52} {'AUROC':>7} {'caught':>7} {'ninth':>7} {'held out':>9}")
    for name, candidate, with_kind in CANDIDATES:
        x = np.hstack([signals, kinds]) if with_kind else signals
        rows = []
        for seed in range(3):
            unseen = out_of_fold(x[~held_out], fitted_y, seed=seed, predict=candidate)
            threshold = threshold_for(unseen, fitted_y, MAX_WRONG)
            rows.append((separation(unseen, fitted_y), float((unseen[~fitted_y] < threshold).mean()),
                         float((unseen[ninth] < threshold).mean())))
        auroc, caught, caught_ninth = np.mean(rows, axis=0)
        held = separation(candidate(x[~held_out], fitted_y, x[held_out]), y[held_out])
        print(f"{name:52} {auroc:7.3f} {caught:7.2f} {caught_ninth:7.2f} {held:9.3f}")
    unseen = out_of_fold(signals[~held_out], fitted_y)
    trade = []
    for wrong in (0.01, 0.02, 0.03, 0.04, 0.05, 0.08):
        threshold = threshold_for(unseen, fitted_y, wrong)
        trade.append(f"{wrong:.0%} wrong: {float((unseen[~fitted_y] < threshold).mean()):.0%} caught")
    print("kept model, out of fold: " + ", ".join(trade))
    fitted_source = np.array([path.name for path in source])[~held_out]
    for wrong in (0.01, 0.02, 0.03):
        left_out = set_left_out_wrong(unseen, fitted_y, fitted_source, wrong)
        print(f"threshold read at {wrong:.0%} without one tune set, on that set: wrongly abstained mean "
              f"{np.mean(left_out):.1%}, most {max(left_out):.1%}, over 5 % in {sum(w > 0.05 for w in left_out)} "
              f"of {len(left_out)} sets")
    return 0


def set_left_out_wrong(unseen: np.ndarray, answerable: np.ndarray, source: np.ndarray, wrong: float) -> list[float]:
    """For each tune set with answerable questions, the share of them wrongly abstained on at the threshold
    read (at `wrong`) from the other sets: each set was written by other askers, so this is how far the
    threshold's error moves from one population of askers to the next."""
    shares = []
    for name in sorted(set(source[answerable])):
        threshold = threshold_for(unseen[source != name], answerable[source != name], wrong)
        shares.append(float((unseen[(source == name) & answerable] < threshold).mean()))
    return shares


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
