"""Contact entries: who to ask about what, one person per passage.

Reports end with lists such as "Annika Sandström, Regionturismchef,
070-550 16 08, annika.sandstrom@regionvasterbotten.se" under the heading of
the area each person answers for. Packed four to a passage, the embedding of
such a list is about nothing in particular and "Vem är kontaktperson för
turismen?" finds tourism prose instead. Each person therefore becomes a
passage of its own (Chunk.kind "contact"), keeping the heading path, which
names the area; its text says that it is a contact entry.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Swedish numbers as printed: "070-550 16 08", "090-785 71 93", "+46 70 550 16 08", "08-123 456 78".
_PHONE = re.compile(r"(?<![\w])(?:\+46[\s-]?|0)\d{1,3}[\s-]?\d{2,3}(?:[\s-]?\d{2,3}){1,3}(?![\w])")
_LABEL = re.compile(r"\b(?:tel(?:efon)?|mobil|e-?post|e-?mail|mejl|phone)\.?\s*:?\s*", re.IGNORECASE)
# A name: two to four capitalised words ("Helena Björnwall Åström", "Anna-Karin Drugge").
_NAME = re.compile(r"^(?:[A-ZÅÄÖÉÜ][\w'’-]+\s+){1,3}[A-ZÅÄÖÉÜ][\w'’-]+$")
# A person's entry is short; a paragraph that merely mentions an address is not one.
MAX_WORDS = 30
CONTACT_LEAD = "Kontaktperson: "


@dataclass(frozen=True)
class Contact:
    text: str  # the entry as printed
    name: str
    role: str
    phone: str | None
    email: str | None


def parse_contacts(text: str) -> list[Contact]:
    """The contact entries in a paragraph; [] when it is anything else.

    Entries are split after each e-mail address (or phone number, when there
    is no e-mail), so a paragraph that packs several people still gives one
    entry each. Every entry must hold a phone number or an e-mail address and
    start with a name; otherwise the paragraph is prose and nothing is returned.
    """
    segments = _segments(text)
    if not segments:
        return []
    contacts = [_parse(segment) for segment in segments]
    return contacts if all(contacts) else []  # type: ignore[return-value]


def contact_text(text: str) -> str:
    """A contact entry's passage text: it says what it is, for readers and for the model."""
    return CONTACT_LEAD + text


def _segments(text: str) -> list[str]:
    ends = [m.end() for m in _EMAIL.finditer(text)] or [m.end() for m in _PHONE.finditer(text)]
    if not ends or len(text.split()) > MAX_WORDS * len(ends):
        return []
    starts = [0, *ends[:-1]]
    segments = [text[a:b].strip(" ,;") for a, b in zip(starts, ends)]
    tail = text[ends[-1]:].strip(" ,;.")
    if tail:  # a phone after the last e-mail belongs to the last entry
        segments[-1] = f"{segments[-1]}, {tail}"
    return segments


def _parse(segment: str) -> Contact | None:
    email = _EMAIL.search(segment)
    phone = _PHONE.search(segment)
    rest = _EMAIL.sub(" ", _PHONE.sub(" ", _LABEL.sub(" ", segment)))
    parts = [part.strip() for part in re.split(r"\s*[,;|]\s*|\s{2,}", rest) if part.strip(" .-–")]
    if not parts or not _NAME.match(parts[0]):
        return None
    return Contact(
        text=segment,
        name=parts[0],
        role=", ".join(parts[1:]),
        phone=phone[0] if phone else None,
        email=email[0] if email else None,
    )
