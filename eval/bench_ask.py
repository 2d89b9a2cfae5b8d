"""Benchmark: /ask latency over HTTP, and what each stage of a search costs.

    python -m eval.bench_ask [--url http://127.0.0.1:8000] [-n 200]

Without --url it starts `qa serve --no-build` on the configured index (build
it first with `qa ingest`). It sends the first n questions of the evaluation
set one after another (k=5) and prints p50/p95; then, in-process, the split
of one search into query embedding, scoring and the rest.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from contextlib import nullcontext

import numpy as np

from eval.metrics import percentile
from eval.questions import load_questions
from eval.server import running_server
from qa.engine import Engine, load_embedder
from qa.query_adapter import adapt
from qa.settings import get_settings


def http_latencies(url: str, questions: list[str]) -> list[float]:
    took = []
    for question in questions:
        body = json.dumps({"question": question, "k": 5}).encode()
        request = urllib.request.Request(url + "/ask", body, {"Content-Type": "application/json"})
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
        took.append((time.perf_counter() - start) * 1000)
    return took


def stage_costs(engine: Engine, questions: list[str]) -> dict[str, float]:
    """Mean milliseconds per stage (means add up; medians would not), in-process."""
    retriever = engine.retriever
    versions = list(retriever.indexes.values())
    embed, move, score, total = [], [], [], []
    for question in questions:
        start = time.perf_counter()
        vector = engine.embedder.query(question)
        embed.append(time.perf_counter() - start)
        start = time.perf_counter()
        moved = [adapt(retriever.adapter, vector, engine.embedder.name, version.title) for version in versions]
        move.append(time.perf_counter() - start)
        start = time.perf_counter()
        for version, query in zip(versions, moved):
            version.signals(question, query, engine.settings.candidate_depth)
        score.append(time.perf_counter() - start)
        start = time.perf_counter()
        engine.ask(question, k=5)
        total.append(time.perf_counter() - start)
    stages = (("embed question", embed), ("move it (query adapter)", move),
              ("score passages (dense, sentences, BM25)", score), ("whole ask", total))
    ms = {name: float(np.mean(values)) * 1000 for name, values in stages}
    ms["rank, highlight, cite"] = ms["whole ask"] - sum(ms[name] for name, _ in stages[:3])
    return ms


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.bench_ask")
    parser.add_argument("--url")
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args(argv)
    settings = get_settings()
    questions = [q.question for q in load_questions()][: args.n]

    # Cache off: the warm-up questions come again in the timed run.
    server = nullcontext(args.url) if args.url else running_server(settings.index_dir, QA_QUERY_CACHE_SIZE="0")
    with server as url:
        http_latencies(url, questions[:10])  # warm-up
        took = http_latencies(url, questions)
    print(f"POST /ask, {len(took)} frågor i följd: p50 {percentile(took, 50):.1f} ms, "
          f"p95 {percentile(took, 95):.1f} ms, max {max(took):.1f} ms")

    engine = Engine(settings, embedder=load_embedder(settings))  # no batcher, no cache: each stage as it costs
    stage_costs(engine, questions[:10])  # warm-up
    for stage, ms in stage_costs(engine, questions).items():
        print(f"  {stage:<42} {ms:6.1f} ms (mean)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
