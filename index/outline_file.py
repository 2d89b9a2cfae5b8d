"""The report's outline, saved with each index version as outline.json.

Kept beside the manifest rather than in it: the outline is served as it is
(GET /reports/{id}/outline) and a version built before outlines existed
simply has none.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from ingest.model import OutlineEntry

OUTLINE = "outline.json"


def write_outline(directory: Path, outline: Sequence[OutlineEntry]) -> None:
    (Path(directory) / OUTLINE).write_text(
        json.dumps([asdict(entry) for entry in outline], ensure_ascii=False, indent=1), encoding="utf-8"
    )


def read_outline(directory: Path) -> list[OutlineEntry]:
    """The outline of a built version; [] for a version built without one."""
    path = Path(directory) / OUTLINE
    if not path.exists():
        return []
    return [OutlineEntry(**entry) for entry in json.loads(path.read_text(encoding="utf-8"))]
