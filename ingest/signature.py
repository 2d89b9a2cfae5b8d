"""Signatures: who signed a text, as a passage of its own.

A report's foreword often ends with the writer's name over their title,
"Patrik Sällström" / "Regional utvecklingsdirektör", and nothing more: no
phone and no e-mail, so no contact list takes it (ingest/contacts.py), and the
prose above it ("Jag hoppas att denna rapport …") never says that it is a
foreword; its heading path is only the report's title. "Vem har undertecknat
förordet?" then finds neither. Each signature therefore also becomes a
contact passage (Chunk.kind "contact") that says in plain words who signed
what: the foreword, where the signed text has no heading of its own and comes
before the first chapter, else the text under its section's heading. The prose
passage stays as it is.

A signature is known by its shape alone, at the end of a section: a paragraph
of sentences, then a name line (`is_name`), then a short role line (a few
words, no digits, no sentence end), then the next heading or the end of the
document. A photo credit ("Foto: …"), a contact entry (digits, an address) or
a table row is none.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ingest.clean import as_list_item, ends_sentence
from ingest.contacts import is_name, spell_role
from ingest.model import Block
from ingest.structure import title_key

SIGNER_LEAD = "Undertecknare: "
# A signed paragraph is prose, not a caption or a lead-in line; a role is a title, not a sentence.
_MIN_PROSE_WORDS = 8
_MAX_ROLE_WORDS = 8
# What a role line never holds: figures (a phone, a table), an address, a label ("Foto:").
_NOT_IN_ROLE = frozenset("@:")
# An untitled signed text before the first chapter, in words a reader might use for it: on tune
# "inledningsorden till läsaren" brought a question on the "hälsningsorden" into the top 5, where
# "inledningstexten" left it out of the top 10 (README, Signatures).
FOREWORD = "förordet (inledningsorden till läsaren före innehållsförteckningen)"


@dataclass(frozen=True)
class Signature:
    signed: Block  # the paragraph that the signature closes
    name: Block
    role: Block
    # The signed text has no heading of its own (none, or only the report's title) and
    # comes before the first chapter.
    foreword: bool

    def lines(self) -> list[str]:
        """The passage's lines, the essential first: who signed, what they signed and where, and
        what the role says in plain words (ingest/contacts.py's `spell_role`)."""
        name, role = self.name.text, self.role.text
        where = f", {_page_span(self.signed.pages)}" if self.signed.pages else ""
        lines = [f"{SIGNER_LEAD}{name}, {role}.", f"Undertecknar {self._what()}{where}."]
        if spelled := spell_role(role):
            lines.append(f"{name}: {spelled}.")
        return lines

    def _what(self) -> str:
        if self.foreword:
            return FOREWORD
        return f"texten under rubriken «{self.signed.section[-1]}»" if self.signed.section else "texten"


def find_signatures(blocks: Sequence[Block], title: str) -> list[Signature]:
    """Every signature among a document's blocks (in reading order), `title` the report's: a PDF
    prints it over untitled pages, so a text under it alone has no heading of its own."""
    def untitled(block: Block) -> bool:
        return not block.section or title_key(block.section[-1]) == title_key(title)

    last_titled = max((at for at, block in enumerate(blocks) if not untitled(block)), default=-1)
    found = []
    for at in range(2, len(blocks)):
        signed, name, role = blocks[at - 2: at + 1]
        ends_section = at + 1 == len(blocks) or blocks[at + 1].section != role.section
        if (ends_section and signed.section == name.section == role.section
                and _is_prose(signed) and _is_line(name) and is_name(name.text) and _is_role(role)):
            found.append(Signature(signed, name, role, foreword=untitled(signed) and last_titled > at))
    return found


def _is_prose(block: Block) -> bool:
    """A paragraph of sentences: long enough, ending in a full stop, not a list item or table row."""
    return (block.kind == "text" and len(block.text.split()) >= _MIN_PROSE_WORDS
            and ends_sentence(block.text) and as_list_item(block.text) is None)


def _is_line(block: Block) -> bool:
    return block.kind == "text" and "\n" not in block.text


def _is_role(block: Block) -> bool:
    """A title such as "Regional utvecklingsdirektör": a few words, no figures, no sentence end."""
    text = block.text
    return (_is_line(block) and 0 < len(text.split()) <= _MAX_ROLE_WORDS and text[:1].isalpha()
            and not ends_sentence(text) and not any(ch.isdigit() or ch in _NOT_IN_ROLE for ch in text))


def _page_span(pages: Sequence[int]) -> str:
    first, last = min(pages), max(pages)
    return f"s. {first}" if first == last else f"s. {first}–{last}"
