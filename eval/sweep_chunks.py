"""How chunk size changes retrieval quality: the measurement behind the defaults.

    python -m eval.sweep_chunks [TOKENS:OVERLAP ...]   (default 120:24 200:40 300:60 400:80)

Builds the bundled report once per setting in a temporary directory and
prints the evaluation set's overall figures for the service's hybrid mode.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from eval.questions import load_questions
from eval.runner import format_table, library_asker, run, summarise
from qa.engine import Engine, load_embedder
from qa.settings import get_settings

DEFAULT_GRID = ("120:24", "200:40", "300:60", "400:80")


def main(argv: list[str]) -> int:
    settings = get_settings()
    embedder = load_embedder(settings)
    questions = load_questions()
    rows = {}
    for setting in argv or DEFAULT_GRID:
        tokens, overlap = (int(part) for part in setting.split(":"))
        with tempfile.TemporaryDirectory() as tmp:
            engine = Engine(settings.model_copy(update={
                "index_dir": Path(tmp), "chunk_tokens": tokens, "chunk_overlap": overlap,
            }), embedder=embedder)
            built = engine.ingest(settings.default_source)
            rows[f"{tokens}/{overlap} ({built.chunks} avsnitt)"] = summarise(run(questions, library_asker(engine)))["overall"]
        print(format_table(rows, "chunk_tokens/overlap"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
