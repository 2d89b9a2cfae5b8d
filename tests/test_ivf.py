"""The IVF index the local store builds above `ann_threshold` passages (index/stores/local.py)."""
from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np

from index.stores.local import AnnParams, ivf_index, probes

ANN = AnnParams(threshold=0, lists_factor=4.0, train_per_list=64, probe_share=0.8)


def clustered(n: int, seed: int) -> np.ndarray:
    """Unit vectors around 40 centres, as passages of a few topics are."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((40, 32)).astype(np.float32)
    x = centres[rng.integers(0, 40, n)] + 0.4 * rng.standard_normal((n, 32)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_lists_grow_with_the_square_root_of_the_rows_and_a_share_of_them_is_searched():
    index = ivf_index(clustered(2_500, 0), ANN)
    assert index.nlist == 200 and index.nprobe == 160
    tiny = ivf_index(clustered(3, 0), AnnParams(0, 4.0, 64, probe_share=0.1))
    assert tiny.nlist == 3 and tiny.nprobe == 1  # never more lists than rows, at least one searched


def test_more_lists_searched_find_more_of_the_exact_neighbours():
    vectors, questions = clustered(4_000, 0), clustered(100, 1)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    truth = exact.search(questions, 10)[1]
    index = ivf_index(vectors, ANN)

    def recall(nprobe: int) -> float:
        index.nprobe = nprobe
        found = index.search(questions, 10)[1]
        return float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)]))

    assert recall(1) < recall(16) < recall(64) <= recall(index.nlist) == 1.0  # every list: exact search
    assert recall(probes(index.nlist, ANN.probe_share)) >= 0.95


def test_written_and_read_back_it_still_gives_each_row_its_vector(tmp_path: Path):
    """Candidates are rescored from their stored vectors: the direct map survives the file."""
    vectors = clustered(500, 2)
    faiss.write_index(ivf_index(vectors, ANN), str(tmp_path / "v.faiss"))
    loaded = faiss.read_index(str(tmp_path / "v.faiss"))
    rows = np.array([0, 17, 499])
    assert np.allclose(loaded.reconstruct_batch(rows), vectors[rows])
