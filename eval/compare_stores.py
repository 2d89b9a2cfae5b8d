"""The same index through every store: `qa eval` on the local store and on Milvus.

    python -m eval.compare_stores                       # milvus-lite in a temporary file
    python -m eval.compare_stores --milvus-uri http://localhost:19530

Copies each report version the local store serves (build it first: `qa ingest`)
into Milvus as it is, vectors included, so the comparison is of the stores and not
of two embedding runs; then runs the evaluation set through both and prints the
figures side by side with the latency of `ask`. The README's backend figures
come from this script. (`QA_BACKEND=milvus qa ingest …` followed by
`QA_BACKEND=milvus qa eval` gives the same, embedding the report a second time.)
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

from eval.questions import load_questions
from eval.runner import format_table, library_asker, run, summarise
from index.store import BuiltReport
from index.stores.local import LocalVersion
from qa.engine import Engine
from qa.settings import get_settings


def local_as_built(version: LocalVersion) -> BuiltReport:
    """A loaded local version as a build produces it, to fill another store without re-embedding."""
    index = version.index
    sentences = index.sentences
    owners = sentences.owners(np.arange(len(sentences.vectors))).astype(np.int32)
    return BuiltReport(version.manifest, index.chunks, index.vectors.reconstruct_n(0, index.vectors.ntotal),
                       owners, sentences.span, sentences.vectors, index.lexical)


def copy_to(target: Engine, source: Engine) -> None:
    for version in source.retriever.indexes.values():
        target.store.staging(version.report_id).publish(local_as_built(version), target.build_settings)
    target.retriever.reload()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.compare_stores")
    parser.add_argument("--milvus-uri", help="a Milvus server; default: milvus-lite in a temporary file")
    args = parser.parse_args(argv)
    settings = get_settings().model_copy(update={"backend": "local"})
    local = Engine(settings)
    if not local.retriever.indexes:
        print("Inget lokalt index att jämföra med. Kör först: qa ingest data/resultat-vasterbotten-2024.pdf",
              file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory() as tmp:
        uri = args.milvus_uri or str(Path(tmp) / "milvus.db")
        milvus = Engine(settings.model_copy(update={"backend": "milvus", "milvus_uri": uri}), embedder=local.embedder)
        copy_to(milvus, local)
        questions = load_questions()
        summaries = {name: summarise(run(questions, library_asker(engine)))
                     for name, engine in (("local", local), ("milvus", milvus))}
    print(format_table({name: s["overall"] for name, s in summaries.items()}, "lagring"))
    for name, s in summaries.items():
        print(f"{name}: ask p50 {s['latency_ms']['p50']:.1f} ms, p95 {s['latency_ms']['p95']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
