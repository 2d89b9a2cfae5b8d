"""BM25 search over passages, with Swedish analysis (see index/swedish.py).

bm25s does the scoring and storage; this module only feeds it tokens from
`Analyzer` and keeps the analyser's learned vocabulary next to the bm25s
files, because a query analysed differently from the texts finds nothing.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np

from index.swedish import Analyzer

ANALYZER_FILE = "analyzer.json"


class LexicalIndex:
    """A BM25 index over a fixed list of texts; results are positions into it."""

    def __init__(self, analyzer: Analyzer, bm25: bm25s.BM25):
        self.analyzer = analyzer
        self.bm25 = bm25

    @classmethod
    def build(cls, texts: Sequence[str], compounds: str) -> LexicalIndex:
        """`compounds`: how Swedish compounds are matched (Settings.lexical_compounds)."""
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

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every text for `query` (0 where no token is shared)."""
        ids = self.bm25.get_tokens_ids(self.analyzer.analyze(query))
        if not ids:
            return np.zeros(len(self), dtype=np.float32)
        return self.bm25.get_scores_from_ids(ids).astype(np.float32)

    def document_terms(self) -> list[dict[str, float]]:
        """Each text's BM25 weight per token, as bm25s computed it: with `query_terms` these give
        a sparse dot product equal to `scores`, which is how another engine can hold this index."""
        data, indices, indptr = (self.bm25.scores[key] for key in ("data", "indices", "indptr"))
        terms: list[dict[str, float]] = [{} for _ in range(len(self))]
        for token, column in self.bm25.vocab_dict.items():
            if not token:  # the "" that stands in for an empty text: bm25s keeps no postings for it
                continue
            for start in range(indptr[column], indptr[column + 1]):
                terms[int(indices[start])][token] = float(data[start])
        return terms

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


def query_terms(analyzer: Analyzer, query: str) -> Counter[str]:
    """The query's tokens with their counts: BM25 of a text is the sum, over these, of
    count × the text's weight for the token (`LexicalIndex.document_terms`)."""
    return Counter(analyzer.analyze(query))
