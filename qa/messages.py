"""What to tell someone whose question cannot be searched: one wording for the
CLI and the HTTP service."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qa.retriever import Retriever


@dataclass(frozen=True)
class Problem:
    message: str
    # True: the index exists or is expected but cannot be served (HTTP 503, exit code 3);
    # False: the asker named something that is not there (HTTP 404, exit code 2).
    unusable: bool


def shown(path: Path) -> str:
    """A path as someone in the working directory would type it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def no_index(retriever: Retriever, default_source: Path) -> Problem:
    if retriever.load_errors:
        return Problem("Indexet kan inte användas: " + " ".join(retriever.load_errors.values()), True)
    return Problem(f"Inget index är byggt ännu. Kör `qa ingest {shown(default_source)}` (eller starta med "
                   "`qa serve`, som bygger standardrapporten) och försök igen.", True)


def unknown_report(retriever: Retriever, report: str) -> Problem:
    if report in retriever.load_errors:  # on disk, but built with other settings or damaged
        return Problem("Rapporten kan inte användas: " + retriever.load_errors[report], True)
    return Problem(not_served(retriever, report), False)


def not_served(retriever: Retriever, report: str) -> str:
    """A report id that names no served report, and the ids that do."""
    known = ", ".join(sorted(retriever.indexes)) or "inga"
    return f"Okänd rapport '{report}'. Tillgängliga rapporter: {known}."


def no_passage(passage_id: str) -> str:
    return f"Det finns inget textavsnitt med id '{passage_id}'."
