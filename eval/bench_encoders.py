"""Encoders side by side: speed and retrieval quality, the measurement behind Settings.encoder.

    python -m eval.bench_encoders [ENCODER ...]           (default: every one in index/encoders)
    python -m eval.bench_encoders --speed [ENCODER ...]   speed only, encoders taking turns

For each encoder: question embedding one at a time and 32 in one batch (ms
per question, mean over the evaluation set's first 64 questions), building
the bundled report in a temporary directory (passages, sentences, total
seconds) and `qa eval`'s hybrid figures on the tune and test halves. A
quantised encoder is kept as default only if test MRR@10 drops by at most
MAX_MRR_DROP against the fp32 model.

--speed loads every encoder in one process and measures them in turns
(ROUNDS times, best round kept): on a busy machine, figures taken minutes
apart are not comparable, figures taken in turns are.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from eval.questions import DEFAULT_PATHS, load_questions
from eval.runner import library_asker, run, split_groups, summarise_groups
from index.encoders import ENCODERS
from index.store import embedding_text
from ingest import chunk_document, load_document
from qa.engine import Engine, load_embedder
from qa.settings import get_settings

MAX_MRR_DROP = 0.005  # issue 11: quality may not pay for speed beyond this
FP32 = ("torch-fp32", "onnx-fp32")  # the unquantised model (same vectors): the reference for MAX_MRR_DROP
SAMPLE = 64
BATCH = 32
ROUNDS = 3


def per_question_ms(embed, texts: list[str], batch: int) -> float:
    embed(texts[:batch])  # warm-up at this shape
    start = time.perf_counter()
    for first in range(0, len(texts), batch):
        embed(texts[first : first + batch])
    return (time.perf_counter() - start) * 1000 / len(texts)


def measure(encoder: str) -> dict[str, float]:
    settings = get_settings().model_copy(update={"encoder": encoder})
    embedder = load_embedder(settings)
    sets = {path: load_questions(path) for path in DEFAULT_PATHS}
    questions = [q for qs in sets.values() for q in qs]
    texts = [q.question for q in questions[:SAMPLE]]
    row = {"single_ms": per_question_ms(embedder.queries, texts, 1),
           f"batch{BATCH}_ms": per_question_ms(embedder.queries, texts, BATCH)}
    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine(settings.model_copy(update={"index_dir": Path(tmp)}), embedder=embedder)
        built = engine.ingest(settings.default_source)
        row.update(passages_s=built.timings["embed_s"], sentences_s=built.timings["embed_sentences_s"],
                   build_s=sum(built.timings.values()))
        for half, summary in summarise_groups(run(questions, library_asker(engine)), split_groups(sets)).items():
            row[f"{half}_hit@5"] = summary["overall"]["hit@5"]
            row[f"{half}_mrr@10"] = summary["overall"]["mrr@10"]
    return row


def speed_in_turns(encoders: list[str]) -> dict[str, dict[str, float]]:
    """Question and passage embedding speed, encoders taking turns."""
    settings = get_settings()
    embedders = {name: load_embedder(settings.model_copy(update={"encoder": name})) for name in encoders}
    texts = [q.question for q in load_questions()[:SAMPLE]]
    doc = load_document(settings.default_source)
    passages = [embedding_text(c) for c in chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap)[:SAMPLE]]
    best: dict[str, dict[str, float]] = {name: {} for name in encoders}
    for _ in range(ROUNDS):
        for name, embedder in embedders.items():
            start = time.perf_counter()
            embedder.passages(passages)
            passage_ms = (time.perf_counter() - start) * 1000 / len(passages)
            row = {"single_ms": per_question_ms(embedder.queries, texts, 1),
                   f"batch{BATCH}_ms": per_question_ms(embedder.queries, texts, BATCH),
                   "passage_ms": passage_ms}
            best[name] = {k: min(v, best[name].get(k, v)) for k, v in row.items()}
    return best


def print_rows(rows: dict[str, dict[str, float]]) -> None:
    columns = list(next(iter(rows.values())))
    print("\n" + f"{'encoder':<12}" + "".join(f"{c:>15}" for c in columns))
    for name, row in rows.items():
        print(f"{name:<12}" + "".join(f"{row[c]:>15.3f}" for c in columns), flush=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["--speed"]:
        print_rows(speed_in_turns(argv[1:] or list(ENCODERS)))
        return 0
    rows = {}
    for encoder in argv or ENCODERS:
        rows[encoder] = measure(encoder)
        print_rows(rows)
    reference = next((name for name in FP32 if name in rows), None)
    if reference:
        base = rows[reference]["test_mrr@10"]
        for name, row in rows.items():
            verdict = "ok" if base - row["test_mrr@10"] <= MAX_MRR_DROP else "för stor förlust"
            print(f"{name}: test MRR@10 {row['test_mrr@10'] - base:+.4f} mot {reference} ({verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
