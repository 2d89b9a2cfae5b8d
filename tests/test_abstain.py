"""The abstention signals: coverage of the question's key words, answer type, similarity profile."""
from __future__ import annotations

import math

import numpy as np

from qa.abstain import Signals, answer_probability, coverage, is_english, key_words, signals
from qa.abstain_model import Model, Tree
from qa.question_prior import QuestionPrior
from qa.specific_terms import Passage

NO_PRIOR = QuestionPrior("none", (), 0.0, 0.0)


def test_key_words_drop_what_the_question_asks_with() -> None:
    assert key_words("Hur många invånare har Skellefteå kommun?") == ["invån", "skellefteå", "kommun"]


def test_coverage_counts_compound_parts_both_ways() -> None:
    assert coverage("Vem är kontaktperson för turismen?", "Kontaktperson: Annika Sandström, Regionturismchef") == 1.0
    assert coverage("Vem är regionkulturchef?", "Regionens kultur leds av Joakim Sandberg.") == 1.0
    # "Lycksele" is what the question is about; a sentence about the county does not cover it.
    assert coverage("Hur många bor i Lycksele?", "Länet har 280 000 invånare som bor här.") == 0.5


def test_english_questions_are_recognised() -> None:
    assert is_english("How many students are enrolled at Umeå University?")
    assert not is_english("Hur många studenter finns vid Umeå universitet?")


def test_signals_from_hits_and_scores() -> None:
    similarity = np.array([0.9, 0.8, 0.8, 0.8])
    lexical = np.array([np.e - 1, 0.0, 0.0, 0.0])
    # Lycksele and Storuman are each named in one passage of 32, never with the other's figure.
    pool = ["I Lycksele bor 8 000 personer.", "Storuman är en kommun."] + ["Länet växer."] * 30

    def ask(question: str, sentence: str):
        return signals(question, "number", [(sentence, "text")], [Passage([sentence], "text", ())], pool,
                       similarity, lexical, prior=1.5)

    found = ask("Hur många bor i Lycksele?", "I Lycksele bor 8 000 personer.")
    assert (found.top, round(found.margin, 3), round(found.lexical, 3)) == (0.9, 0.075, 1.0)
    assert (found.coverage, found.type_match, found.named, found.named_best) == (1.0, 1.0, 1.0, 1.0)
    assert found.prior == 1.5  # the question prior's log-odds, read as given
    untyped = ask("Hur många bor i Lycksele?", "Lycksele växer.")
    assert (untyped.type_match, untyped.named, untyped.named_best) == (0.0, 0.0, 0.0)
    # A number, but about the county: the name the question asks about is not stated with it.
    other = ask("Hur många bor i Storuman?", "I Lycksele bor 8 000 personer.")
    assert (other.named, other.named_best) == (0.0, 0.0)
    # Named in a later passage's sentence, not in the best passage's best one.
    spread = signals("Hur många bor i Storuman?", "number",
                     [("Länet har 280 000 invånare.", "text"), ("Storuman har 6 000 invånare.", "text")],
                     [Passage(["Länet har 280 000 invånare."], "text", ()),
                      Passage(["Storuman har 6 000 invånare."], "text", ())], pool, similarity, lexical, 0.0)
    assert (spread.named, spread.named_best) == (1.0, 0.0)
    # A contact entry leading a "whom to ask" question names its area, never the question's names: what
    # counts is whether the report states them at all.
    contact = "Kontaktperson: Anna Berg, Kommunchef, 070-123 45 67"
    who = signals("Vem leder arbetet i Storuman?", "contact", [(contact, "contact")],
                  [Passage([contact], "contact", ())], pool, similarity, lexical, 0.0)
    assert (who.named, who.named_best) == (1.0, 1.0)
    unknown = signals("Vem vann Melodifestivalen?", "contact", [(contact, "contact")],
                      [Passage([contact], "contact", ())], pool, similarity, lexical, 0.0)
    assert (unknown.named, unknown.named_best) == (0.0, 0.0)
    # A number, but not of what the question counts: 8 000 people are no answer to how many schools.
    assert found.quantity == 1.0  # "hur många bor": people, and a number is stated
    assert ask("Hur många skolor finns i Lycksele?", "I Lycksele bor 8 000 personer.").quantity == 0.0
    assert ask("Vem bor i Lycksele?", "I Lycksele bor 8 000 personer.").quantity == 1.0  # asks for none
    english = ask("How many live in Lycksele?", "Länet växer.")
    assert english.coverage == 1.0  # the Swedish sentence cannot cover English words: not held against it
    assert english.quantity == 1.0  # nor state an English counted word


def test_probability_is_the_logistic_of_the_boosted_trees() -> None:
    found = Signals(top=0.85, margin=0.03, lexical=2.0, coverage=0.5, type_match=1.0, named=0.5, named_best=0.0,
                    quantity=1.0, prior=0.0)
    assert answer_probability(found, Model(0.0, 0.1, (), NO_PRIOR)) == 0.5
    # Coverage (signal 3) at most 0.4 goes left to -2; else named (signal 5) at most 0.6 decides: 1 or 3.
    two_levels = Tree(feature=(3, -2, 5, -2, -2), threshold=(0.4, -2.0, 0.6, -2.0, -2.0), left=(1, -1, 3, -1, -1),
                      right=(2, -1, 4, -1, -1), value=(0.0, -2.0, 0.0, 1.0, 3.0))
    stump = Tree(feature=(0, -2, -2), threshold=(0.8, -2.0, -2.0), left=(1, -1, -1), right=(2, -1, -1),
                 value=(0.0, -1.0, 2.0))
    # z = -1 + 0.5 · (1 (coverage 0.5 > 0.4, named 0.5 ≤ 0.6) + 2 (top 0.85 > 0.8)) = 0.5
    model = Model(base=-1.0, rate=0.5, trees=(two_levels, stump), prior=NO_PRIOR)
    assert abs(answer_probability(found, model) - 1 / (1 + math.exp(-0.5))) < 1e-12
    assert 0.0 < answer_probability(found) < 1.0  # the model fitted on tune (qa/abstain_model.json)
