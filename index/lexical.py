"""BM25 search over passages, with Swedish analysis (see index/swedish.py).

bm25s does the scoring and storage; this module only feeds it tokens from
`Analyzer` and keeps the analyser's learned vocabulary next to the bm25s
files, because a query analysed differently from the texts finds nothing.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from index.swedish import Analyzer

DEFAULT_COMPOUNDS = "split"
ANALYZER_FILE = "analyzer.json"


class LexicalIndex:
    """A BM25 index over a fixed list of texts; results are positions into it."""

    def __init__(self, analyzer: Analyzer, bm25: bm25s.BM25):
        self.analyzer = analyzer
        self.bm25 = bm25

    @classmethod
    def build(cls, texts: Sequence[str], compounds: str = DEFAULT_COMPOUNDS) -> LexicalIndex:
        return cls.with_analyzer(texts, Analyzer.fit(texts, compounds))

    @classmethod
    def with_analyzer(cls, texts: Sequence[str], analyzer: Analyzer) -> LexicalIndex:
        """An index over `texts` analysed by `analyzer` (eval/sweep_lexical.py measures other analysers)."""
        bm25 = bm25s.BM25()
        # An empty text still needs a row, or positions would shift; bm25s
        # scores the empty token "" for it, which no query contains.
        bm25.index([analyzer.analyze(t) or [""] for t in texts], show_progress=False)
        return cls(analyzer, bm25)

    def __len__(self) -> int:
        return int(self.bm25.scores["num_docs"])

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """The best `k` texts for `query` as (position, score), best first.

        Texts that share no token with the query score 0 and are left out,
        so an all-stop-word query returns [] rather than arbitrary texts.
        """
        ids = self.bm25.get_tokens_ids(self.analyzer.analyze(query))
        if not ids or k <= 0:
            return []
        scores = self.bm25.get_scores_from_ids(ids)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.lexsort((top, -scores[top]))]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def save(self, directory: Path) -> None:
        directory = Path(directory)
        self.bm25.save(directory, show_progress=False)
        (directory / ANALYZER_FILE).write_text(
            json.dumps(self.analyzer.to_json(), ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        directory = Path(directory)
        analyzer = Analyzer.from_json(json.loads((directory / ANALYZER_FILE).read_text(encoding="utf-8")))
        return cls(analyzer, bm25s.BM25.load(directory, show_progress=False))
