"""One listing of each person in an answer.

A report lists a person under every area they answer for (the bundled one
lists Anders Byström under three chapters), and each listing is its own
contact passage; all of them match a "who" question about equally, so
without this the five passages of an answer held one person three times and
pushed the right one out (tune: "Vem har hand om fysisk planering?" found
Anders Byström three times above Stina Karlgren).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ingest.model import Chunk


def _person(chunk: Chunk) -> str | None:
    """A contact entry's first line (name, role, phone, e-mail): the same person listed again."""
    return chunk.text.split("\n", 1)[0] if chunk.kind == "contact" else None


def distinct_order(order: np.ndarray, chunks: Sequence[Chunk]) -> np.ndarray:
    """`order` with every further listing of a person (per report) moved after the rest, in order."""
    seen: set[tuple[str, str]] = set()
    first, repeats = [], []
    for flat in order:
        chunk = chunks[int(flat)]
        person = _person(chunk)
        key = (chunk.report, person) if person is not None else None
        (repeats if key in seen else first).append(flat)
        if key is not None:
            seen.add(key)
    return np.array(first + repeats, dtype=order.dtype)
