"""Loading files: reader dispatch, identity, and one refusal per kind of bad input."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ingest import IngestError, ingest_file, load_document
from tests.ingest_pdf_factory import Text, body, make_pdf, sample_report

MARKDOWN = (
    "# Årsrapport 2031\n\nInledning.\n\n"
    "## Omvärld\n\nText om omvärlden.\n\n"
    "## Samverkan\n\nText om samverkan.\n"
)


@pytest.fixture
def markdown_file(tmp_path: Path) -> Path:
    path = tmp_path / "rapport.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    return path


def test_load_document_fills_in_identity(markdown_file: Path) -> None:
    doc = load_document(markdown_file)
    assert doc.title == "Årsrapport 2031"
    assert doc.report_id == "2031"
    assert doc.sha256 == hashlib.sha256(markdown_file.read_bytes()).hexdigest()
    assert doc.source_path == str(markdown_file)
    assert doc.page_count == 0
    assert doc.headings == (("Årsrapport 2031",), ("Årsrapport 2031", "Omvärld"), ("Årsrapport 2031", "Samverkan"))


def test_given_title_and_id_win(markdown_file: Path) -> None:
    doc = load_document(markdown_file, report_id="vb-2031", title="Annan titel")
    assert (doc.report_id, doc.title) == ("vb-2031", "Annan titel")


def test_report_id_without_a_year_is_a_slug_of_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "Årsrapport Umeå kommun.txt"
    path.write_text("# Rapport om länet\n\nText.\n", encoding="utf-8")
    assert load_document(path).report_id == "arsrapport-umea-kommun"


def test_pdf_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "rapport.txt"
    path.write_bytes(make_pdf(sample_report(), title="Testrapport 2030"))
    doc = load_document(path)
    assert (doc.title, doc.report_id, doc.page_count) == ("Testrapport 2030", "2030", 5)


def test_cp1252_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gammal.txt"
    path.write_bytes("# Västerbotten 2019\n\nÅr för år växer länet.\n".encode("cp1252"))
    assert load_document(path).blocks[0].text == "År för år växer länet."


def test_ingest_file_returns_the_document_and_its_chunks(markdown_file: Path) -> None:
    doc, chunks = ingest_file(markdown_file, max_tokens=50, overlap=10)
    assert [chunk.text for chunk in chunks] == [block.text for block in doc.blocks]
    assert [chunk.section for chunk in chunks] == list(doc.headings)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tom.pdf", b"", "är tom"),
        ("tom.txt", b"  \n\n", "är tom"),
        ("inte.pdf", b"PK\x03\x04 zip archive", "ingen PDF-fil"),
        ("trasig.pdf", make_pdf(sample_report())[:900], "skadad"),
        ("krypterad.pdf", make_pdf(sample_report(), password="hemligt"), "krypterad"),
        ("inskannad.pdf", make_pdf([[], []]), "ingen text"),
        ("rubriklos.pdf", make_pdf([body(700, "Bara brödtext.")] * 3), "Inga rubriker"),
        ("rubriklos.txt", "Bara en mening. Och en till.\n".encode(), "Inga rubriker"),
        ("rapport.docx", b"PK\x03\x04 word", "stöds inte"),
        ("binar.txt", b"\x00\x01\x02 data", "inte en textfil"),
    ],
)
def test_bad_input_is_refused_with_a_swedish_message(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message) as caught:
        load_document(write(tmp_path, name, data))
    assert caught.value.message == str(caught.value)
    assert ":" in caught.value.message  # what is wrong: what to do


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="finns inte"):
        load_document(tmp_path / "saknas.pdf")


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="mapp"):
        load_document(tmp_path)


def test_pdf_header_may_follow_some_junk(tmp_path: Path) -> None:
    data = b"\r\n" + make_pdf([[Text(720, 18, "Kapitel", "bold"), *body(690, "Text.")]] * 2)
    assert load_document(write(tmp_path, "skräp.pdf", data)).blocks
