"""How Swedish words are matched: the measurement behind `lexical_compounds`.

    python -m eval.sweep_lexical

Rebuilds only the BM25 side of the served index once per way of handling
Swedish words and prints lexical-only and hybrid figures for the tune and
the test half: the product's methods ("none", "split", "ngrams" of
index/swedish.py) and the candidates of eval/swedish_variants.py
("hunspell" dictionary decompounding, "lemma" and "lemma+ngrams" with
simplemma). Build the index first (`qa ingest`).
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace

from eval.query_cache import cache_queries
from eval.questions import DEFAULT_PATHS, load_questions
from eval.runner import format_table, library_asker, run, split_groups, summarise_groups
from eval.swedish_variants import LemmaAnalyzer, hunspell_analyzer
from index.lexical import LexicalIndex
from index.store import embedding_text
from index.stores.local import LocalVersion
from index.swedish import COMPOUND_METHODS, Analyzer
from qa.engine import Engine
from qa.settings import get_settings

ANALYZERS: dict[str, Callable[[Sequence[str]], Analyzer]] = {
    **{method: (lambda texts, m=method: Analyzer.fit(texts, m)) for method in COMPOUND_METHODS},
    "hunspell": hunspell_analyzer,
    "lemma": lambda texts: LemmaAnalyzer(texts),
    "lemma+ngrams": lambda texts: LemmaAnalyzer(texts, with_ngrams=True),
}


def main(argv: list[str]) -> int:
    engine = Engine(get_settings())
    retriever = engine.retriever
    cache_queries(engine)
    served = dict(retriever.indexes)  # local versions: the lexical side is swapped in memory
    sets = {path: load_questions(path) for path in DEFAULT_PATHS}
    questions = [q for qs in sets.values() for q in qs]
    rows = {}
    for name in argv or ANALYZERS:
        versions = {}
        for report, version in served.items():
            texts = [embedding_text(c) for c in version.chunks]
            lexical = LexicalIndex.with_analyzer(texts, ANALYZERS[name](texts))
            versions[report] = LocalVersion(replace(version.index, lexical=lexical), engine.settings.ivf_probe_share)
        retriever.served.versions = versions
        for mode in ("lexical", "hybrid"):
            results = run(questions, library_asker(engine, mode))
            for split, summary in summarise_groups(results, split_groups(sets)).items():
                rows[f"{name}, {mode}, {split}"] = summary["overall"]
        print(format_table(rows, "words, mode, half"), flush=True)
    retriever.served.versions = served
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
