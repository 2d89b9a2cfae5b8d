"""Token-aware chunking: sizes, section boundaries, overlap, pages, ids."""
from __future__ import annotations

import pytest

from ingest.chunk import chunk_document, count_tokens, split_sentences
from ingest.model import Block, Document

CHAPTER = ("Kapitel", "Avsnitt")


def document(*blocks: Block, report_id: str = "2030") -> Document:
    return Document(report_id, "Testrapport", "test.txt", "0" * 64, 0, tuple(blocks))


def sentences(n: int, start: int = 0) -> str:
    return " ".join(f"Mening nummer {i} handlar om regional utveckling i länet." for i in range(start, start + n))


def test_chunks_never_exceed_max_tokens_and_lose_no_text() -> None:
    text = sentences(40)
    chunks = chunk_document(document(Block(text, (), CHAPTER)), max_tokens=60, overlap=0)
    assert len(chunks) > 1
    assert all(chunk.n_tokens == count_tokens(chunk.text) <= 60 for chunk in chunks)
    assert " ".join(chunk.text for chunk in chunks) == text


def test_ids_count_through_the_document() -> None:
    chunks = chunk_document(document(Block(sentences(20), (), CHAPTER), report_id="rapport"), 50, 0)
    assert [chunk.id for chunk in chunks] == [f"rapport:{n:04d}" for n in range(len(chunks))]
    assert {chunk.report for chunk in chunks} == {"rapport"}


def test_a_chunk_never_spans_two_section_paths() -> None:
    blocks = [Block("Kort text ett.", (1,), ("A", "x")), Block("Kort text två.", (1,), ("A", "y")),
              Block("Kort text tre.", (2,), ("B", "y"))]
    chunks = chunk_document(document(*blocks), 200, 40)
    assert [(chunk.text, chunk.section, chunk.pages) for chunk in chunks] == [
        ("Kort text ett.", ("A", "x"), (1,)),
        ("Kort text två.", ("A", "y"), (1,)),
        ("Kort text tre.", ("B", "y"), (2,)),
    ]


def test_paragraphs_of_one_section_share_a_chunk_when_they_fit() -> None:
    blocks = [Block("Första stycket.", (), CHAPTER), Block("Andra stycket.", (), CHAPTER)]
    (chunk,) = chunk_document(document(*blocks), 200, 40)
    assert chunk.text == "Första stycket.\n\nAndra stycket."


def test_chunks_prefer_to_end_at_a_paragraph_end() -> None:
    paragraphs = [sentences(4, start=4 * i) for i in range(3)]
    size = count_tokens(paragraphs[0])
    chunks = chunk_document(document(*(Block(p, (), CHAPTER) for p in paragraphs)), int(size * 1.6), 0)
    assert [chunk.text for chunk in chunks] == paragraphs


def test_overlap_repeats_the_last_sentences_within_a_section_only() -> None:
    blocks = [Block(sentences(30), (), ("A",)), Block(sentences(30, start=100), (), ("B",))]
    chunks = chunk_document(document(*blocks), 80, 30)
    for previous, chunk in zip(chunks, chunks[1:]):
        repeated = []
        for sentence in split_sentences(chunk.text):
            if sentence not in previous.text:
                break
            repeated.append(sentence)
        if chunk.section == previous.section:
            assert previous.text.endswith(" ".join(repeated))
            assert 0 < count_tokens(" ".join(repeated)) <= 30 * 1.5
        else:
            assert repeated == []


def test_pages_follow_the_sentences_in_the_chunk() -> None:
    text = "Första sidans mening. " + sentences(10) + " Sista meningen på nästa sida."
    block = Block(text, (4, 5), CHAPTER, (0, text.index("Sista")))
    chunks = chunk_document(document(block), 40, 0)
    assert len(chunks) > 2
    for chunk in chunks:
        assert chunk.pages == ((4, 5) if "Sista" in chunk.text else (4,))
    assert chunks[-1].page == 4


def test_an_over_long_sentence_is_cut_between_words() -> None:
    sentence = " ".join(["regionalutveckling"] * 200) + "."
    chunks = chunk_document(document(Block(sentence, (3,), CHAPTER)), 50, 10)
    assert len(chunks) > 1
    assert all(chunk.n_tokens <= 50 and chunk.pages == (3,) for chunk in chunks)
    assert " ".join(chunk.text for chunk in chunks) == sentence


def test_a_giant_word_is_cut_too() -> None:
    word = "https://example.org/" + "abcdefghij" * 100
    chunks = chunk_document(document(Block(word, (), CHAPTER)), 20, 5)
    assert all(chunk.n_tokens <= 20 for chunk in chunks)
    assert "".join(chunk.text for chunk in chunks) == word


@pytest.mark.parametrize(("max_tokens", "overlap"), [(0, 0), (50, 50), (50, -1)])
def test_impossible_sizes_are_refused(max_tokens: int, overlap: int) -> None:
    with pytest.raises(ValueError):
        chunk_document(document(Block("Text.", (), CHAPTER)), max_tokens, overlap)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Första meningen. Andra meningen!", ["Första meningen.", "Andra meningen!"]),
        ("Det gäller bl.a. Region Västerbotten. Nästa.", ["Det gäller bl.a. Region Västerbotten.", "Nästa."]),
        ("Enligt A. Svensson gick det bra. Sedan?", ["Enligt A. Svensson gick det bra.", "Sedan?"]),
        ('Han sa "stopp." Sedan gick han.', ['Han sa "stopp."', "Sedan gick han."]),
        ("Målet år 2030. 280 000 invånare bor här.", ["Målet år 2030.", "280 000 invånare bor här."]),
        ("Version 2.0 släpps i maj.", ["Version 2.0 släpps i maj."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
