"""The named-terms signal: what a question names, and whether one typed sentence states it."""
from __future__ import annotations

from qa.abstain import _ASKING
from qa.specific_terms import (
    Passage,
    mentions,
    named_in_report,
    named_in_typed_sentence,
    named_terms,
    specific_terms,
    stems,
)


def test_named_terms_are_names_acronyms_and_numbers_not_the_first_word() -> None:
    assert named_terms("Hur många bor i Vilhelmina 2019?", _ASKING) == ["vilhelmin", "2019"]
    assert named_terms("Vilka medel får ESF+ i Övre Norrland?", _ASKING) == ["esf", "övr", "norrland"]
    assert named_terms("Lycksele växer", _ASKING) == []  # a capital at the start says nothing
    assert named_terms("Hur många bor här, 280 000?", _ASKING) == ["280000"]  # one number, as in passages


def test_specific_terms_are_every_name_with_a_genitive_read_as_its_name() -> None:
    pool = ["Västerbotten växer."] * 30 + ["I Lycksele bor många.", "Umeå växer."]
    # The report's own subject counts too: "i Västerbotten" restricts the question as "i Lycksele" does.
    assert specific_terms("Hur många bor i Lycksele i Västerbotten?", _ASKING, pool) == ["lycksel", "västerbot"]
    # A genitive the stemmer keeps is read as the name the passages use.
    assert specific_terms("Hur många resor gör Umeås bussar?", _ASKING, pool) == ["umeå"]


def test_a_typed_sentence_must_state_the_names_itself() -> None:
    passages = [Passage(["Kommunerna som besöktes var Vilhelmina och Storuman.", "Länet har 280 000 invånare."],
                        "text", ("Befolkning",))]
    # Vilhelmina is named, and a number is given, but never in one sentence.
    assert named_in_typed_sentence(["vilhelmin"], "number", passages) == 0.0
    # Without a demanded type the naming sentence is enough.
    assert named_in_typed_sentence(["vilhelmin"], None, passages) == 1.0
    # Half the names in the number's sentence.
    assert named_in_typed_sentence(["vilhelmin", "invån"], "number", passages) == 0.5


def test_the_heading_path_names_what_its_sentences_are_about() -> None:
    passages = [Passage(["Totalt ska 216 km nät byggas."], "text", ("OSN hållbart bredband",))]
    assert named_in_typed_sentence(["osn"], "number", passages) == 1.0
    assert named_in_typed_sentence([], "number", []) == 1.0  # nothing named: nothing to miss


def test_mentions_count_compound_parts() -> None:
    assert mentions("turism", stems("Annika Sandström, Regionturismchef"))
    assert mentions("umeå", stems("Umeå kommun"))
    assert not mentions("tid", stems("tidningen"))


def test_named_in_report_is_the_share_of_names_any_candidate_passage_states() -> None:
    pool = ["Digitalisering och AI i kommunerna.", "Länet växer."]
    assert named_in_report(["ai"], pool) == 1.0
    assert named_in_report(["ai", "melodifestival"], pool) == 0.5
    assert named_in_report([], pool) == 1.0
