"""How Swedish compounds are matched: the measurement behind `lexical_compounds`.

    python -m eval.sweep_lexical

Rebuilds only the BM25 side of the served index once per compound method
("none", "split", "ngrams") and prints the evaluation set's figures for
lexical-only and hybrid retrieval. Build the index first (`qa ingest`).
"""
from __future__ import annotations

import sys
from dataclasses import replace

from eval.questions import load_questions
from eval.runner import format_table, library_asker, run, summarise
from index.lexical import LexicalIndex
from index.store import embedding_text
from index.stores.local import LocalVersion
from index.swedish import COMPOUND_METHODS
from qa.engine import Engine
from qa.settings import get_settings


def main(argv: list[str]) -> int:
    engine = Engine(get_settings())
    retriever = engine.retriever
    served = dict(retriever.indexes)  # local versions: the lexical side is swapped in memory
    questions = load_questions()
    rows = {}
    for method in COMPOUND_METHODS:
        retriever.served.versions = {
            report: LocalVersion(replace(version.index, lexical=LexicalIndex.build(
                [embedding_text(c) for c in version.chunks], compounds=method)), engine.settings.hnsw_ef_search)
            for report, version in served.items()
        }
        for mode in ("lexical", "hybrid"):
            rows[f"{method}, {mode}"] = summarise(run(questions, library_asker(engine, mode)))["overall"]
    print(format_table(rows, "compounds, mode"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
