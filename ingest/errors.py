"""The one error type that ingest raises for bad input.

The message is shown as is to the person who uploaded the file, so it is in
Swedish and says both what is wrong and what to do about it. Callers catch
`IngestError` alone; anything else escaping ingest is a bug, not bad input.
"""
from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be turned into a report, with a message for its owner."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
