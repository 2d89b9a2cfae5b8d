"""How much to lift a passage that holds or is the asked answer type: the measurement behind
`type_weight` and `route_weight`.

    python -m eval.sweep_answer_type [--setting NAME] [VALUE ...]

NAME is `type_weight` (default grid 0 0.01 0.02 0.03 0.05 0.08: a leading passage whose best
sentence holds the type), `quantity_weight` (one of whose sentences states the asked kind of
quantity), `route_weight` (a contact entry for a contact question, a
table-of-contents passage for a page question, sought among all passages), `route_depth` (how
many of those), `type_pool`, `topic_weight` and `topic_leaders` (those of the part of the report
where the best prose stands, qa/topic_route.py), or the blend's `sentence_weight` and
`lexical_weight` and `lexical_share_power` (qa/scoring.py), or `report_weight`, `report_depth` and
`report_lexical_weight` (the passages lifted for a question about the report, qa/report_route.py). `--tune-only` asks and prints the tune half alone.
Runs the question sets through the served index once per value (hybrid mode) and prints tune
and test figures side by side, structure and contact questions apart; the value is chosen on
the tune rows only (qa/answer_type.py; README "Answer types").
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from eval.query_cache import cache_queries
from eval.questions import DEFAULT_PATHS, load_questions
from eval.runner import format_table, library_asker, run, split_groups, summarise_groups
from qa.engine import Engine
from qa.settings import get_settings

DEFAULT_GRID = ("0", "0.01", "0.02", "0.03", "0.05", "0.08")
SETTINGS = ("type_weight", "quantity_weight", "route_weight", "route_depth", "type_pool", "topic_weight",
            "topic_leaders", "sentence_weight", "lexical_weight", "lexical_share_power", "report_weight",
            "report_depth", "report_lexical_weight")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.sweep_answer_type")
    parser.add_argument("--setting", choices=SETTINGS, default="type_weight")
    parser.add_argument("values", nargs="*", default=DEFAULT_GRID)
    parser.add_argument("--tune-only", action="store_true",
                        help="run and print the tune half only, for choosing without seeing test")
    args = parser.parse_args(argv)
    convert = int if args.setting in ("type_pool", "route_depth", "topic_leaders", "report_depth") else float
    engine = Engine(get_settings())
    retriever = engine.retriever
    cache_queries(engine)
    served = retriever.settings
    sets = {path: load_questions(path) for path in DEFAULT_PATHS}
    questions = [q for qs in sets.values() for q in qs if not args.tune_only or q.split == "tune"]
    rows = {}
    for value in map(convert, args.values):
        retriever.settings = replace(served, **{args.setting: value})
        results = run(questions, library_asker(engine))
        for split, summary in summarise_groups(results, split_groups(sets)).items():
            rows[f"{value:g}, {split}"] = summary["overall"]
            for kind in ("structure", "contact_person"):
                if kind in summary["by_type"]:
                    rows[f"{value:g}, {split}, {kind}"] = summary["by_type"][kind]
    retriever.settings = served
    print(format_table(rows, f"{args.setting}, halva"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
