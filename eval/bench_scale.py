"""Benchmark: query latency and memory of dense passage search at 10⁴–10⁶ passages.

    python -m eval.bench_scale --sizes 10000 100000 1000000    # every store at every size (long)
    python -m eval.bench_scale --sizes 1000000 --stores ivf --breadth 1024 2048 3072   # nprobe, one build
    QA_HNSW_M=16 python -m eval.bench_scale --stores hnsw   # any setting, by environment
    python -m eval.bench_scale --calibrate                  # the synthetic data against e5's (NOISE)
    python -m eval.bench_scale --stores milvus --milvus-uri http://127.0.0.1:19530 --milvus-pid PID

Synthetic data, because no corpus here has 10⁶ passages: 384-d unit vectors drawn
around cluster centres (about 100 passages a cluster), each carrying a realistic
passage (a ~1,200-character piece of the bundled report) so that Milvus stores
rows of the real size. How far a question's nearest passages stand out from the
rest decides how hard approximate search is; `--calibrate` compares that with
e5's own vectors of the bundled report (see NOISE). For
each store: build seconds, memory, p50/p95 of one question's search for the
`candidate_depth` best passages (one at a time, one thread), and recall@10
against exact search. Builds run on `--threads` FAISS threads (1, as `qa ingest`
does). The latency phase runs `--rounds` times and the round with the lower p50
is kept (a niced job on a shared machine is only ever slowed by others); each row
gives the 1-minute load average before the build and after the last round.
Stores:

- flat:   the local store's exact FAISS inner product (its choice up to `ann_threshold`)
- ivf:    the local store's IVF index (above `ann_threshold`, index/stores/local.py), Settings' ivf_*
- hnsw:   FAISS HNSW, the alternative to IVF, with Settings' hnsw_* (Milvus' parameters)
- milvus: Milvus HNSW with the same parameters (milvus-lite in a temporary file unless --milvus-uri)

Memory: for the local stores the size of the FAISS index (what the service holds per
report); for Milvus the growth of resident memory of this process and its children
(milvus-lite runs its engine in a child process), or of the server's processes
(`--milvus-pid`), while the collection is built, indexed and loaded.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import faiss
import numpy as np

from eval.metrics import percentile
from index.stores.local import AnnParams, ivf_index
from eval.questions import DEFAULT_PATHS, load_questions
from qa.settings import REPO_ROOT, Settings, get_settings

DIM = 384
PER_CLUSTER = 100
# ‖noise‖ relative to the centre. `--calibrate`: for the tune questions, e5's 10th-best
# sentence of the bundled report (2,892) stands 2.9 standard deviations above the mean
# cosine; here 3.0 with NOISE 3.0, but 5.0 with the 0.7 used before, where every cluster
# stood apart and any index found the 10 best.
NOISE = 3.0
TEXT_PIECE = 1200


def synthetic(n: int, queries: int, seed: int = 0, noise: float = NOISE) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = _unit(rng.standard_normal((max(1, n // PER_CLUSTER), DIM), dtype=np.float32))

    def around(count: int) -> np.ndarray:
        picked = centres[rng.integers(0, len(centres), count)]
        return _unit(picked + noise * rng.standard_normal((count, DIM), dtype=np.float32) / np.sqrt(DIM))

    return np.concatenate([around(min(100_000, n - s)) for s in range(0, n, 100_000)]), around(queries)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def passages() -> list[str]:
    text = " ".join((REPO_ROOT / "data" / "resultat-vasterbotten-2024.txt").read_text(encoding="utf-8").split())
    return [text[i:i + TEXT_PIECE] for i in range(0, len(text) - TEXT_PIECE, TEXT_PIECE)]


def resident_mib(root: int | None = None) -> float:
    """Resident memory of process `root` (default: this one) and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root or os.getpid()]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            rss = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS"))
            total += int(rss.split()[1])
        except (OSError, StopIteration):
            continue
    return total / 1024


STORES = ("flat", "ivf", "hnsw", "milvus")
Search = Callable[[np.ndarray], np.ndarray]  # one unit query → ids of the best `depth`


@dataclass
class Built:
    search: Search
    memory_mib: float | None  # when the store can say exactly
    breadth: Callable[[int], None] | None = None  # sets how much it searches: nprobe (ivf), efSearch (hnsw)


def local_store(kind: str, settings: Settings, threads: int) -> Callable[[np.ndarray, list[str]], Built]:
    def build(vectors: np.ndarray, texts: list[str]) -> Built:
        faiss.omp_set_num_threads(threads)
        breadth = None
        if kind == "ivf":
            index = ivf_index(vectors, AnnParams(0, settings.ivf_lists_factor, settings.ivf_train_per_list,
                                                 settings.ivf_probe_share))
            breadth = partial(setattr, index, "nprobe")
        elif kind == "flat":
            index = faiss.IndexFlatIP(DIM)
            index.add(vectors)
        else:
            index = faiss.IndexHNSWFlat(DIM, settings.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = settings.hnsw_ef_construction
            index.add(vectors)
            index.hnsw.efSearch = max(settings.hnsw_ef_search, settings.candidate_depth)
            breadth = partial(setattr, index.hnsw, "efSearch")
        faiss.omp_set_num_threads(1)  # as the service runs it: one question, one thread
        size_mib = faiss.serialize_index(index).nbytes / 2**20
        return Built(lambda q: index.search(q[None, :], settings.candidate_depth)[1][0], size_mib, breadth)
    return build


def milvus_store(settings: Settings, uri: str, server_pid: int | None) -> Callable[[np.ndarray, list[str]], Built]:
    """Milvus HNSW on `uri`. Memory: the growth of `server_pid`'s process tree (a server on this machine),
    else of this process and its children (milvus-lite runs its engine in a child)."""
    def build(vectors: np.ndarray, texts: list[str]) -> Built:
        from pymilvus import DataType, MilvusClient

        before = resident_mib(server_pid)
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
        wait_for_index(client, name, len(vectors))
        client.load_collection(name)
        params = {"metric_type": "IP", "params": {"ef": max(settings.hnsw_ef_search, settings.candidate_depth)}}
        return Built(lambda q: np.array([hit.id for hit in client.search(
            name, [q.tolist()], anns_field="dense", limit=settings.candidate_depth, search_params=params)[0]]),
            resident_mib(server_pid) - before if server_pid else None,
            lambda ef: params["params"].update(ef=ef))
    return build


def wait_for_index(client: object, name: str, rows: int, timeout_s: float = 3600) -> None:
    """Until the HNSW index covers every row: a Milvus server builds it after the flush, in the
    background, and until then searches sealed rows through a coarse interim index (Milvus 2.3 at
    10⁴ rows: recall@10 0.70 before, against the HNSW's own after). milvus-lite 3.2.2 counts every row
    as indexed at once while it still builds its segments' indexes in the background: there this
    waits for nothing (README, Scale)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        info = client.describe_index(name, "dense")
        if int(info.get("indexed_rows", rows)) >= rows and int(info.get("pending_index_rows", 0)) == 0:
            return
        time.sleep(1)
    raise TimeoutError(f"Milvus byggde inte klart indexet på {timeout_s:.0f} s")


def build_phase(build: Callable[[np.ndarray, list[str]], Built], vectors: np.ndarray,
                texts: list[str]) -> tuple[Built, float, float, float]:
    """The store built, its seconds, its memory in MiB and the load average before."""
    load, before, start = os.getloadavg()[0], resident_mib(), time.perf_counter()
    built = build(vectors, texts)
    seconds = time.perf_counter() - start
    return built, seconds, built.memory_mib if built.memory_mib is not None else resident_mib() - before, load


def latency_phase(search: Search, queries: np.ndarray, truth: np.ndarray, rounds: int) -> dict[str, float]:
    """p50/p95 of the quietest of `rounds` passes over the questions, and recall@10 against `truth`
    (the same as the recall of the `candidate_depth` candidates after the local store rescores them:
    IVFFlat and HNSWFlat already score what they find exactly)."""
    for q in queries[:10]:  # warm-up
        search(q)
    best: list[float] = []
    for _ in range(rounds):
        took, found = [], []
        for q in queries:
            start = time.perf_counter()
            found.append(search(q)[:10])
            took.append((time.perf_counter() - start) * 1000)
        if not best or percentile(took, 50) < percentile(best, 50):
            best = took
    return {"p50_ms": percentile(best, 50), "p95_ms": percentile(best, 95),
            "recall@10": float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)]))}


def calibrate(noises: list[float], settings: Settings) -> None:
    """For the tune questions, on e5's sentence vectors of the served bundled report and on
    synthetic data of the same size at each noise: how far the best and 10th best rows stand
    above the mean cosine (in standard deviations), and the recall@10 of the local store's
    IVF index searching 8, 16 and 64 lists."""
    from qa.engine import Engine  # the model and the served index, only for this

    engine = Engine(settings)
    questions = [q.question for path in DEFAULT_PATHS for q in load_questions(path) if q.split == "tune"]
    real = engine.retriever.embedder.queries(questions)
    print("| vectors | best, σ above the mean cosine | 10th best, σ | IVF recall@10, nprobe 8 / 16 / 64 |\n"
          "|---|---|---|---|")
    for report, version in engine.retriever.indexes.items():
        sentences = version.index.sentences.vectors.astype(np.float32)
        _print_separation(f"e5, {report}'s {len(sentences):,} sentences", sentences, real, settings)
        for noise in noises:
            rows, asked = synthetic(len(sentences), len(questions), noise=noise)
            _print_separation(f"synthetic, noise {noise}", rows, asked, settings)


def _print_separation(name: str, rows: np.ndarray, questions: np.ndarray, settings: Settings) -> None:
    cosines = questions @ rows.T
    best = -np.sort(-cosines, axis=1)
    mean, std = cosines.mean(axis=1), cosines.std(axis=1)
    truth = np.argsort(-cosines, axis=1)[:, :10]
    index = ivf_index(rows, AnnParams(0, settings.ivf_lists_factor, settings.ivf_train_per_list,
                                      settings.ivf_probe_share))
    recalls = []
    for nprobe in (8, 16, 64):
        index.nprobe = nprobe
        found = index.search(questions, 10)[1]
        recalls.append(f"{np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth)]):.3f}")
    print(f"| {name} | {np.mean((best[:, 0] - mean) / std):.2f} | {np.mean((best[:, 9] - mean) / std):.2f} "
          f"| {' / '.join(recalls)} of {index.nlist} lists |", flush=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_scale")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--stores", nargs="+", default=list(STORES), choices=STORES)
    parser.add_argument("--milvus-uri", help="a Milvus server; default: milvus-lite in a temporary file")
    parser.add_argument("--milvus-pid", type=int, help="the Milvus server's process on this machine, for memory")
    parser.add_argument("--threads", type=int, default=1, help="FAISS threads while building")
    parser.add_argument("--rounds", type=int, default=2, help="latency passes; the one with the lower p50 is kept")
    parser.add_argument("--breadth", type=int, nargs="+", help="nprobe (ivf) / efSearch (hnsw) values, one build")
    parser.add_argument("--calibrate", type=float, nargs="*", metavar="NOISE",
                        help="compare the synthetic data at these noises (default 0.7 and NOISE) with e5's")
    args = parser.parse_args(argv)
    if args.calibrate is not None:
        calibrate(args.calibrate or [0.7, NOISE], get_settings())
        return 0
    settings = get_settings()
    texts = passages()
    print("| passages | store | build s | memory MiB | p50 ms | p95 ms | recall@10 | load |\n"
          "|---|---|---|---|---|---|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        stores = {name: local_store(name, settings, args.threads) for name in STORES[:3]}
        stores["milvus"] = milvus_store(settings, args.milvus_uri or str(Path(tmp) / "bench.db"), args.milvus_pid)
        for n in args.sizes:
            vectors, queries = synthetic(n, args.queries)
            exact = faiss.IndexFlatIP(DIM)
            exact.add(vectors)
            truth = exact.search(queries, 10)[1]
            del exact
            for name in args.stores:
                built, seconds, memory, load = build_phase(stores[name], vectors, texts)
                for breadth in (args.breadth if built.breadth and args.breadth else [None]):
                    if breadth:
                        built.breadth(breadth)
                    row = latency_phase(built.search, queries, truth, args.rounds)
                    label = f"{name} ({breadth})" if breadth else name
                    print(f"| {n:,} | {label} | {seconds:.1f} | {memory:.0f} | {row['p50_ms']:.2f} "
                          f"| {row['p95_ms']:.2f} | {row['recall@10']:.3f} | {load:.1f}→{os.getloadavg()[0]:.1f} |",
                          flush=True)
                del built
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
