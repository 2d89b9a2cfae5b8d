"""The query adapter: applied only where it was fitted, and fitted so that evidence passages rise."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from eval.fit_query_adapter import Passages, fit, folds_of
from index.embedder import MODEL_ID
from qa.query_adapter import QueryAdapter, adapt, fitted_adapter

ROTATE = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]], dtype=np.float32)  # D: I + D turns x to y


def test_the_fitted_report_and_encoder_get_the_moved_unit_vector() -> None:
    adapter = QueryAdapter("e5", "Resultat Västerbotten 2024", ROTATE)
    moved = adapter.adapt(np.array([1.0, 0.0, 0.0], dtype=np.float32), "e5", "Resultat Västerbotten 2024")
    assert np.allclose(moved, np.array([1.0, 1.0, 0.0]) / np.sqrt(2))
    assert moved.dtype == np.float32


def test_another_report_encoder_or_size_is_searched_as_before() -> None:
    adapter = QueryAdapter("e5", "Resultat Västerbotten 2024", ROTATE)
    query = np.array([1.0, 0.0, 0.0], dtype=np.float32)
    assert adapter.adapt(query, "e5", "Resultat Västerbotten 2025") is query
    assert adapter.adapt(query, "fake-hash-embedder", "Resultat Västerbotten 2024") is query
    assert adapter.adapt(np.ones(4, dtype=np.float32), "e5", "Resultat Västerbotten 2024").tolist() == [1.0] * 4
    assert adapt(None, query, "e5", "Resultat Västerbotten 2024") is query


def test_saved_and_loaded_it_is_the_same_adapter(tmp_path: Path) -> None:
    path = tmp_path / "adapter.npz"
    QueryAdapter("e5", "Resultat Västerbotten 2024", ROTATE).save(path)
    loaded = QueryAdapter.load(path)
    assert (loaded.encoder, loaded.report) == ("e5", "Resultat Västerbotten 2024")
    assert np.array_equal(loaded.delta, ROTATE)


def test_the_served_adapter_reads_the_e5_model_vectors() -> None:
    adapter = fitted_adapter()
    assert adapter is not None and adapter.encoder == MODEL_ID
    assert adapter.delta.shape == (384, 384)  # multilingual-e5-small's vectors


def _unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def test_fitting_lifts_each_questions_evidence_to_the_top() -> None:
    """Questions that e5 would place nearer the wrong passage: each lies between passages i and i + 1, nearer
    i + 1, while passage i answers it. After the fit every question's own passage scores best, also for a
    question not fitted on whose answer follows the same pattern."""
    rng = np.random.default_rng(0)
    dim, n = 16, 6
    passages = _unit(rng.normal(size=(n, dim)).astype(np.float32))

    def ask(i: int, noise: np.ndarray) -> np.ndarray:
        return _unit(passages[i] + 1.2 * passages[(i + 1) % n] + 0.05 * noise).astype(np.float32)

    fitted_on = [0, 1, 2, 3, 4, 5] * 4
    queries = np.array([ask(i, rng.normal(size=dim)) for i in fitted_on])
    texts = [f"passage {i}" for i in range(n)]
    table = Passages("r", texts, torch.from_numpy(passages), torch.from_numpy(passages),
                     torch.arange(n), sentence_weight=0.5)
    before = (queries @ passages.T).argmax(axis=1)
    assert not np.array_equal(before, fitted_on)
    adapter = fit(table, queries, [[i] for i in fitted_on], "e5")
    unseen = ask(2, rng.normal(size=dim))
    moved = np.array([adapter.adapt(q, "e5", "r") for q in [*queries, unseen]])
    assert np.array_equal((moved @ passages.T).argmax(axis=1), [*fitted_on, 2])


def test_folds_deal_whole_sets_each_to_one_fold() -> None:
    """Out-of-fold figures and the abstention fit read each set's questions with an adapter fitted without
    any question of its askers, so a set is never split between folds."""
    sets = {Path(f"questions_tune{i}.jsonl"): [] for i in range(7)}
    folds = folds_of(sets, 3)
    assert len(folds) == 3 and all(folds)
    dealt = [path for fold in folds for path in fold]
    assert sorted(dealt) == sorted(sets)
