"""Tables of figures found on a page, read back as one sentence per row.

Budget and result tables are where a report's numbers are. Read line by
line, their cells run together and the totals look like headings; read as
rows, each row can be found by a question about it:
`Ny inredning, biblioteket (6014) — Total projektbudget 4,827; Ack. Utfall 4,812; …`.

A table is found from geometry alone: at least two rows whose figures stand
in the same columns (right edges aligned, the way figures are set). The
header of a column is the text right above its figures; a row's label is
the text left of its figures, with the lines wrapped below it.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.pdftext import TextRun

_FIGURE = re.compile(r"[-−–+]?\s?\(?[\d\s]*\d[\d\s]*(?:[.,]\d+)?\)?\s?(?:%|kr|tkr|mnkr|st)?|[-–—]")
_YEAR = re.compile(r"(?:19|20)\d\d")
# A table of figures has at least one figure of this many digits; a column
# of 1s and 2s (an annex number, a footnote mark) does not make a table.
_MIN_FIGURE_DIGITS = 2
_LABEL_LETTERS = 3  # a run with this many letters is a row's label, not a code
_ROW_TOLERANCE = 0.35  # font sizes: runs whose baselines differ less share a row
_COLUMN_TOLERANCE = 4.0  # points: right edges of one column's figures
_MIN_DATA_ROWS = 2
_MAX_ROW_GAP = 4.0  # font sizes between two rows of one table
_HEADER_GAP = 2.0  # font sizes: a wider gap above ends the header
_CONTINUATION_GAP = 1.6  # font sizes: a label's wrapped line sits this close below


@dataclass(frozen=True)
class Table:
    """A found table: its rows as sentences and the runs it was read from."""

    rows: tuple[str, ...]
    runs: frozenset[int]  # indexes (into the runs given) of every run the table was read from


def is_figure(text: str) -> bool:
    """Whether a cell holds a figure (number, amount, share, or a dash for none)."""
    return bool(_FIGURE.fullmatch(text.strip()))


def find_tables(runs: Sequence[TextRun]) -> list[Table]:
    """The page's tables of figures, top to bottom."""
    rows = _rows(runs)
    tables: list[Table] = []
    start = 0
    while start < len(rows):
        table = _table_from(rows, start, runs)
        if table is None:
            start += 1
            continue
        found, end = table
        tables.append(found)
        start = end
    return tables


@dataclass(frozen=True)
class _Row:
    ids: tuple[int, ...]  # run indexes, left to right
    baseline: float
    size: float


def _rows(runs: Sequence[TextRun]) -> list[_Row]:
    rows: list[list[int]] = []
    for index in sorted(range(len(runs)), key=lambda i: (runs[i].baseline, runs[i].x0)):
        run = runs[index]
        if rows and abs(runs[rows[-1][0]].baseline - run.baseline) <= _ROW_TOLERANCE * run.size:
            rows[-1].append(index)
        else:
            rows.append([index])
    return [
        _Row(tuple(sorted(ids, key=lambda i: runs[i].x0)), runs[ids[0]].baseline, max(runs[i].size for i in ids))
        for ids in rows
    ]


def _figures(row: _Row, runs: Sequence[TextRun]) -> list[int]:
    """The row's figures: numbers right of its label. Numbers before the label
    (a priority, a project number: `1  P  6289  Utrustning`) belong to the label."""
    label = next((k for k, i in enumerate(row.ids) if sum(c.isalpha() for c in runs[i].text) >= _LABEL_LETTERS), -1)
    return [i for i in row.ids[label + 1:] if is_figure(runs[i].text) and any(c.isdigit() for c in runs[i].text)]


def _is_data_row(row: _Row, runs: Sequence[TextRun]) -> bool:
    """A row with figures beside its label; a row of years only is a header (`2024  2025`)."""
    figures = _figures(row, runs)
    if not figures or all(_YEAR.fullmatch(runs[i].text.strip()) for i in figures):
        return False
    return len(row.ids) >= 2 and (len(figures) >= 2 or figures[0] != row.ids[0])


class _Columns:
    """The figure columns found so far, each as the horizontal span of its figures
    (figures may be set flush right or flush left, so spans, not edges, match)."""

    def __init__(self) -> None:
        self.spans: list[list[float]] = []

    def add(self, run: TextRun) -> None:
        k = self.index(run)
        if k is None:
            self.spans.append([run.x0, run.x1])
            self.spans.sort()
        else:
            self.spans[k] = [min(self.spans[k][0], run.x0), max(self.spans[k][1], run.x1)]

    def index(self, run: TextRun) -> int | None:
        """The column the run overlaps most, if any."""
        overlaps = [min(x1, run.x1) - max(x0, run.x0) + _COLUMN_TOLERANCE for x0, x1 in self.spans]
        best = max(range(len(overlaps)), key=overlaps.__getitem__, default=None)
        return best if best is not None and overlaps[best] > 0 else None

    @property
    def left(self) -> float:
        return self.spans[0][0]


def _table_from(rows: Sequence[_Row], start: int, runs: Sequence[TextRun]) -> tuple[Table, int] | None:
    """The table whose first data row is rows[start], and the row index after it."""
    if not _is_data_row(rows[start], runs):
        return None
    columns = _Columns()
    for i in _figures(rows[start], runs):
        columns.add(runs[i])
    data = [start]
    end = start + 1
    while end < len(rows) and rows[end].baseline - rows[end - 1].baseline <= _MAX_ROW_GAP * rows[end].size:
        row = rows[end]
        if _is_data_row(row, runs):
            figures = _figures(row, runs)
            if all(columns.index(runs[i]) is None for i in figures):
                break
            for i in figures:
                columns.add(runs[i])
            data.append(end)
        elif any(runs[i].x1 > columns.left + _COLUMN_TOLERANCE for i in row.ids):
            break  # text reaching into the figure columns: the table is over
        end += 1
    figures = [runs[i].text for k in data for i in _figures(rows[k], runs)]
    if len(data) < _MIN_DATA_ROWS or max(sum(c.isdigit() for c in f) for f in figures) < _MIN_FIGURE_DIGITS:
        return None
    end = data[-1] + 1
    while end < len(rows) and _continues_label(rows[end - 1], rows[end], runs, columns):
        end += 1
    header_start = _header_start(rows, start, runs, columns)
    body_start = start  # group labels right above the first row ("Pågående projekt") are rows
    while body_start > header_start and _left_of(rows[body_start - 1], runs, columns):
        body_start -= 1
    headers = _headers(rows[header_start:body_start], runs, columns)
    sentences = _sentences(rows[body_start:end], runs, columns, headers)
    used = frozenset(i for row in rows[header_start:end] for i in row.ids)
    return Table(tuple(sentences), used), end


def _continues_label(above: _Row, row: _Row, runs: Sequence[TextRun], columns: _Columns) -> bool:
    return (
        not _is_data_row(row, runs)
        and row.baseline - above.baseline <= _CONTINUATION_GAP * row.size
        and all(runs[i].x1 <= columns.left - _COLUMN_TOLERANCE for i in row.ids)
    )


def _header_start(rows: Sequence[_Row], start: int, runs: Sequence[TextRun], columns: _Columns) -> int:
    """The first row of the header over the table: the rows just above its figures."""
    first = start
    while first > 0:
        above, below = rows[first - 1], rows[first]
        if below.baseline - above.baseline > _HEADER_GAP * below.size or _is_data_row(above, runs):
            break
        if not _left_of(above, runs, columns) and all(columns.index(runs[i]) is None for i in above.ids):
            break
        first -= 1
    return first


def _left_of(row: _Row, runs: Sequence[TextRun], columns: _Columns) -> bool:
    """Whether the row stands wholly in the label column, left of every figure."""
    return all(runs[i].x1 <= columns.left - _COLUMN_TOLERANCE * 8 for i in row.ids)


def _headers(rows: Sequence[_Row], runs: Sequence[TextRun], columns: _Columns) -> list[str]:
    headers = [""] * len(columns.spans)
    for row in rows:
        for i in row.ids:
            for part in _header_parts(runs[i], columns):
                column = columns.index(part)
                if column is not None:
                    headers[column] = _join(headers[column], part.text)
    return headers


def _header_parts(run: TextRun, columns: _Columns) -> list[TextRun]:
    """The run, or its words when it stands over several columns.

    Cells of a header row set close together come as one run
    (`Avvikelse Budget 2025 Utfall`); each word is placed where its share of
    the run's characters puts it, which is near enough to find its column.
    """
    covered = [x0 < run.x1 and run.x0 < x1 for x0, x1 in columns.spans]
    if sum(covered) < 2:
        return [run]
    width = (run.x1 - run.x0) / max(1, len(run.text))
    parts, offset = [], 0
    for word in run.text.split():
        start = run.text.index(word, offset)
        offset = start + len(word)
        parts.append(replace(run, text=word, x0=run.x0 + start * width, x1=run.x0 + offset * width))
    return parts


def _join(left: str, right: str) -> str:
    if not left:
        return right
    return left[:-1] + right if left.endswith("-") and right[:1].islower() else f"{left} {right}"


def _sentences(rows: Sequence[_Row], runs: Sequence[TextRun], columns: _Columns,
               headers: Sequence[str]) -> list[str]:
    """One sentence per data row; label lines without figures stand as their own line."""
    sentences: list[str] = []
    label_open = False  # the last sentence's label may go on in the next line
    previous: _Row | None = None
    for row in rows:
        figures = set(_figures(row, runs)) if _is_data_row(row, runs) else set()
        label = " ".join(runs[i].text for i in row.ids if i not in figures)
        wrapped = previous is not None and row.baseline - previous.baseline <= _CONTINUATION_GAP * row.size
        previous = row
        if not figures:
            if label_open and wrapped:
                head, sep, tail = sentences[-1].partition(" — ")
                sentences[-1] = f"{_join(head, label)}{sep}{tail}"
            else:
                sentences.append(label)
                label_open = False
            continue
        cells = []
        for i in sorted(figures, key=lambda i: runs[i].x1):
            k = columns.index(runs[i])
            cells.append(f"{headers[k] if k is not None else ''} {runs[i].text}".strip())
        sentences.append(f"{label} — {'; '.join(cells)}" if label else "; ".join(cells))
        label_open = True
    return sentences
