"""How much to lift a passage that holds the asked answer type: the measurement behind `type_weight`.

    python -m eval.sweep_answer_type [WEIGHT ...]   (default 0 0.01 0.02 0.03 0.05 0.08)

Runs the question set through the served index once per weight (hybrid
mode) and prints tune and test figures side by side; the weight is chosen
on the tune rows only (qa/answer_type.py; README "Answer types").
"""
from __future__ import annotations

import sys
from dataclasses import replace

from eval.query_cache import cache_queries
from eval.questions import DEFAULT_PATHS, load_questions
from eval.runner import format_table, library_asker, run, split_groups, summarise_groups
from qa.engine import Engine
from qa.settings import get_settings

DEFAULT_GRID = ("0", "0.01", "0.02", "0.03", "0.05", "0.08")


def main(argv: list[str]) -> int:
    engine = Engine(get_settings())
    retriever = engine.retriever
    cache_queries(engine)
    served = retriever.settings
    sets = {path: load_questions(path) for path in DEFAULT_PATHS}
    questions = [q for qs in sets.values() for q in qs]
    rows = {}
    for weight in map(float, argv or DEFAULT_GRID):
        retriever.settings = replace(served, type_weight=weight)
        results = run(questions, library_asker(engine))
        for split, summary in summarise_groups(results, split_groups(sets)).items():
            rows[f"{weight:g}, {split}"] = summary["overall"]
            for kind in ("structure", "contact_person"):
                if kind in summary["by_type"]:
                    rows[f"{weight:g}, {split}, {kind}"] = summary["by_type"][kind]
    retriever.settings = served
    print(format_table(rows, "type_weight, halva"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
