"""Benchmark: query latency and memory of dense passage search at 10⁴–10⁶ passages.

    python -m eval.bench_scale --sizes 10000 100000            # what the README shows
    python -m eval.bench_scale --sizes 1000000                  # ~1.5 GiB of vectors per store, long builds
    python -m eval.bench_scale --stores milvus --milvus-uri http://localhost:19530

Synthetic data, because no corpus here has 10⁶ passages: 384-d unit vectors drawn
around cluster centres (about 100 passages a cluster, cosine to the centre ≈ 0.8,
as compressed as e5's), each carrying a realistic passage (a ~1,200-character
piece of the bundled report) so that Milvus stores rows of the real size. For
each store: build seconds, memory, p50/p95 of one question's search for the
`candidate_depth` best passages (one at a time, one thread), and recall@10
against exact search. Stores:

- flat:   the local store's exact FAISS inner product (its choice up to `ann_threshold`)
- hnsw:   the local store's FAISS HNSW (above `ann_threshold`), Settings' M/efConstruction/efSearch
- milvus: Milvus HNSW with the same parameters (milvus-lite in a temporary file unless --milvus-uri)

Memory: for the local stores the size of the FAISS index (what the service holds per
report); for Milvus the growth of resident memory of this process and its children
(milvus-lite runs its engine in a child process) while the collection is built and loaded.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

from eval.metrics import percentile
from qa.settings import REPO_ROOT, Settings, get_settings

DIM = 384
PER_CLUSTER = 100
NOISE = 0.7  # ‖noise‖ relative to the centre: cosine to the centre ≈ 1/√(1 + 0.7²) ≈ 0.82
TEXT_PIECE = 1200


def synthetic(n: int, queries: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = _unit(rng.standard_normal((max(1, n // PER_CLUSTER), DIM), dtype=np.float32))

    def around(count: int) -> np.ndarray:
        picked = centres[rng.integers(0, len(centres), count)]
        return _unit(picked + NOISE * rng.standard_normal((count, DIM), dtype=np.float32) / np.sqrt(DIM))

    return np.concatenate([around(min(100_000, n - s)) for s in range(0, n, 100_000)]), around(queries)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def passages() -> list[str]:
    text = " ".join((REPO_ROOT / "data" / "resultat-vasterbotten-2024.txt").read_text(encoding="utf-8").split())
    return [text[i:i + TEXT_PIECE] for i in range(0, len(text) - TEXT_PIECE, TEXT_PIECE)]


def resident_mib() -> float:
    """Resident memory of this process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [os.getpid()]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            rss = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS"))
            total += int(rss.split()[1])
        except (OSError, StopIteration):
            continue
    return total / 1024


Search = Callable[[np.ndarray], np.ndarray]  # one unit query → ids of the best `depth`
Built = tuple[Search, float | None]  # and its memory in MiB when the store can say exactly


def local_store(kind: str, settings: Settings) -> Callable[[np.ndarray, list[str]], Built]:
    def build(vectors: np.ndarray, texts: list[str]) -> Built:
        if kind == "flat":
            index = faiss.IndexFlatIP(DIM)
        else:
            index = faiss.IndexHNSWFlat(DIM, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = settings.hnsw_ef_construction
        index.add(vectors)
        if kind == "hnsw":
            index.hnsw.efSearch = max(settings.hnsw_ef_search, settings.candidate_depth)
        faiss.omp_set_num_threads(1)  # as the service runs it: one question, one thread
        size_mib = faiss.serialize_index(index).nbytes / 2**20
        return (lambda q: index.search(q[None, :], settings.candidate_depth)[1][0]), size_mib
    return build


def milvus_store(settings: Settings, uri: str) -> Callable[[np.ndarray, list[str]], Built]:
    def build(vectors: np.ndarray, texts: list[str]) -> Built:
        from pymilvus import DataType, MilvusClient

        client = MilvusClient(uri)
        name = "bench_scale"
        if client.has_collection(name):
            client.drop_collection(name)
        schema = client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pk", DataType.INT64, is_primary=True)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=DIM)
        schema.add_field("chunk", DataType.JSON)
        index = client.prepare_index_params()
        index.add_index("dense", index_type="HNSW", metric_type="IP",
                        params={"M": settings.hnsw_m, "efConstruction": settings.hnsw_ef_construction})
        client.create_collection(name, schema=schema, index_params=index)
        for start in range(0, len(vectors), 1000):
            client.insert(name, [{"pk": i, "dense": vectors[i], "chunk": {"text": texts[i % len(texts)]}}
                                 for i in range(start, min(start + 1000, len(vectors)))])
        client.flush(name)
        client.load_collection(name)
        params = {"metric_type": "IP", "params": {"ef": max(settings.hnsw_ef_search, settings.candidate_depth)}}
        return (lambda q: np.array([hit["pk"] for hit in client.search(
            name, [q.tolist()], anns_field="dense", limit=settings.candidate_depth, search_params=params)[0]])), None
    return build


def measure(build: Callable[[np.ndarray, list[str]], Built], vectors: np.ndarray, queries: np.ndarray,
            texts: list[str], truth: np.ndarray) -> dict[str, float]:
    before, start = resident_mib(), time.perf_counter()
    search, size_mib = build(vectors, texts)
    built_s = time.perf_counter() - start
    memory = size_mib if size_mib is not None else resident_mib() - before
    for q in queries[:10]:  # warm-up
        search(q)
    took, found = [], []
    for q in queries:
        start = time.perf_counter()
        found.append(search(q)[:10])
        took.append((time.perf_counter() - start) * 1000)
    recall = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)]))
    return {"build_s": built_s, "memory_mib": memory, "p50_ms": percentile(took, 50),
            "p95_ms": percentile(took, 95), "recall@10": recall}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_scale")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--stores", nargs="+", default=["flat", "hnsw", "milvus"], choices=["flat", "hnsw", "milvus"])
    parser.add_argument("--milvus-uri", help="a Milvus server; default: milvus-lite in a temporary file")
    args = parser.parse_args(argv)
    settings = get_settings()
    texts = passages()
    print("| passages | store | build s | memory MiB | p50 ms | p95 ms | recall@10 |\n|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        stores = {"flat": local_store("flat", settings), "hnsw": local_store("hnsw", settings),
                  "milvus": milvus_store(settings, args.milvus_uri or str(Path(tmp) / "bench.db"))}
        for n in args.sizes:
            vectors, queries = synthetic(n, args.queries)
            exact = faiss.IndexFlatIP(DIM)
            exact.add(vectors)
            truth = exact.search(queries, 10)[1]
            del exact
            for name in args.stores:
                row = measure(stores[name], vectors, queries, texts, truth)
                print(f"| {n:,} | {name} | {row['build_s']:.1f} | {row['memory_mib']:.0f} | {row['p50_ms']:.2f} "
                      f"| {row['p95_ms']:.2f} | {row['recall@10']:.3f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
