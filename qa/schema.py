"""What the HTTP API accepts, and what to say when a field is wrong.

The limits are in the OpenAPI document exactly as they are checked (a
question is 1–1000 characters with at least one that is not whitespace;
surrounding whitespace is then dropped), so a client generated from the
document never sends something the service refuses.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

MAX_QUESTION = 1000
MAX_K = 50
DEFAULT_K = 5


def stripped(text: str) -> str:
    text = text.strip()
    if not text:  # only characters Python counts as whitespace (e.g. U+001C)
        raise ValueError("empty question")
    return text


Question = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_QUESTION, pattern=r"\S"), AfterValidator(stripped)
]
K = Annotated[int, Field(ge=1, le=MAX_K)]


class AskRequest(BaseModel):
    question: Question = Field(description="Frågan, på svenska eller engelska.", examples=["Hur många invånare har Västerbotten?"])
    k: K = Field(DEFAULT_K, description=f"Hur många textavsnitt som ska returneras (1–{MAX_K}).")
    report: str | None = Field(None, description="Sök bara i denna rapport (id från /reports).")


class ErrorBody(BaseModel):
    """Every error the service returns."""

    detail: str = Field(description="Vad som är fel och vad man kan göra, på svenska.")


QUESTION_MESSAGE = f"Frågan måste innehålla text och vara högst {MAX_QUESTION} tecken lång."
FIELD_MESSAGES = {
    "question": QUESTION_MESSAGE,
    "q": QUESTION_MESSAGE,
    "k": f"k måste vara ett heltal mellan 1 och {MAX_K}.",
    "report": "report måste vara ett rapport-id (text) från /reports.",
}
BAD_REQUEST = 'Ogiltig begäran: skicka JSON som {"question": "Din fråga", "k": 5}.'
BAD_JSON = 'Kroppen är inte giltig JSON: skicka t.ex. {"question": "Din fråga", "k": 5} med Content-Type: application/json.'
