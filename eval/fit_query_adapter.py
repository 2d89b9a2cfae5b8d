"""Fit the query adapter (qa/query_adapter.py) on the tune questions, and say what it does out of fold.

    python -m eval.fit_query_adapter [--folds 5] [--write]

Reads the served report's passage and sentence vectors from the local store and each answerable tune
question's evidence passages (those `eval.metrics.contains_evidence` finds the evidence in). The tune sets
are dealt into `--folds` folds, a whole set to a fold, so that each fold's questions come from askers the
adapter fitted beside them has not seen; each fold is asked through the whole service (routes, lifts,
abstention) with the adapter fitted on the other folds, and then without any. It prints both, side by
side, and how many questions entered or left the top 5. `--write` then fits on every tune question and
writes qa/query_adapter.npz.

The fit minimises, over the question set, the cross-entropy of each question's evidence passages among
all the report's passages, scored as the service scores them (qa/scoring.py: passage and best-sentence
cosine blended by `sentence_weight`) with the question's vector moved by `I + D`, divided by `TEMPERATURE`;
plus `SHRINK` × ‖D‖², which keeps the map near the identity where the questions say little.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from eval.metrics import contains_evidence
from eval.query_cache import cache_queries
from eval.questions import DEFAULT_PATHS, SPLITS, Question, load_questions
from eval.runner import ItemResult, library_asker, retrieval_metrics, run
from index.stores.local import LocalVersion
from qa.engine import Engine
from qa.query_adapter import ADAPTER_FILE, QueryAdapter
from qa.scoring import blend
from qa.settings import get_settings

# Chosen on tune, two folds of whole sets, by the held-out folds' hit@5 under the blended similarity alone
# (before the routes; README, "A query adapter"): temperature 0.02 and 0.05, shrinkage 0 / 0.001 / 0.01 /
# 0.1, 50 and 150 steps of Adam at 0.003. Without an adapter 0.758 / 0.789; 0.02, 0.01, 50 steps gave
# 0.910 / 0.869, the best mean; 0.05 stayed below 0.02 at every shrinkage, 0.1 fell to 0.83-0.88, and 150
# steps gained nothing over 50.
TEMPERATURE = 0.02
SHRINK = 0.01
STEPS = 50
LEARNING_RATE = 0.003
# Folds of whole tune sets for the out-of-fold figures and for the abstention fit (eval/calibrate_abstain.py).
FOLDS = 5


@dataclass(frozen=True)
class Passages:
    """A report's passage and sentence vectors, as the fit scores them."""

    report: str  # its title, as the adapter records it
    texts: list[str]
    vectors: torch.Tensor  # passages × dim, unit length
    sentences: torch.Tensor  # sentences × dim, unit length
    owner: torch.Tensor  # each sentence's passage
    sentence_weight: float

    @classmethod
    def of(cls, version: LocalVersion, sentence_weight: float) -> Passages:
        index = version.index
        vectors = index.vectors.reconstruct_n(0, len(index.chunks)).astype(np.float32)
        owner = index.sentences.owners(np.arange(len(index.sentences.vectors)))
        return cls(version.title, [chunk.text for chunk in index.chunks], torch.from_numpy(vectors),
                   torch.from_numpy(index.sentences.vectors), torch.from_numpy(owner), sentence_weight)

    def similarity(self, queries: torch.Tensor) -> torch.Tensor:
        """Questions × passages: passage and best-sentence cosine blended by qa/scoring.py's `blend` (a passage
        without sentences counts its own cosine twice, as `SentenceIndex.best_per_passage` does)."""
        queries = queries / queries.norm(dim=1, keepdim=True)
        dense = queries @ self.vectors.T
        owner = self.owner.expand(len(queries), -1)
        best = torch.full_like(dense, -2.0).scatter_reduce(1, owner, queries @ self.sentences.T, "amax")
        best = torch.where(best < -1.5, dense, best)
        return blend(dense, best, self.sentence_weight)

    def answering(self, question: Question) -> list[int]:
        """The passages that hold the question's evidence."""
        return [i for i, text in enumerate(self.texts) if any(contains_evidence(text, e) for e in question.evidence)]


def fit(passages: Passages, queries: np.ndarray, answers: Sequence[Sequence[int]], encoder: str) -> QueryAdapter:
    """The adapter under which each question's answering passages outscore the rest (module docstring)."""
    torch.manual_seed(0)
    x = torch.from_numpy(np.asarray(queries, dtype=np.float32))
    answer = torch.zeros(len(x), len(passages.texts), dtype=torch.bool)
    for row, positions in enumerate(answers):
        answer[row, list(positions)] = True
    delta = torch.zeros(x.shape[1], x.shape[1], requires_grad=True)
    optimiser = torch.optim.Adam([delta], lr=LEARNING_RATE)
    for _ in range(STEPS):
        scores = passages.similarity(x + x @ delta.T) / TEMPERATURE
        loss = (torch.logsumexp(scores, 1) - torch.logsumexp(scores.masked_fill(~answer, -1e9), 1)).mean()
        loss = loss + SHRINK * (delta ** 2).sum()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return QueryAdapter(encoder, passages.report, delta.detach().numpy())


def tune_sets() -> dict[Path, list[Question]]:
    """Each question set's tune questions, by file (a file is one group of askers)."""
    sets = {path: [q for q in load_questions(path) if q.split == SPLITS[0]] for path in DEFAULT_PATHS}
    return {path: questions for path, questions in sets.items() if questions}


def folds_of(sets: dict[Path, list[Question]], folds: int) -> list[list[Path]]:
    """Whole sets dealt in turn, in file-name order, into `folds` folds."""
    names = sorted(sets)
    return [names[i::folds] for i in range(folds)]


class Fitter:
    """Fits adapters on chosen tune questions of the served report: `fit_on` caches what every fit reads."""

    def __init__(self, engine: Engine) -> None:
        versions = list(engine.retriever.indexes.values())
        if len(versions) != 1 or not isinstance(versions[0], LocalVersion):
            raise SystemExit("Anpassningen passas på en enda rapport i det lokala indexet (QA_BACKEND=local).")
        self.engine = engine
        self.passages = Passages.of(versions[0], engine.settings.sentence_weight)
        self._answers: dict[str, list[int]] = {}

    def fit_on(self, questions: Sequence[Question]) -> QueryAdapter:
        """The adapter fitted on the answerable ones among `questions` whose evidence a passage holds."""
        rows = []
        for q in questions:
            if q.evidence and q.id not in self._answers:
                self._answers[q.id] = self.passages.answering(q)
            if q.evidence and self._answers[q.id]:
                rows.append(q)
        embedder = self.engine.retriever.embedder
        queries = np.array([embedder.query(q.question) for q in rows])
        return fit(self.passages, queries, [self._answers[q.id] for q in rows], embedder.name)


def cross_fitted(fitter: Fitter, sets: dict[Path, list[Question]], folds: int = FOLDS) -> dict[Path, QueryAdapter]:
    """For each tune set, the adapter fitted on the folds it is not in: what its questions would meet in
    service had their askers not been among the tune questions."""
    adapters = {}
    for fold in folds_of(sets, folds):
        adapter = fitter.fit_on([q for path in sets if path not in fold for q in sets[path]])
        adapters.update({path: adapter for path in fold})
    return adapters


def summary(label: str, results: Sequence[ItemResult]) -> str:
    metrics = retrieval_metrics(results)
    structure = [r for r in results if r.answerable and r.type == "structure"]
    found = sum(r.first_hit_rank is not None and r.first_hit_rank <= 5 for r in structure)
    return (f"{label}: hit@5 {metrics['hit@5']:.3f}, MRR@10 {metrics['mrr@10']:.3f}, "
            f"structure hit@5 {found / max(len(structure), 1):.3f} ({found} of {len(structure)})")


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.fit_query_adapter")
    parser.add_argument("--folds", type=int, default=FOLDS, help="folds of whole tune sets for the out-of-fold figures")
    parser.add_argument("--write", action="store_true", help=f"fit on all tune questions, write {ADAPTER_FILE.name}")
    args = parser.parse_args(list(argv))
    engine = Engine(get_settings(query_adapter=False))
    cache_queries(engine)
    fitter = Fitter(engine)
    sets = tune_sets()
    adapters = cross_fitted(fitter, sets, args.folds)
    ask = library_asker(engine)
    without, moved = [], []
    for path, questions in sets.items():
        engine.retriever.adapter = None
        without += run(questions, ask)
        engine.retriever.adapter = adapters[path]
        moved += run(questions, ask)
    print(f"tune, {args.folds} folds of whole sets, each asked with the adapter fitted on the others:")
    print("  " + summary("without adapter", without))
    print("  " + summary("with adapter   ", moved))
    before = {r.id: r.first_hit_rank or 99 for r in without}
    entered = sum(r.answerable and (r.first_hit_rank or 99) <= 5 < before[r.id] for r in moved)
    left = sum(r.answerable and before[r.id] <= 5 < (r.first_hit_rank or 99) for r in moved)
    print(f"  into the top 5: {entered}, out of it: {left}")
    if args.write:
        fitter.fit_on([q for questions in sets.values() for q in questions]).save()
        print(f"wrote {ADAPTER_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
