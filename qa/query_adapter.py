"""A learned linear map that moves a question's vector towards the passages that answer such questions.

Why: e5 places "Var i rapporten står det om nattågen?" near prose about night trains, "Vem kan berätta mer
om kulturen?" near prose about culture, and a resident's paraphrase near other paraphrases rather than the
report's wording. The routes (qa/answer_type.py, qa/topic_route.py, qa/report_route.py) mend the first two
by hand; the tune questions say more than hand-written cues can. A matrix `I + D` applied to the question's
vector (then normalised), fitted on the tune questions so that each one's evidence passages outscore the
report's other passages under the service's own similarity (qa/scoring.py), learns how questions of every
kind are asked and where in this report their answers stand. Passages and sentences keep their vectors, so
nothing is re-indexed and a report it was not fitted on is searched as before.

Fitted by `python -m eval.fit_query_adapter --write` on one report's tune questions and one encoder's
vectors: for another report or encoder it leaves the vector as it is. Measured out of fold (README,
"A query adapter").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

ADAPTER_FILE = Path(__file__).with_name("query_adapter.npz")


@dataclass(frozen=True)
class QueryAdapter:
    """query ↦ normalise(query + D · query), for questions to the report titled `report` embedded by
    `encoder`. The title, not the id: ids are short ("2024") and another region's report of the same year
    would share one, while a corrected file of this report keeps its title."""

    encoder: str
    report: str  # the report's title (ReportVersion.title)
    delta: np.ndarray  # D, dim × dim

    def adapt(self, query: np.ndarray, encoder: str, report: str) -> np.ndarray:
        """The question's vector for searching the report titled `report`: moved if this adapter was fitted on
        it and `encoder`'s vectors, else unchanged."""
        if encoder != self.encoder or report != self.report or query.shape[-1] != self.delta.shape[0]:
            return query
        moved = query + self.delta @ query
        return (moved / np.linalg.norm(moved)).astype(query.dtype)

    def save(self, path: Path = ADAPTER_FILE) -> None:
        np.savez_compressed(path, encoder=self.encoder, report=self.report, delta=self.delta.astype(np.float32))

    @classmethod
    def load(cls, path: Path = ADAPTER_FILE) -> QueryAdapter:
        with np.load(path) as data:
            return cls(str(data["encoder"]), str(data["report"]), data["delta"].astype(np.float32))


def adapt(adapter: QueryAdapter | None, query: np.ndarray, encoder: str, report: str) -> np.ndarray:
    """`query` moved by `adapter` where it applies; unchanged without one."""
    return adapter.adapt(query, encoder, report) if adapter is not None else query


@lru_cache(maxsize=1)
def fitted_adapter() -> QueryAdapter | None:
    """The committed adapter (None before one is fitted)."""
    return QueryAdapter.load() if ADAPTER_FILE.exists() else None
