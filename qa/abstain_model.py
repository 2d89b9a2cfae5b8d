"""The abstention model: from a question's signals (qa/abstain.py) to the probability that the
report answers it.

A logistic model over the standardised signals, their squares and their pairwise products. The
signals work together, not one by one: a number in the best sentence (type match) says much when
that sentence also states the question's names (named_best) and little when it does not; a
passage that stands out (margin) means more when its words are the question's (lexical). On the
tune half the products lift the 5-fold cross-validated AUROC from 0.743 to 0.816 and refuse 5 of
its 9 off-topic questions against 4, where the linear model before had to be kept from giving
any signal a negative weight to stop off-topic questions getting through (README, "Abstention").

The fitted numbers are data: `python -m eval.calibrate_abstain --write` writes them to
`abstain_model.json` beside this module and prints the threshold for `Settings.min_confidence`.
"""
from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("abstain_model.json")


@dataclass(frozen=True)
class Model:
    """z = intercept + linear · u + Σ_{i ≤ j} quadratic[i][j] · u_i · u_j, with u = (signals − mean) / scale;
    the probability that the report answers is the logistic of z. Entries of `quadratic` below the
    diagonal are 0.

    Each signal is first held within the range it had on the questions the model was fitted on
    (`low`, `high`): a square fitted there bends back outside it, and a question matching the
    report's words better than any tune question did (BM25 beyond tune's highest) must not be
    read as less likely answered (the fitted lexical square would take it from 0.48 at tune's highest
    to 0.21 a little beyond)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    intercept: float
    linear: tuple[float, ...]
    quadratic: tuple[tuple[float, ...], ...]
    low: tuple[float, ...]
    high: tuple[float, ...]

    def probability(self, signals: Sequence[float]) -> float:
        held = np.clip(np.asarray(signals, dtype=float), self.low, self.high)
        u = (held - np.asarray(self.mean)) / np.asarray(self.scale)
        z = self.intercept + float(np.dot(self.linear, u)) + float(u @ np.asarray(self.quadratic) @ u)
        return 1.0 / (1.0 + math.exp(-z))

    def save(self, path: Path = MODEL_FILE) -> None:
        path.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> Model:
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(tuple(data["mean"]), tuple(data["scale"]), data["intercept"], tuple(data["linear"]),
                   tuple(tuple(row) for row in data["quadratic"]), tuple(data["low"]), tuple(data["high"]))


@lru_cache(maxsize=1)
def fitted_model() -> Model:
    """The model `eval.calibrate_abstain` fitted on the tune half."""
    return Model.load()
