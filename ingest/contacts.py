"""Contact entries: who to ask about what, one person per passage.

Reports end with lists such as "Annika Sandström, Regionturismchef,
070-550 16 08, annika.sandstrom@regionvasterbotten.se" under the heading of
the area each person answers for. Packed four to a passage, the embedding of
such a list is about nothing in particular and "Vem är kontaktperson för
turismen?" finds tourism prose instead. Each person therefore becomes a
passage of its own (Chunk.kind "contact"), keeping the heading path, which
names the area; its text says that it is a contact entry and spells out the
role: "Regionkulturchef" shares no word with "vem leder kulturen?", "chef för
kultur" does (for the model and for BM25 alike).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
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
# Titles a role is built on; the part before one says what the person leads ("Regionkultur|chef").
_TITLE = re.compile(r"^(?P<area>\w*?)(?P<title>chef|direktör|ansvarig|samordnare|strateg|ledare|koordinator)$",
                    re.IGNORECASE)
# Compound parts that say where the post sits, not what it is about: "Regionkulturchef" leads culture,
# "Enhetschef Samhällsbyggnad" leads the unit named after it.
_SEAT = ("region", "enhets", "myndighets", "avdelnings", "verksamhets", "förvaltnings", "sektions")
# Words shorter than this say nothing of a role ("och", "för"); words sharing their first SAME_START
# letters are one word or compounds on it.
MIN_WORD = 4
SAME_START = 6
_ABBREVIATIONS = {"tf": "tillförordnad", "t.f.": "tillförordnad", "bitr.": "biträdande"}


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


def contact_text(contact: Contact, areas: Sequence[str] = (), topics: Sequence[str] = ()) -> str:
    """A contact entry's passage text: it says what it is, for readers and for the model, what the
    person leads in plain words where the role is a compound title, the `areas` of the chapter
    they are listed under (ingest/structure.py's `chapter_areas`): a list headed "En nära
    tillgänglig region" answers for "Kollektivtrafik", which no word of the entry says; and the
    `topics` their role claims there (`claimed_topics`): night trains, which no area names."""
    lines = [CONTACT_LEAD + contact.text]
    if spelled := spell_role(contact.role):
        lines.append(f"{contact.name}: {spelled}.")
    if areas:
        lines.append("Området: " + ", ".join(areas) + ".")
    if topics:
        lines.append("Ämnen: " + ", ".join(topics) + ".")
    return "\n".join(lines)


def is_name(line: str) -> bool:
    """Whether a line is a person's name as reports print it: two to four capitalised words, no
    digits, none all in capitals ("ANVÄNDNING AV ALLMÄN PLATS" is a heading). The start of a
    contact entry, and the line that signs a text (ingest/signature.py)."""
    return (bool(_NAME.match(line)) and not any(ch.isdigit() for ch in line)
            and all(any(ch.islower() for ch in word) for word in line.split()))


def claimed_topics(role: str, headings: Sequence[tuple[str | None, str]], generic: frozenset[str]) -> list[str]:
    """The headings of a chapter (each with the area it stands under, `area_headings`) that a role
    answers for: those under an area the role names, and those the role names itself.

    "Myndighetschef Regionala kollektivtrafikmyndigheten" names the area "Kollektivtrafik", so it
    answers for "Påverkansarbete nattrafik och samverkansavtal" printed under it; "Regionbibliotekschef"
    names "Regionbibliotekets läsfrämjande". Words are compared on a shared start (`_same_word`), the
    role's words without where the post sits (`_topic`) and without the `generic` ones: words of the
    report's own subject, which every heading might share ("Film i Västerbotten" leads film, not
    everything in Västerbotten)."""
    words = [word for word in role_words(role) if word not in generic]

    def named(title: str) -> bool:
        return any(_same_word(word, other) for word in words for other in _words(title))

    return list(dict.fromkeys(title for area, title in headings if named(title) or (area and named(area))))


def role_words(role: str) -> list[str]:
    """What a role (or any title) is about, word by word: "Regionkulturchef" → ["kultur"],
    "Enhetschef Film i Västerbotten" → ["film", "västerbotten"]."""
    words = []
    for word in _words(role):
        title = _TITLE.match(word)
        words.append(_topic(title["area"] if title else word))
    return [word for word in words if len(word) >= MIN_WORD]


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.lower())


def _same_word(a: str, b: str) -> bool:
    """Whether two words are one, or compounds on one: "kollektivtrafik" and
    "kollektivtrafikmyndigheten", "bibliotek" and "regionbiblioteket" (the seat stripped), "film"
    and "filmfond"; not "film" and "filial", nor "turism" and "turist"."""
    a, b = _topic(a), _topic(b)
    if min(len(a), len(b)) < MIN_WORD:
        return False
    same = min(len(a), len(b), SAME_START)
    return a[:same] == b[:same]


def spell_role(role: str) -> str | None:
    """The role in plain words, or None when it says nothing more than the role as printed.

    "Regionkulturchef" → "chef för kultur", "tf Chef Näringsliv och samhällsbyggnad" → "tillförordnad
    chef för Näringsliv och samhällsbyggnad", "Enhetschef Folkhälsoenheten" → "chef för
    Folkhälsoenheten": the last title word of the role, what its compound names besides where the post
    sits, and what follows it.
    """
    words = role.split()
    at = next((i for i in reversed(range(len(words))) if _TITLE.match(words[i])), None)
    if at is None:
        return None
    match = _TITLE.match(words[at])
    assert match is not None
    area = _topic(match["area"].lower())
    rest = [w for w in words[at + 1:] if w.lower() != "för"]
    subject = " ".join(filter(None, [area, " ".join(rest)]))
    if not subject:
        return None
    lead = [_ABBREVIATIONS.get(w.lower(), w.lower() if i == 0 else w) for i, w in enumerate(words[:at])]
    return " ".join([*lead, match["title"].lower(), "för", subject])


def _topic(part: str) -> str:
    """A compound's leading part without where the post sits or a linking s: "regionbiblioteks" → "bibliotek"."""
    for seat in _SEAT:
        if part.startswith(seat):
            part = part[len(seat):]
    return part[:-1] if len(part) >= 6 and part.endswith("s") and not part.endswith("ss") else part


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
    if not parts or not is_name(parts[0]):
        return None
    return Contact(
        text=segment,
        name=parts[0],
        role=", ".join(parts[1:]),
        phone=phone[0] if phone else None,
        email=email[0] if email else None,
    )
