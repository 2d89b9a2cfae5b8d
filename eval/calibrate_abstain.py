"""Fit the abstention model on the tune half, read it on the test half.

    python -m eval.calibrate_abstain [--max-wrong 0.03]

Asks every question of the sets in eval/questions.py (`DEFAULT_PATHS`) through the served index,
collects each one's `Signals` (qa/abstain.py), fits a logistic regression on
the tune questions (answerable vs not, classes balanced; see `fit`), and picks the threshold
that wrongly abstains on at most `--max-wrong` of the tune half's answerable
questions. It prints the weights and the threshold to put into
qa/abstain.py and Settings.min_confidence, and for both halves: precision
and recall of abstaining, the share of answerable questions wrongly
abstained on, and AUROC (how well the probability ranks unanswerable below
answerable, threshold-free); for tune also a cross-validated AUROC.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold

from eval.query_cache import cache_queries
from eval.metrics import auroc
from eval.questions import DEFAULT_PATHS, SPLITS, load_questions
from eval.runner import split_groups
from qa.abstain import Signals, answer_probability
from qa.engine import Engine
from qa.settings import get_settings


def fit(x: np.ndarray, y: np.ndarray) -> tuple[float, list[float]]:
    """Logistic regression on standardised signals, weights returned on the raw scale.

    The tune half has few unanswerable questions, so the regularisation is
    chosen by 3-fold cross-validation within it (AUROC), not left at 1.
    Every signal grows with the evidence of an answer, so none may lower the
    probability: a signal whose weight comes out negative is left out (weight
    0) and the rest refitted. Negative weights fitted how tune's questions were
    written (answerable ones paraphrased, unanswerable ones in the report's
    words) and let an off-topic question through ("Hur många ben har en
    spindel?": no word covered, so a negative coverage weight raised it).
    """
    kept = np.ones(x.shape[1], dtype=bool)
    while True:
        mean, scale = x[:, kept].mean(axis=0), x[:, kept].std(axis=0)
        scale[scale == 0] = 1.0
        model = LogisticRegressionCV(Cs=[0.01, 0.1, 1.0, 10.0], cv=3, scoring="roc_auc",
                                     class_weight="balanced").fit((x[:, kept] - mean) / scale, y)
        fitted = model.coef_[0] / scale
        if (fitted >= 0).all():
            break
        kept[np.flatnonzero(kept)[fitted < 0]] = False
    weights = np.zeros(x.shape[1])
    weights[kept] = fitted
    return float(model.intercept_[0] - (fitted * mean).sum()), [float(w) for w in weights]


def cross_validated_auroc(x: np.ndarray, y: np.ndarray, folds: int = 5) -> float:
    """AUROC on tune of models fitted without the question scored: the in-sample tune
    figure flatters the model; this says how much of it is fitting the few unanswerable questions."""
    probabilities = np.zeros(len(y))
    for train, held_out in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
        intercept, weights = fit(x[train], y[train])
        probabilities[held_out] = [answer_probability(Signals(*row), intercept, weights) for row in x[held_out]]
    return auroc(list(probabilities[y]), list(probabilities[~y]))


def threshold_for(probabilities: np.ndarray, answerable: np.ndarray, max_wrong: float) -> float:
    """The highest threshold that abstains on at most `max_wrong` of the answerable questions."""
    ordered = np.sort(probabilities[answerable])
    allowed = int(np.floor(max_wrong * len(ordered)))
    return float(ordered[allowed]) if allowed < len(ordered) else 1.0


def report(probabilities: np.ndarray, answerable: np.ndarray, threshold: float) -> dict[str, float]:
    abstained = probabilities < threshold
    unanswerable = ~answerable
    right = int((abstained & unanswerable).sum())
    return {
        "precision": right / max(int(abstained.sum()), 1),
        "recall": right / max(int(unanswerable.sum()), 1),
        "wrongly_abstained": float((abstained & answerable).sum() / max(int(answerable.sum()), 1)),
        "auroc": auroc(list(probabilities[answerable]), list(probabilities[unanswerable])),
        "n_answerable": int(answerable.sum()),
        "n_unanswerable": int(unanswerable.sum()),
    }


def collect(engine: Engine, questions: Sequence) -> list[Signals]:
    return [engine.retriever.search(q.question, k=10).signals for q in questions]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate_abstain")
    parser.add_argument("--max-wrong", type=float, default=0.03,
                        help="share of tune's answerable questions that may be wrongly abstained on")
    args = parser.parse_args(list(argv))
    engine = Engine(get_settings())
    cache_queries(engine)
    sets = {path: load_questions(path) for path in DEFAULT_PATHS}
    questions = [q for qs in sets.values() for q in qs]
    x = np.array([s.vector() for s in collect(engine, questions)])
    y = np.array([bool(q.evidence) for q in questions])
    split = np.array([q.split for q in questions])
    tune = split == SPLITS[0]
    intercept, weights = fit(x[tune], y[tune])
    probabilities = np.array([answer_probability(Signals(*row), intercept, weights) for row in x])
    threshold = threshold_for(probabilities[tune], y[tune], args.max_wrong)
    print(f"INTERCEPT = {intercept:.4g}")
    print(f"WEIGHTS = ({', '.join(f'{w:.4g}' for w in weights)})  # {', '.join(Signals.__dataclass_fields__)}")
    print(f"min_confidence = {threshold:.4g}  (tune: at most {args.max_wrong:.0%} of answerable wrongly abstained)")
    print(f"tune AUROC, 5-fold cross-validated: {cross_validated_auroc(x[tune], y[tune]):.3f}")
    # The rule this model replaces: top + margin + 0.03 × lexical ≥ 0.93, set by hand on the whole first set.
    before = x[:, 0] + x[:, 1] + 0.03 * x[:, 2]
    ids = np.array([q.id for q in questions])
    for name, members in split_groups(sets).items():
        rows = np.isin(ids, list(members))
        figures = report(probabilities[rows], y[rows], threshold)
        print(f"{name}: " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}"
                                      for k, v in figures.items()))
        print("   before (hand-set rule): " + ", ".join(
            f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in report(before[rows], y[rows], 0.93).items()))
        alone = [auroc(list(x[rows & y, i]), list(x[rows & ~y, i])) for i in range(x.shape[1])]
        print("   AUROC of each signal alone: " + ", ".join(
            f"{field} {value:.3f}" for field, value in zip(Signals.__dataclass_fields__, alone)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
