"""A PDF's text layer as placed runs of text, behind one small interface.

`base.py` says what a text layer gives (`TextRun`, `PageText`); each module
beside it is one library's way of reading it. `pdfium.py` (pypdfium2) is
the one ingest uses: measured with `python -m eval.extraction --libraries`,
see the README.
"""
from ingest.pdftext.base import PageText, TextLayer, TextRun
from ingest.pdftext.pdfium import PdfiumTextLayer

__all__ = ["PageText", "PdfiumTextLayer", "TextLayer", "TextRun"]
