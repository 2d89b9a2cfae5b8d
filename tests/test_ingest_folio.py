"""Printed page numbers in the forms real reports print them, trusted only when pages agree."""
from __future__ import annotations

import pytest

from ingest.folio import Folio, choose_folios, find_folio, strip_folio


@pytest.mark.parametrize(("text", "expected"), [
    ("Sida 4 av 42", (4, True)),
    ("SID 12 (36 )", (12, True)),
    ("Sid 4", (4, True)),
    ("2025 ÅRSBOKSLUT 2026-02-01.DOCX SID 20 (36)", (20, True)),
    ("4 (14)", (4, False)),
    ("- 4 -", (4, False)),
    ("12", (12, False)),
    ("Resultat 2024", None),
    ("0,015", None),
])
def test_folio_forms(text: str, expected: tuple[int, bool] | None) -> None:
    assert find_folio(text) == expected


def test_the_folio_is_cut_off_a_footer_line() -> None:
    assert strip_folio("RAPPORT.DOCX SID 3 (9)") == "RAPPORT.DOCX"
    assert strip_folio("7") == ""


def test_a_number_is_a_folio_only_when_other_pages_agree() -> None:
    pages = [
        [Folio(2030, 0, False)],  # a year on the cover
        [Folio(1, 0, True)],
        [Folio(2, 0, True), Folio(45, 1, False)],  # a figure in the margin beside the folio
        [],  # nothing printed
        [Folio(4, 0, True)],
    ]
    assert [folio.number if folio else None for folio in choose_folios(pages)] == [None, 1, 2, None, 4]


def test_numbering_that_restarts_in_an_annex_is_kept() -> None:
    pages = [[Folio(n, 0, False)] for n in (1, 2, 3, 1, 2)]
    assert [folio.number for folio in choose_folios(pages)] == [1, 2, 3, 1, 2]
