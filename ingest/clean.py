"""Clean-up shared by the PDF and the text reader.

Both readers see the same damage: paragraphs cut by page breaks, words split
at a line end, tables of contents and photo credits mixed into the prose.
They describe what they found as a stream of `Heading`, `Para` and `TocLine`
items and `assemble` turns that stream into blocks, so that a report read
from PDF and the same report read from text come out alike.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.model import Block

# A sentence is over when it ends in one of these, maybe inside quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*$")
# A word cut at the end of a line: letters or digits right before the hyphen.
_CUT_WORD = re.compile(r"(\w)-$")
# After "hälso- och" the hyphen is Swedish shorthand for a shared word ending,
_SUSPENDED_HYPHEN_NEXT = frozenset({"och", "eller", "samt", "som", "respektive", "resp.", "&", "men"})
# but "ra-"/"men" is "ramen": a word part shorter than this is never shorthand.
_MIN_SUSPENDED_PART = 3
# Words that cannot end a Swedish sentence, so a paragraph ending in one of
# them goes on in the next one even when that starts with a name.
_NEVER_LAST = frozenset(
    "och att av i på för med som till om en ett den det de dessa denna detta från "
    "är har samt eller där när vid under mellan genom inom utan mot hos kring efter "
    "både hur vilket vilka sin sitt sina ska kan men".split()
)
# Word's Symbol-font bullets come out as private-use characters (U+F0B7 …).
_BULLET = re.compile(r"^(?:[-–•▪◦●·*\uf000-\uf0ff]|\x7f)\s+(?=\S)")
_PHOTO_CREDIT = re.compile(r"^(?:foto|fotograf|bild|photo)\s*:", re.IGNORECASE)
# "Omvärldsanalys..... . . . 8" or "Agenda 2030\t20": a title, leaders, a page.
_TOC_ENTRY = re.compile(r"^(?P<title>\S.*?)(?P<leader>[ \t.·…_]+)(?P<page>\d{1,4})$")
_HEADING_MAX_WORDS = 14
_CAPTION_MAX_WORDS = 8
_SOFT_HYPHEN = "\u00ad"
_ZERO_WIDTH = dict.fromkeys(map(ord, _SOFT_HYPHEN + "\u200b\u200c\u200d\ufeff"))
_MIN_HEADING_LETTERS = 2


@dataclass(frozen=True)
class Heading:
    """A heading as a reader saw it; level 1 chapter, 2 section, 3 subsection."""

    level: int
    text: str
    page: int | None
    pdf_page: int | None = None


@dataclass(frozen=True)
class Para:
    """A paragraph, or the part of one that lies on a single page.

    `kind` is "text", "table" (a table row read as a sentence: never joined
    to its neighbours) or "footnote" (held back until the paragraph that a
    page break cut around it is whole again).
    """

    text: str
    page: int | None
    pdf_page: int | None = None
    kind: str = "text"


@dataclass(frozen=True)
class TocLine:
    """A table-of-contents entry: never body text, and it unmasks the TOC's title.

    What it says is kept for the report's outline (ingest/structure.py):
    `indent` (in the reader's unit) tells chapters from sections.
    """

    title: str = ""
    page: int | None = None
    indent: float = 0.0


def normalize_space(text: str) -> str:
    """One plain space between words, so text from PDF and from file compare equal."""
    return " ".join(text.translate(_ZERO_WIDTH).split())


def join_pair(left: str, right: str) -> str:
    """Join two pieces of one paragraph, undoing a word cut at the line end.

    The hyphen stays when it is a real one: after an abbreviation or a digit
    ("EU-kommissionen", "S3-forum"), before a capital ("Umeå-Stockholm"),
    or in Swedish shorthand ("hälso- och sjukvård"). `right` is always kept
    unchanged at the end of the result, so its offset is len(result) - len(right).
    """
    cut = _CUT_WORD.search(left)
    if not cut:
        return f"{left} {right}"
    next_word = (right.split() or [""])[0]
    cut_part = left.rsplit(maxsplit=1)[-1][:-1]
    if next_word.casefold() in _SUSPENDED_HYPHEN_NEXT and len(cut_part) >= _MIN_SUSPENDED_PART:
        return f"{left} {right}"
    before = cut.group(1)
    if before.isupper() or before.isdigit() or right[:1].isupper():
        return left + right
    return left[:-1] + right


def join_lines(lines: Iterable[str]) -> str:
    """The lines of one paragraph as one line of text.

    A line ending in a soft hyphen (U+00AD) was hyphenated by the layout: the
    word goes on in the next line, whatever the letters are.
    """
    text = ""
    soft = False
    for raw in lines:
        line = normalize_space(raw)
        if line:
            text = (text + line if soft else join_pair(text, line)) if text else line
            soft = raw.rstrip().endswith(_SOFT_HYPHEN)
    return text


def ends_sentence(text: str) -> bool:
    """Whether text stops at a sentence end, so what follows it starts afresh."""
    return bool(_SENTENCE_END.search(text))


def continues(previous: str, following: str) -> bool:
    """Whether `following` is the rest of a paragraph that a page break cut off."""
    if as_list_item(following) is not None or ends_sentence(previous):
        return False
    if _CUT_WORD.search(previous) or previous.endswith((",", ";")):
        return True
    last_word = previous.rsplit(maxsplit=1)[-1].casefold()
    return _goes_on(following) or last_word in _NEVER_LAST


def _goes_on(text: str) -> bool:
    """Whether text reads as the middle of a sentence: it starts in lower case."""
    first_letter = next((c for c in text if c.isalpha()), "")
    return as_list_item(text) is None and first_letter.islower()


def as_list_item(line: str) -> str | None:
    """The line as "- item" when it starts with a bullet, else None."""
    bullet = _BULLET.match(line)
    return f"- {line[bullet.end():]}" if bullet else None


def is_photo_credit(line: str) -> bool:
    """Whether the line credits a photographer: page furniture, not report text."""
    return bool(_PHOTO_CREDIT.match(line.strip()))


def is_caption(line: str) -> bool:
    """Whether a line next to a photo credit can be the photo's caption."""
    return len(line.split()) <= _CAPTION_MAX_WORDS and not ends_sentence(line)


def toc_entry(line: str) -> tuple[str, int] | None:
    """(title, page) when the line is a table-of-contents entry."""
    match = _TOC_ENTRY.match(line.strip())
    if not match:
        return None
    leader = match["leader"]
    if "\t" not in leader and leader.count(".") + 3 * leader.count("…") < 2:
        return None
    return match["title"].rstrip(" .·…_"), int(match["page"])


def looks_like_heading(text: str) -> bool:
    """Short, not a sentence, not contact details, more letters than figures
    (a table total is not a heading): what a heading can look like."""
    words = text.split()
    return (
        0 < len(words) <= _HEADING_MAX_WORDS
        and sum(c.isalpha() for c in text) >= max(_MIN_HEADING_LETTERS, sum(c.isdigit() for c in text))
        and not text.endswith((".", ",", ";", ":", "-"))
        and "@" not in text
        and "http" not in text
        and "www." not in text
    )


def assemble(items: Iterable[Heading | Para | TocLine]) -> list[Block]:
    """Blocks with their heading paths, page-broken paragraphs made whole again.

    A heading that repeats the title of an earlier chapter, as a contact list
    or a summary at the end does ("Kontakt" > "Västerbotten – En nära
    tillgänglig region"), refers back to that chapter: it becomes a section
    of the chapter it stands in, named as the chapter was.
    """
    path: list[str | None] = [None, None, None]
    chapters: dict[str, str] = {}
    blocks: list[Block] = []
    footnotes: list[Block] = []
    for item in _settle_headings(list(items)):
        section = tuple(title for title in path if title)
        if isinstance(item, Para) and item.kind == "footnote":
            footnotes.append(_new_block(item, section))
            continue
        if isinstance(item, Para) and _add_paragraph(blocks, item, section):
            continue
        blocks += footnotes
        footnotes.clear()
        if isinstance(item, Para):
            blocks.append(_new_block(item, section))
            continue
        earlier = chapters.get(_title_key(item.text))
        if earlier and path[0] and earlier != path[0]:
            item = Heading(2, earlier, item.page, item.pdf_page)
        elif item.level == 1:
            chapters.setdefault(_title_key(item.text), item.text)
        path[item.level - 1 :] = [item.text, *[None] * (3 - item.level)]
    return blocks + footnotes


def _title_key(title: str) -> str:
    """A title as compared with another: dashes and case do not count."""
    return re.sub(r"[‐‑‒–—-]", "-", title).casefold()


def _settle_headings(items: list[Heading | Para | TocLine]) -> list[Heading | Para]:
    """Decide which headings are headings, given what follows them.

    A table of contents goes, together with its title and the headings right
    above that on the same page (a cover title; the signature on the page
    before once went with them), or in plain text without pages, above the
    first paragraph (the signature under a foreword stays). A subsection heading
    with nothing under it (the next item is another heading) is a lead-in
    line or a signature, and one whose text goes on in lower case is the
    start of a sentence; both are kept as text. So is a subsection heading
    over such an empty one: the bundled report signs its foreword in bold,
    "Patrik Sällström" over "Regional utvecklingsdirektör", and the name was
    taken for a heading over the title and lost. Going backwards lets each
    heading be judged by what the next one turned out to be.
    """
    settled: list[Heading | Para | TocLine] = []
    empty_below = False  # the item after this one is a subsection heading over nothing, now text
    dropped: Heading | None = None  # the heading after this one, dropped with the table of contents
    # Without pages (plain text), "on its page" is read as "before any paragraph": a cover.
    first_para = next((at for at, item in enumerate(items) if isinstance(item, Para)), len(items))
    for at in reversed(range(len(items))):
        item, following = items[at], settled[-1] if settled else None
        read_next = items[at + 1] if at + 1 < len(items) else None
        if isinstance(item, Heading) and (isinstance(read_next, TocLine) or (
                read_next is dropped is not None and (item.page == dropped.page if item.page is not None
                                                      else at < first_para))):
            dropped = item  # the table of contents' title, and a cover title above it on its page
            continue
        over_nothing = False
        if isinstance(item, Heading) and item.level == 3:
            over_nothing = not isinstance(following, Para) or empty_below
            if over_nothing or _goes_on(following.text):
                item = Para(item.text, item.page, item.pdf_page)
        empty_below = over_nothing
        settled.append(item)
    return [item for item in reversed(settled) if not isinstance(item, TocLine)]


def _new_block(para: Para, section: tuple[str, ...]) -> Block:
    pages = () if para.page is None else (para.page,)
    pdf_pages = () if para.pdf_page is None else (para.pdf_page,)
    return Block(para.text, pages, section, (0,) * len(pages), pdf_pages, para.kind)


def _add_paragraph(blocks: list[Block], para: Para, section: tuple[str, ...]) -> bool:
    """Join the paragraph to the last block when a page break cut them apart."""
    previous = blocks[-1] if blocks else None
    if (previous is None or previous.section != section or "text" != previous.kind
            or para.kind != "text" or not continues(previous.text, para.text)):
        return False
    text = join_pair(previous.text, para.text)
    page_here = (para.page, para.pdf_page if para.pdf_page is not None else para.page)
    known = tuple(zip(previous.pages, previous.pdf_pages or previous.pages))
    if para.page is not None and page_here not in known:
        pages = previous.pages + (para.page,)
        pdf_pages = previous.pdf_pages + (para.pdf_page,) if para.pdf_page is not None else ()
        starts = previous.page_starts + (len(text) - len(para.text),)
    else:
        pages, pdf_pages, starts = previous.pages, previous.pdf_pages, previous.page_starts
    blocks[-1] = Block(text, pages, section, starts, pdf_pages, "text")
    return True
