"""The extraction metric itself: it must see glued words and leaked page headers."""
from __future__ import annotations

from eval.extraction import leaked_running_lines, reference_words, words

PAGES = [
    f"Rapport om arter\nKapitel {n}\nStora björkar och lind-\nar har värde för hack-\nspettar.\n"
    f"Här står text {n} om sidan.\nOch mer {n} till.\nSida {n} av 9\n"
    for n in range(1, 6)
]


def test_words_compare_without_outer_punctuation_or_case() -> None:
    assert words("Arter, (fridlysta) EU-kommissionen.") == ["arter", "fridlysta", "eu-kommissionen"]


def test_a_word_cut_at_a_line_end_is_known_whole_and_hyphenated() -> None:
    known = reference_words(PAGES)
    assert {"lindar", "lind-ar", "hackspettar", "björkar"} <= known
    assert "björkaroch" not in known


def test_a_header_run_into_a_sentence_is_a_leak_and_the_body_saying_it_is_not() -> None:
    clean = ["Stora björkar och lindar har värde för hackspettar."] * 5
    assert leaked_running_lines(PAGES, clean) == 0
    leaked = ["Stora björkar och Rapport om arter lindar har värde för hackspettar."] + clean[1:]
    assert leaked_running_lines(PAGES, leaked) == 1
