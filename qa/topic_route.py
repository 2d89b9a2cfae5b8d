"""Find the contact entry or table-of-contents passage by where the question's topic is discussed.

"Vem kan berätta mer om nattågen?" names a topic that no contact entry
names: the entry says *Myndighetschef Regionala kollektivtrafikmyndigheten*,
and the report lists that person under a chapter whose prose is where night
trains are discussed. "Var i rapporten står det om bibliotekens läsfrämjande?"
paraphrases a section that its table-of-contents line names in two words. In
both the report itself holds the link: the prose that best matches the
question stands under some heading, and the answer is the entry listed under
that heading or the table-of-contents passage for it. So the prose leaders
vote for the part of the report they stand in, and each contact or TOC
passage is lifted by the share of votes its part gets (`topic_weight`,
`topic_leaders` in Settings: chosen on tune questions, README "Answer
types").

Where a passage stands is its heading path (`Chunk.section`), compared as
`title_key`s. A TOC passage's path is the TOC heading then the part it
describes, so the part is the path after its first title; a prose passage is
in that part when its own path begins with it. A contact entry stands in the
parts its path names: prose is in it when the two paths share a title
("Kontakt för mer information › Västerbotten – En nära tillgänglig region"
shares the chapter with the chapter's prose), so a list at the end of the
report and a list closing each chapter both work.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ingest.model import Chunk
from ingest.structure import title_key
from qa.answer_type import ANSWERING_KIND, AnswerType


@lru_cache(maxsize=4096)
def _keys(section: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(title_key(title) for title in section)


def _holds(target: Chunk, prose: Chunk) -> bool:
    """Whether `prose` stands in the part of the report that a TOC passage or contact entry belongs to."""
    here = _keys(tuple(prose.section))
    if target.kind == ANSWERING_KIND["page"]:
        part = _keys(tuple(target.section))[1:]
        return bool(part) and here[: len(part)] == part
    return not set(_keys(tuple(target.section))).isdisjoint(here)


def lift_by_topic(
    final: np.ndarray, kind: AnswerType | None, chunks: Sequence[Chunk], kinds: np.ndarray, weight: float,
    leaders: int,
) -> np.ndarray:
    """`final` with `weight` × (share of the `leaders` best prose passages standing in its part) added
    to each passage whose kind answers the asked type (a contact entry for `contact`, a TOC passage
    for `page`); `kinds`: each chunk's Chunk.kind, as `route_to_kind` takes them. Passages of
    different reports never vote for each other."""
    if kind not in ANSWERING_KIND or weight == 0 or leaders == 0:
        return final
    answering = ANSWERING_KIND[kind]
    prose = np.flatnonzero(~np.isin(kinds, list(ANSWERING_KIND.values())))  # body text and tables
    targets = np.flatnonzero(kinds == answering)
    if not len(prose) or not len(targets):
        return final
    voters = [chunks[i] for i in prose[np.argsort(-final[prose], kind="stable")[:leaders]]]
    lifted = final.copy()
    for i in targets:
        target = chunks[i]
        share = sum(voter.report == target.report and _holds(target, voter) for voter in voters) / len(voters)
        lifted[i] += weight * share
    return lifted
