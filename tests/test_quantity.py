"""The quantity a question asks for (a count of something, money, a share) and whether a sentence states it."""
from __future__ import annotations

import numpy as np
import pytest

from qa.quantity import Asked, asked_quantity, lift_stated, states


@pytest.mark.parametrize(("question", "asked"), [
    ("Hur många laddstolpar finns det i länet?", Asked("count", ("laddstolp",))),
    ("Hur många av länets kommuner är med?", Asked("count", ("kommun",))),  # "är": no second counted word
    ("Hur många andra regioner inför systemet?", Asked("count", ("andr", "region"))),
    ("Vad kostade det att delta i Almedalen?", Asked("money")),
    ("Hur mycket pengar fick Sorsele kommun?", Asked("money")),
    ("Hur många kronor gick till festivalerna?", Asked("money")),  # money before a count of "kronor"
    ("Hur stor andel av elen exporteras?", Asked("share")),
    ("Vem leder arbetet?", None),
    ("Hur många bor i Lycksele?", Asked("count")),  # counts people, named by no word
    ("Hur mycket har medfinansieringen minskat?", None),  # a share or an amount: not said
])
def test_the_asked_quantity(question: str, asked: Asked | None) -> None:
    assert asked_quantity(question) == asked


def test_a_count_is_a_number_right_before_the_counted_word() -> None:
    companies = Asked("count", ("företag",))
    assert states(companies, "Under året deltog 25 företag i satsningen.")
    assert states(companies, "Tre nya företag anslöt.")  # a number in words
    assert states(companies, "Totalt 12 små livsmedelsföretag fick stöd.")  # a compound of the counted word
    assert not states(companies, "Satsningen startade 2024 och har sedan dess nått många företag.")  # a year, far off
    assert not states(Asked("count", ("laddstolp",)), "Länet har 25 busshållplatser och 3 företag.")
    assert states(asked_quantity("Hur många andra regioner inför systemet?"), "Ytterligare fem regioner inför det.")


def test_a_count_of_people_is_a_number_of_people() -> None:
    people = asked_quantity("Hur många deltog i utbildningen?")
    assert states(people, "Utbildningen samlade 40 deltagare från hela länet.")
    assert states(people, "I Lycksele bor 8 000 personer.")
    assert not states(people, "Utbildningen hölls på 3 orter.")


def test_money_and_shares() -> None:
    assert states(Asked("money"), "Regionen betalade ut 52,3 mkr under 2024.")
    assert states(Asked("money"), "Budgeten var 2 miljoner kronor.")
    assert not states(Asked("money"), "Konferensen hölls 2024 med 300 deltagare.")
    assert states(Asked("share"), "Västerbotten exporterar idag ca 70% av den producerade elen.")
    assert states(Asked("share"), "Hälften av kommunerna deltog.")
    assert not states(Asked("share"), "Elen exporteras till 12 länder.")


def test_the_leading_passages_stating_the_asked_quantity_are_lifted() -> None:
    sentences = [["Elnätet byggs ut i inlandet."], ["Västerbotten exporterar idag ca 70% av den producerade elen."],
                 ["Produktionen var 12 TWh.", "Hälften går till industrin."], ["Andelen är 30 %."]]
    final = np.array([0.90, 0.89, 0.88, 0.70])
    share = asked_quantity("Hur stor andel av strömmen säljs vidare?")
    lifted = lift_stated(final, share, lambda i: sentences[i], weight=0.02, pool=3)
    assert list(lifted) == pytest.approx([0.90, 0.91, 0.90, 0.70])  # the fourth is outside the pool
    assert lift_stated(final, None, lambda i: sentences[i], weight=0.02, pool=3) is final  # nothing asked
