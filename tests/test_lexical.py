"""Swedish analysis and the BM25 index built on it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.lexical import LexicalIndex, query_terms
from index.swedish import Analyzer, words

REPORT = Path(__file__).resolve().parent.parent / "data" / "resultat-vasterbotten-2024.txt"

# Enough text for "split" to learn the words that compounds are made of.
CORPUS = [
    "Kommunerna i länet samarbetar om bostäder och småhus.",
    "Projektet Ökat småhusbyggande stödjer kommunernas planering.",
    "Vården och vårdcentralen i glesbygden behöver mer personal.",
    "Kompetensförsörjning är en utmaning för arbetsgivare.",
    "Länet saknar kompetens och försörjning av arbetskraft är svår.",
    "Befolkningen passerade 280 000 invånare under året.",
    "Kollektivtrafiken och nattågstrafiken till Göteborg.",
    "Trafik, central planering och en ny central för trafik.",
    "Byggandet av tåg som går på natten.",
]
COMPOUNDS = "split"  # for the tests that need no particular method


def analyzer(compounds: str) -> Analyzer:
    return Analyzer.fit(CORPUS, compounds)


def test_stemming_merges_inflections() -> None:
    a = analyzer("none")
    assert a.analyze("kommunerna") == a.analyze("kommun") == a.analyze("kommuner")
    assert a.analyze("vårdcentralen") == a.analyze("vårdcentraler")


def test_stop_words_go_but_negations_and_numbers_stay() -> None:
    assert words("Hur många bor i Västerbotten och vad är det?") == ["många", "bor", "västerbotten"]
    assert words("inte utan ingen") == ["inte", "utan", "ingen"]
    assert words("RUS 2020–2030, 3,5 procent, E4") == ["rus", "2020", "2030", "3,5", "procent", "e4"]


def test_number_groups_are_joined() -> None:
    assert words("passerade 280 000 invånare") == ["passerade", "280000", "invånare"]
    assert words("1\u00a0250\u00a0000 kronor") == ["1250000", "kronor"]
    assert words("år 2024 100 företag") == ["år", "2024", "100", "företag"]
    assert "280000" in analyzer("split").analyze("280 000")


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("småhus", "småhusbyggande"),
        ("vård", "vårdcentral"),
        ("kompetens", "kompetensförsörjning"),
        ("försörjning", "kompetensförsörjning"),
        ("kompetensförsörjningen", "kompetens"),
        ("trafik", "nattågstrafiken"),
    ],
)
@pytest.mark.parametrize("compounds", ["ngrams", "split"])
def test_compound_part_matches_compound(compounds: str, query: str, text: str) -> None:
    a = analyzer(compounds)
    assert set(a.analyze(query)) & set(a.analyze(text))


def test_split_finds_the_parts() -> None:
    a = analyzer("split")
    assert {"kompetens", "försörjning"} <= set(a.analyze("kompetensförsörjning"))
    assert {"vård", "central"} <= set(a.analyze("vårdcentraler"))
    assert {"småhus", "bygg"} <= set(a.analyze("småhusbyggande"))


def test_without_compounds_parts_do_not_match() -> None:
    a = analyzer("none")
    assert not set(a.analyze("småhus")) & set(a.analyze("småhusbyggande"))


def test_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError):
        Analyzer("decompound")


@pytest.mark.parametrize("compounds", ["none", "ngrams", "split"])
def test_search_ranks_the_matching_text_first(compounds: str) -> None:
    index = LexicalIndex.build(CORPUS, compounds)
    hits = index.search("hur många invånare", k=3)
    assert hits[0][0] == 5
    assert all(score > 0 for _, score in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_compound_query_finds_the_compound_text() -> None:
    hits = LexicalIndex.build(CORPUS, "split").search("småhus", k=2)
    assert {i for i, _ in hits} == {0, 1}


@pytest.mark.parametrize("query", ["", "   ", "och det är som i", "!!"])
def test_query_without_content_words_finds_nothing(query: str) -> None:
    assert LexicalIndex.build(CORPUS, COMPOUNDS).search(query, k=5) == []


def test_unknown_words_find_nothing() -> None:
    assert LexicalIndex.build(CORPUS, COMPOUNDS).search("xyzzy", k=5) == []


def test_k_larger_than_corpus() -> None:
    index = LexicalIndex.build(CORPUS, COMPOUNDS)
    hits = index.search("trafik planering kommun", k=100)
    assert 0 < len(hits) <= len(CORPUS) == len(index)
    assert len({i for i, _ in hits}) == len(hits)


def test_empty_text_keeps_positions() -> None:
    index = LexicalIndex.build(["", "och det", "nattåg till Göteborg"], COMPOUNDS)
    assert [i for i, _ in index.search("nattåg", k=3)] == [2]


@pytest.mark.parametrize("compounds", ["none", "ngrams", "split"])
def test_sparse_terms_give_the_bm25_scores(compounds: str) -> None:
    """What another engine stores (index/stores/milvus.py): a dot product of query and text terms."""
    index = LexicalIndex.build(CORPUS, compounds)
    documents = index.document_terms()
    for query in ["småhus i kommunerna", "trafik trafik planering", "xyzzy", ""]:
        terms = query_terms(index.analyzer, query)
        dot = [sum(count * doc.get(token, 0.0) for token, count in terms.items()) for doc in documents]
        assert dot == pytest.approx(index.scores(query).tolist(), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("compounds", ["none", "ngrams", "split"])
def test_save_load_round_trip(tmp_path: Path, compounds: str) -> None:
    index = LexicalIndex.build(CORPUS, compounds)
    index.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    for query in ["småhus i kommunerna", "kompetensförsörjningen", "vårdcentraler", "280 000 invånare"]:
        assert loaded.search(query, k=5) == index.search(query, k=5)
    assert loaded.analyzer.word_share("Hur går det för vården på natten?") == index.analyzer.word_share(
        "Hur går det för vården på natten?")


def test_word_share_is_the_share_of_the_question_words_the_texts_use() -> None:
    """What `hybrid` scales BM25 by: stop words do not count, inflections and numbers do."""
    fitted = analyzer("ngrams")
    assert fitted.word_share("Hur många invånare har länet?") == pytest.approx(2 / 3)  # "många": no stop word, unused
    assert fitted.word_share("kommunernas bostäder") == 1.0  # inflected forms of the texts' words
    assert fitted.word_share("Vilka sjukhus finns i kommunerna?") == pytest.approx(1 / 3)  # sjukhus, finns: unused
    assert fitted.word_share("280 000 elbilar") == pytest.approx(1 / 2)
    assert fitted.word_share("och i på") == 1.0  # no words but stop words: nothing to judge


@pytest.fixture(scope="module")
def report_paragraphs() -> list[str]:
    text = REPORT.read_text(encoding="utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


@pytest.mark.parametrize("compounds", ["none", "ngrams", "split"])
def test_report_population_question(report_paragraphs: list[str], compounds: str) -> None:
    index = LexicalIndex.build(report_paragraphs, compounds)
    top = [report_paragraphs[i] for i, _ in index.search("invånare befolkning Västerbotten", k=5)]
    assert any("280 000 invånare" in p for p in top)
