"""Expected answer type from the question (Swedish and English) and whether a sentence holds it."""
from __future__ import annotations

import numpy as np
import pytest

from qa.answer_type import expected_type, holds_type, lift_typed, route_to_kind


@pytest.mark.parametrize(("question", "kind"), [
    ("Vem är kontaktperson för turismen?", "contact"),
    ("Who should I contact about company financing?", "contact"),
    ("Vilken mejladress har chefen för folkhälsoenheten?", "contact"),
    ("Vem kan berätta mer om nattågen?", "contact"),
    ("Vem på regionen håller i frågor om turism?", "contact"),
    ("Who can tell me about the film fund?", "contact"),
    # Who did something, in the text: a person, not whom to call.
    ("Vem driver projektet Rättigheterna är våra!?", "person"),
    ("Who is the lead partner of Deep Tech Valleys?", "person"),
    ("Which minister is responsible for culture?", None),
    ("Hur många invånare har Västerbotten?", "number"),
    ("How much money went to broadband?", "number"),
    ("Hur stor andel av eleverna gick vidare?", "number"),
    ("När öppnar Norrbotniabanan?", "date"),
    ("In which year will the railway open?", "date"),
    ("Vi ska resa norrut – när går nattåget?", "date"),  # "när" opening a clause asks when
    ("Vad menar regionen när den pratar om pentahelix?", None),  # "när" inside a clause joins two
    ("Vilken sifferbok byggde regionen på när den tog fram sin plan?", None),
    ("Since when has the region kept an office in Brussels?", "date"),
    ("I vilken kommun ligger Guldmolnet?", "place"),
    ("Where is the Arctic Business Incubator located?", "place"),
    ("På vilken sida börjar kapitlet om kompetens?", "page"),
    ("Var i rapporten står det om bredband?", "page"),
    ("Which chapter covers public health?", "page"),
    ("Var börjar avsnittet om samverkan i kulturkapitlet?", "page"),
    ("Var står det om bredband, när det gäller landsbygden?", "page"),  # where in the text, not when
    ("Where does the chapter on transport start?", "page"),
    ("Var nämns tandvården för unga?", "page"),  # where in the text: before "how many" or "when"
    ("Where does the report say how many films had a woman director?", "page"),
    ("Where is the euro rate for EU budgets mentioned?", "page"),
    ("Where can I read about what the train company has done?", "page"),  # as "var kan jag läsa"
    # A where-question about a part of the report, not a place in the county.
    ("Var finns exemplen på projekt i länet inom kultur?", "page"),
    ("Var i företagskapitlet tas jämställdheten upp?", "page"),
    ("Var startar delen om kollektivtrafik?", "page"),
    ("Where in the transport chapter are the partners listed?", "page"),
    ("Var finns laddstolparna för elbilar?", "place"),  # no part of the report named
    ("Sida för jämställdheten i näringslivskapitlet?", "page"),  # a page asked for tersely
    ("Exemplen i kulturkapitlet, sidan?", "page"),
    ("Hur många sidor är kapitlet om hälsa?", "page"),
    ("Hur långt är kapitlet om energi?", "page"),
    ("Which pages does the transport chapter cover?", "page"),
    ("turism besöksnäring sidnummer", "page"),  # keywords ending in a page word
    ("tandvård unga kapitel startsida", "page"),
    ("Nattågen – vilken del av rapporten?", "page"),
    ("I vilken del av rapporten står det om nattågen?", "page"),
    ("Which part of the report covers the night trains?", "page"),
    ("Vad kommer direkt efter förordet?", "page"),
    ("När i hälsokapitlet kommer samverkan?", "page"),
    ("Which part mentions the ore railway?", "page"),
    ("What comes right after the overview?", "page"),
    ("I vilken del av länet bor flest unga?", "place"),  # a part of the county, not of the report
    ("Vilken del av regionen har tagit fram dokumentet?", None),  # who, by their part of the organisation
    ("Vad hände direkt efter pandemin?", None),  # after an event, not after a part
    ("Vad gör regionen från sin sida för turismen?", None),  # "sida" as a side, not a page
    ("Vad gör regionen på båda sidor om Kvarken?", None),  # "sidor" as sides
    ("Who leads the EU project on arts on prescription?", "person"),  # someone the text names
    ("Vem driver nätverket för bredbandssamordning?", "person"),
    ("Vem leder arbetet med folkhälsa?", "contact"),  # an area of the region's work: whom to ask
    ("Vart vänder jag mig för att söka projektpengar?", "contact"),
    ("Which official heads the transport authority?", "contact"),
    ("Var ligger Guldmolnet?", "place"),
    ("Vad är Guldmolnet?", None),
    ("Varför satsar regionen på besöksnäringen?", None),
])
def test_expected_type(question: str, kind: str | None) -> None:
    assert expected_type(question) == kind


def test_holds_type_reads_the_sentence_and_the_passage_kind() -> None:
    assert holds_type("number", "Befolkningen passerade 280 000 invånare.")
    assert not holds_type("number", "Befolkningen växer i hela länet.")
    assert holds_type("date", "Banan ska stå klar hösten 2030.")
    assert holds_type("place", "Konferensen hölls i Lycksele.")
    assert holds_type("person", "Patrik Sällström, regional utvecklingsdirektör, skriver förordet.")
    assert not holds_type("person", "Regionen leder arbetet med turism.")
    assert holds_type("person", "Annika Sandström, Regionturismchef", passage_kind="contact")
    assert holds_type("page", "Kapitlet «Kompetens» börjar på s. 96.")
    assert holds_type("page", "Omvärldsanalys", passage_kind="toc")
    assert not holds_type(None, "Befolkningen passerade 280 000 invånare.")


def test_lift_reorders_only_the_leading_pool() -> None:
    final = np.array([0.90, 0.89, 0.88, 0.50])
    sentences = {0: ("Regionen arbetar med turism.", "text"), 1: ("Annika Sandström", "contact"),
                 2: ("Mer om turism.", "text"), 3: ("Nils Enwald", "contact")}
    lifted = lift_typed(final, "person", sentences.__getitem__, weight=0.02, pool=3)
    assert list(np.argsort(-lifted)) == [1, 0, 2, 3]  # the contact far down stays down
    assert lift_typed(final, None, sentences.__getitem__, 0.02, 3) is final


def test_route_lifts_the_best_passages_whose_kind_answers_the_type_wherever_they_stand() -> None:
    final = np.array([0.90, 0.89, 0.50, 0.40, 0.30])
    kinds = np.array(["text", "toc", "contact", "contact", "contact"])
    # The two best contact entries, however far down, and no other.
    assert list(route_to_kind(final, "contact", kinds, 0.45, depth=2)) == pytest.approx([0.90, 0.89, 0.95, 0.85, 0.30])
    assert list(route_to_kind(final, "page", kinds, 0.1, depth=2)) == pytest.approx([0.90, 0.99, 0.50, 0.40, 0.30])
    # A type no passage kind answers, no type, no weight or no depth: the scores as they were.
    assert route_to_kind(final, "number", kinds, 0.1, 2) is final
    assert route_to_kind(final, None, kinds, 0.1, 2) is final
    assert route_to_kind(final, "contact", kinds, 0.0, 2) is final
    assert route_to_kind(final, "contact", kinds, 0.1, 0) is final
    assert route_to_kind(final, "person", kinds, 0.1, 2) is final  # a person named in the text: no contact list


def test_getting_in_touch_is_not_asking_for_a_person() -> None:
    assert expected_type("Hur hjälper regionen företag att komma i kontakt med kommunerna?") is None
    assert expected_type("Vilka kontaktuppgifter finns till kulturchefen?") == "contact"
