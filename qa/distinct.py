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


def distinct_order(order: np.ndarray, chunks: Sequence[Chunk], needed: int) -> np.ndarray:
    """`order` with every further listing of a person (per report) moved after the first `needed`
    passages, in order. Only as far as those is read: the rest of a ~1,000-passage order is never shown."""
    seen: set[tuple[str, str]] = set()
    first: list[int] = []
    repeats: list[int] = []
    at = 0
    while at < len(order) and len(first) < needed:
        chunk = chunks[int(order[at])]
        person = _person(chunk)
        key = (chunk.report, person) if person is not None else None
        (repeats if key in seen else first).append(int(order[at]))
        if key is not None:
            seen.add(key)
        at += 1
    return np.concatenate([np.array(first + repeats, dtype=order.dtype), order[at:]])
