"""What kind of answer a question asks for, and whether a passage holds one.

"Vem är kontaktperson för turismen?" wants someone to contact, "Vem driver
projektet?" a person named in the text, "Hur många …" a number, "På vilken
sida …" a place in the report. A passage about tourism
that names no one is no answer to the first, however close its topic; the
retriever therefore lifts passages whose best sentence holds an answer of
the asked type, and the abstention model (qa/abstain.py) uses a missing one
as evidence that the report does not answer. Swedish and English cues; a
question with no cue (definitions, why/how, lists) gets no type and nothing
is lifted.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

import numpy as np

AnswerType = Literal["contact", "person", "number", "date", "place", "page"]

# Tried in this order: the first type whose cue occurs in the question wins
# ("var i rapporten" is a page question before it is a place question;
# "hur många år" a number before a date).
_CUES: tuple[tuple[AnswerType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        # "Var börjar …", "var står det om …": where in the text, not where in the county.
        ("page", r"\b(?:(?:på|från) vilken sida|vilken sida|vilka sidor|sidan?\s+\d|var i (?:rapporten|dokumentet)|"
                 r"vilket kapitel|vilka kapitel|vilket avsnitt|"
                 r"under vilken rubrik|innehållsförteckning|var (?:börjar|slutar|står|skriver|skrivs|beskriver|"
                 r"beskrivs|behandlas|tas|tar|nämns|nämner|redovisas|redovisar|framgår|berättas|berättar|"
                 r"diskuteras|hittar jag|kan jag läsa|läser jag)|var i (?:det|vilket|vilken) "
                 r"(?:kapit\w*|avsnitt\w*|del\w*)|hur långt in|var (?:startar|inleds)|"
                 # "Var finns exemplen …", "Var i företagskapitlet …", "Where in the health chapter …": a
                 # where-question about a part of the report (tune6: 8 such were read as places or untyped).
                 r"(?:var|where)\b[^?]{0,80}?\b(?:kapit\w*|\w+kapitlet|avsnitt\w*|delen|sammanfattning\w*|"
                 r"\w*exemplen|rapport\w*|dokument\w*|chapter|section|report|document)|which pages?|what pages?|"
                 # A page asked for tersely or as a length: "Sida för …?", "…, sidan?", "Hur många sidor …"
                 # (tune8: 3 such were untyped).
                 r"^\W*sida|sidan(?=\s*\?)|(?:hur många|räknat i|mellan vilka|antal) sidor|"
                 r"hur (?:långt|omfattande) är (?:kapitlet|delen|avsnittet)|"
                 # Keywords ending in a page word ("kartportal geodata sida"), which part or what comes right
                 # before or after a part, when in a chapter (tune10: 6 such were untyped or dates).
                 r"(?:sida|sidnummer|sidnr|startsida|page|page number)\s*\??\s*$|"
                 r"vilken del (?:av (?:rapporten|dokumentet)|ska jag läsa)|vilka delar av (?:rapporten|dokumentet)|"
                 r"(?:vad|vilket kapitel|vilken del|vilket avsnitt) (?:kommer|står|ligger) (?:precis|direkt|närmast|"
                 r"strax) (?:före|efter)|när i (?:\w*kapitlet|avsnittet|rapporten)|"
                 r"which part (?:of the (?:\w+ )?(?:chapter|report|document)|mentions|covers|describes|discusses|"
                 r"deals)|in which part|what comes (?:right |just |directly )?(?:before|after)|"
                 r"which chapter|what chapter|which section|where in the (?:report|document)|"
                 r"where (?:can|do|should|could) (?:i|we|one) (?:read|find|look)|"
                 r"table of contents|where does (?:the|a|its) "
                 r"(?:chapter|section|part)|where (?:does|do) (?:the report|the document|it|they) (?:say|mention|"
                 r"describe|discuss|cover|talk|explain|report|write)|where (?:is|are) .{1,80}? (?:mentioned|described|"
                 r"discussed|covered|reported))\b"),
        # Who runs a project or a network the text names ("Who leads the EU project …", "Vem driver
        # nätverket …"): an organisation or person in the prose, not whom to contact (tune: 2 such were
        # routed to the contact list).
        ("person", r"\b(?:who|vem) (?:runs|leads|heads|coordinates|leder|driver|samordnar)\b[^?]{0,60}?\b(?:\w*project\w*|"
                   r"\w*network\w*|programme|consortium|initiative|\w*projekt\w*|\w*nätverk\w*|konsorti\w*|"
                   r"initiativ\w*)"),
        # Whom to turn to: "kontakta", "vem kan berätta mer", "vem på regionen ansvarar"; not "komma i
        # kontakt med", which asks how, not whom. A contact entry is the answer (routing below), where
        # "Vem driver projektet?" asks for a person the text names (tune: routing every "vem" question to
        # the contact list put four contact entries above "Partnerskap mellan Region Västerbotten, …").
        ("contact", r"\b(?:kontakta\w*|kontaktperson\w*|kontaktuppgift\w*|ring\w*|mejl\w*|e-post\w*|telefon\w*|"
                    r"\w*nummer|vänd(?:a|er) (?:mig|sig|jag mig)|prata med|hur når (?:jag|man|vi)|"
                    r"vem (?:kan|ska|bör) (?:\w+ ){1,2}(?:fråga|höra av|prata|vända)|"
                    r"vem kan (?:berätta|svara|hjälpa|ge|förklara)|vem vet|vem bestämmer över|"
                    r"vem (?:på|hos|inom) (?:regionen|region västerbotten)|"
                    r"vem (?:ansvarar|har ansvar\w*|har hand om|håller i|sköter|leder|är chef|är ansvarig)|"
                    r"vem är (?:\w+ )?chef|contact\w*|e-?mail\w*|phone|call|who (?:should|can|could|do) (?:i|we|one)|"
                    r"who can (?:tell|answer|help|explain)|who knows|who (?:runs|heads|leads|is responsible|"
                    r"is in charge)|which (?:official|person|officer))\b"),
        ("person", r"\b(?:vem|vems|vilken person|vilka personer|who|whom|whose)\b"),
        ("number", r"\b(?:hur (?:många|mycket|stor|stort|stora|lång|långa|hög|höga)|antal(?:et)?|andel(?:en)?|"
                   r"procent|kronor|belopp(?:et)?|how (?:many|much|large|big|high|long)|what (?:share|percentage|"
                   r"proportion|amount)|number of|percent(?:age)?)\b"),
        # "när"/"when" asks for a date where it opens the question or a clause of it ("Vi ska åka – när
        # går …?"); inside one it joins two ("Vad menar regionen när den pratar om pentahelix?": tune
        # had 7 such questions typed as dates, none asking for one).
        ("date", r"(?:^|[–—:;,.!?(]\s*)(?:och |men |and |but )?(?:när|when)\b|"
                 r"\b(?:vilket år|vilka år|vilket datum|vilken månad|sedan när|hur länge sedan|what year|which year|"
                 r"what date|since when)\b"),
        ("place", r"\b(?:var (?:ligger|finns|sker|hölls|byggs)|vart|i vilken (?:kommun|ort|stad|del av länet)|"
                  r"vilken (?:kommun|ort|stad)|vilka (?:kommuner|orter)|where|in which (?:municipality|town|city)|"
                  r"which (?:municipality|municipalities|town|city))\b"),
    )
)

_NUMBER = re.compile(r"\d|\b(?:procent|kronor|miljon\w*|miljard\w*|tusen|hundra|tiotal|dubbelt|hälften)\b",
                     re.IGNORECASE)
_DATE = re.compile(
    r"\b(?:19|20)\d{2}\b|\b(?:januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|"
    r"december|våren|hösten|sommaren|vintern)\b",
    re.IGNORECASE,
)
_PAGE = re.compile(r"\bs\.\s*\d+|\bsid(?:an|orna)?\s+\d+|\bkapit(?:el|let)\b|\bavsnitt(?:et)?\b", re.IGNORECASE)
# Titles that follow a name in running text: "Patrik Sällström, regional utvecklingsdirektör".
_PERSON = re.compile(
    r"\b[A-ZÅÄÖÉ][a-zåäöéü]+(?:[- ][A-ZÅÄÖÉ][a-zåäöéü]+)+,?\s+(?:\w+\s+)?"
    r"\w*(?:chef|direktör|ordförande|samordnare|strateg|ansvarig|handläggare|koordinator|ledare|rådgivare)\b"
)
# A place named after a preposition: "i Lycksele", "på Storuman", "från Umeå".
_PLACE = re.compile(r"\b(?:i|på|från|till|vid|in|at)\s+[A-ZÅÄÖ][a-zåäö]+")


def expected_type(question: str) -> AnswerType | None:
    """The answer type a question asks for, or None when it asks for no particular kind."""
    return next((kind for kind, cue in _CUES if cue.search(question)), None)


def holds_type(kind: AnswerType | None, text: str, passage_kind: str = "text") -> bool:
    """Whether `text` (a passage's best sentence) holds an answer of type `kind`.

    A contact entry holds a person, a table-of-contents passage a page, by
    what they are; other text is read with the patterns above.
    """
    if kind is None:
        return False
    if kind in ("contact", "person"):
        return passage_kind == "contact" or bool(_PERSON.search(text))
    if kind == "page":
        return passage_kind == "toc" or bool(_PAGE.search(text))
    pattern = {"number": _NUMBER, "date": _DATE, "place": _PLACE}[kind]
    return bool(pattern.search(text))


# Passages that are an answer of a type by what they are (ingest/contacts.py, ingest/structure.py).
ANSWERING_KIND: dict[AnswerType, str] = {"contact": "contact", "page": "toc"}


def route_to_kind(
    final: np.ndarray, kind: AnswerType | None, kinds: np.ndarray, weight: float, depth: int,
) -> np.ndarray:
    """`final` with `weight` added to the `depth` best passages whose kind answers the asked type.

    Sought among all passages, not a pool of leaders: a contact entry or a table-of-contents
    line is short and names its subject in a word or two, so the question's topic draws
    prose about that topic far above it (tune contact questions: hit@5 0.64 without the
    routing, 0.94 with it; `python -m eval.sweep_answer_type --setting route_weight`, README).
    Only the best few are lifted, so that the prose still fills the rest of the answer when
    the type was misread.
    """
    if kind not in ANSWERING_KIND or weight == 0 or depth == 0:
        return final
    candidates = np.flatnonzero(kinds == ANSWERING_KIND[kind])
    best = candidates[np.argsort(-final[candidates], kind="stable")[:depth]]
    lifted = final.copy()
    lifted[best] += weight
    return lifted


def lift_typed(
    final: np.ndarray, kind: AnswerType | None, best_sentence: Callable[[int], tuple[str, str]],
    weight: float, pool: int,
) -> np.ndarray:
    """`final` with `weight` added to each of the best `pool` passages whose best
    sentence holds an answer of the asked type.

    `best_sentence(i)` gives passage i's best sentence and its Chunk.kind. Only
    a pool of the leaders is read: a passage far down is not saved by a number.
    """
    if kind is None:
        return final
    return lift_leaders(final, lambda flat: holds_type(kind, *best_sentence(flat)), weight, pool)


def lift_leaders(final: np.ndarray, holds: Callable[[int], bool], weight: float, pool: int) -> np.ndarray:
    """`final` with `weight` added to each of the best `pool` passages for which `holds(i)`."""
    if weight == 0:
        return final
    lifted = final.copy()
    for flat in np.argsort(-final, kind="stable")[:pool]:
        if holds(int(flat)):
            lifted[flat] += weight
    return lifted
