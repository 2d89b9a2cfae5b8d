"""What quantity a Swedish question asks for, and whether a sentence states one of that kind.

"Hur många laddstolpar finns det i länet?" of a report that counts bus stops
and companies but never charging points: the nearest sentence holds a number
(the answer type matches, qa/answer_type.py) and its topic is close, yet no
number there counts charging points. Likewise "Vad kostade det att delta i
Almedalen?" is not answered by a sentence whose only number is a year. So a
leading sentence answers a quantity question only when it states the asked
kind of quantity:

- a count: a number right before the counted word ("25 företag", "tre
  regioner", "15 kommunägda trafikbolag" for "trafikbolag"), or before a word
  for people when a verb follows "hur många" ("Hur många bor i Lycksele?");
- an amount of money: a number with a currency ("52,3 mkr", "2 miljoner kronor");
- a share: a percentage or a fraction in words ("70 %", "hälften").

On tune, as one signal of the abstention model (qa/abstain.py), it lifts the
model's 5-fold cross-validated AUROC from 0.840 to 0.866 (README, "The asked
quantity"); on test, AUROC went 0.683 → 0.853.

Swedish only: an English question's counted word never stands in the Swedish text.

The same reading ranks: a leading passage one of whose sentences states the asked kind of quantity is
lifted a little (`lift_stated`), a finer cut than the answer type's "any number" (qa/answer_type.py):
"Hur stor andel av strömmen som kraftverken här genererar säljs vidare?" finds the sentence with "70%"
above prose on power lines and production figures.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from qa.answer_type import lift_leaders
from qa.specific_terms import mentions, stems

QuantityKind = Literal["count", "money", "share"]

_MONEY_ASKED = re.compile(
    r"\b(?:hur mycket (?:pengar|kostade|kostar)|vad (?:kostade|kostar|kostat)|"
    r"hur (?:stor|stort|stora) (?:budget\w*|belopp\w*|summ\w*)|hur många (?:kronor|miljoner|euro))\b",
    re.IGNORECASE,
)
_SHARE_ASKED = re.compile(r"\b(?:hur stor (?:andel|del)|hur många procent|vilken andel)\b", re.IGNORECASE)
# "Hur många av länets kommuner": the counted words come after these. Two are read, as an adjective
# may come first ("hur många andra regioner", "hur många prioriterade styrkeområden"); either one
# stated counts (tune: out-of-fold AUROC 0.857 with the first word alone, 0.866 with two).
_COUNT_ASKED = re.compile(r"\bhur många\s+(?:(?:av|de|länets|landets)\s+)*([^\W\d_]+)(?:\s+([^\W\d_]+))?",
                          re.IGNORECASE)

# "Hur många bor i Lycksele?" counts people, named by no word: a verb follows "hur många". A number
# of people answers it ("8 000 personer", "30 deltagare").
_VERBS = frozenset(
    "bor bodde kom kommer deltog deltar deltagit svarade svarar står stod har hade finns fanns är var blev blir "
    "gick går fick får använder använde arbetar jobbar besökte besöker tog tar söker sökte lever studerar "
    "pendlar reste reser åkte åker".split()
)
_PEOPLE = ("person", "invån", "deltag", "människ", "besök", "elev", "student", "anställ", "medarbet", "barn", "ung",
           "kvinn", "män", "svarand", "respondent", "individ")
_MONEY = re.compile(
    r"\d[\d\s,.]*\s*(?:(?:miljon\w*|miljard\w*|tusen)\s+)?(?:kr\b|kronor|mkr|tkr|mnkr|msek|sek\b|euro\b|€)|€\s*\d",
    re.IGNORECASE,
)
_SHARE = re.compile(
    r"\d[\d\s,.]*\s*(?:%|procent)|\b(?:hälften|halva|en (?:tredjedel|fjärdedel)|var (?:tredje|fjärde|femte|tionde))\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = frozenset(
    "två tre fyra fem sex sju åtta nio tio elva tolv tretton fjorton femton sexton tjugo trettio fyrtio femtio "
    "hundra tusen".split()
)
_TOKEN = re.compile(r"[^\W_]+")
# How many words after a number the counted word may stand ("38 samproducerade långfilmer"). On tune
# 2, 3 and 4 words separate equally well, 6 and 10 a little worse (more numbers count something else).
WINDOW = 3


@dataclass(frozen=True)
class Asked:
    kind: QuantityKind
    counted: tuple[str, ...] = ()  # the words naming what a count counts, stemmed; none for a count of people


def asked_quantity(question: str) -> Asked | None:
    """The quantity a Swedish question asks for; None when it asks for none of these."""
    if _MONEY_ASKED.search(question):
        return Asked("money")
    if _SHARE_ASKED.search(question):
        return Asked("share")
    found = _COUNT_ASKED.search(question)
    if found is None:
        return None
    first, second = (word.lower() if word else None for word in found.groups())
    if first in _VERBS:
        return Asked("count")
    named = [word for word in (first, second) if word and word not in _VERBS]
    return Asked("count", tuple(next(iter(stems(word)), word) for word in named))


def _is_number(token: str) -> bool:
    return any(c.isdigit() for c in token) or token in _NUMBER_WORDS


def states(asked: Asked, sentence: str) -> bool:
    """Whether `sentence` states a quantity of the asked kind."""
    if asked.kind == "money":
        return bool(_MONEY.search(sentence))
    if asked.kind == "share":
        return bool(_SHARE.search(sentence))
    wanted = asked.counted or _PEOPLE
    tokens = _TOKEN.findall(sentence.lower())
    return any(
        _is_number(token) and any(mentions(word, stems(" ".join(tokens[i + 1:i + 1 + WINDOW]))) for word in wanted)
        for i, token in enumerate(tokens)
    )


def lift_stated(
    final: np.ndarray, asked: Asked | None, sentences: Callable[[int], Sequence[str]], weight: float, pool: int,
) -> np.ndarray:
    """`final` with `weight` added to each of the best `pool` passages of which a sentence states the
    `asked` quantity; `sentences(i)`: passage i's sentences."""
    if asked is None:
        return final
    return lift_leaders(final, lambda flat: any(states(asked, sentence) for sentence in sentences(flat)), weight, pool)
