"""Tables of figures read as one sentence per row, with the column headers repeated."""
from __future__ import annotations

from ingest.pdftext import TextRun
from ingest.tables import find_tables, is_figure


def run(text: str, x0: float, x1: float, baseline: float, size: float = 10, bold: bool = False) -> TextRun:
    return TextRun(text, x0, baseline - size, x1, baseline + 2, baseline, size, bold)


def budget_table() -> list[TextRun]:
    return [
        run("Investeringar i detalj", 70, 250, 100, 13, True),
        run("Projekt", 70, 120, 130, bold=True),
        run("Budget", 300, 330, 130, bold=True), run("Utfall", 370, 400, 130, bold=True),
        run("Avvikelse", 430, 480, 130, bold=True),
        run("Ny inredning, biblioteket", 70, 190, 150), run("4,827", 305, 330, 150),
        run("4,812", 375, 400, 150), run("0,015", 455, 480, 150),
        run("(6014)", 70, 100, 162),
        run("Ombyggnad Garvaren (6013)", 70, 200, 180), run("2,575", 305, 330, 180),
        run("2,340", 375, 400, 180), run("0,235", 455, 480, 180),
        run("Summa", 70, 110, 200, bold=True), run("7,402", 305, 330, 200, bold=True),
        run("7,152", 375, 400, 200, bold=True), run("0,250", 455, 480, 200, bold=True),
        run("Texten efter tabellen går över hela sidans bredd och är ingen tabell.", 70, 520, 240),
    ]


def test_rows_carry_their_label_and_the_column_headers() -> None:
    (table,) = find_tables(budget_table())
    assert table.rows == (
        "Ny inredning, biblioteket (6014) — Budget 4,827; Utfall 4,812; Avvikelse 0,015",
        "Ombyggnad Garvaren (6013) — Budget 2,575; Utfall 2,340; Avvikelse 0,235",
        "Summa — Budget 7,402; Utfall 7,152; Avvikelse 0,250",
    )


def test_the_table_takes_its_header_and_rows_but_not_the_text_around_it() -> None:
    runs = budget_table()
    (table,) = find_tables(runs)
    taken = {runs[i].text for i in table.runs}
    assert {"Projekt", "Budget", "(6014)", "0,250"} <= taken
    assert not {"Investeringar i detalj", "Texten efter tabellen går över hela sidans bredd och är ingen tabell."} & taken


def test_prose_and_a_single_row_are_no_table() -> None:
    prose = [run(f"Rad {n} med vanlig text i ett stycke som fortsätter.", 70, 520, 100 + 14 * n) for n in range(5)]
    assert find_tables(prose) == []
    assert find_tables(budget_table()[:9]) == []


def test_figures() -> None:
    assert all(map(is_figure, ["4,827", "-0,092", "22 000", "12 %", "(350)", "–"]))
    assert not any(map(is_figure, ["Budget", "6014 Konst", "2,5 mnkr totalt"]))


def test_a_header_run_over_several_columns_gives_each_column_its_word() -> None:
    runs = budget_table()
    runs[2:5] = [run("Budget Utfall Avvikelse", 300, 480, 130, bold=True)]
    (table,) = find_tables(runs)
    assert table.rows[0] == "Ny inredning, biblioteket (6014) — Budget 4,827; Utfall 4,812; Avvikelse 0,015"
