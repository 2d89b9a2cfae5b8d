"""One contract for every store (index/stores/): each test runs against the local
store and against Milvus (milvus-lite: the real engine, on a temporary file).

Modelled on Haystack's DocumentStoreBaseTests. The fake embedder keeps it fast;
the real model's figures through both stores are compared in tests/test_milvus.py.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from index.store import BuildSettings, BuiltReport, IndexMismatch, embed_report
from index.stores import Store, UnknownBackend, open_store
from ingest import chunk_document, load_document
from ingest.model import Chunk
from qa.settings import Settings
from tests.fake_embedder import FakeEmbedder
from tests.sample_reports import FJÄLLRAPPORT, REPORT_2025

# The local store twice: exact search, and the IVF indexes it builds above `ann_threshold` passages.
STORES = {"local": {"backend": "local"}, "local-ivf": {"backend": "local", "ann_threshold": 1},
          "milvus": {"backend": "milvus"}}
SETTINGS = BuildSettings(FakeEmbedder.name, FakeEmbedder.version, FakeEmbedder.dim, 300, 60, "ngrams")
DEPTH = 100


def settings_for(tmp_path: Path, name: str) -> Settings:
    return Settings(index_dir=tmp_path / name, milvus_uri=str(tmp_path / "milvus.db"), **STORES[name])


@pytest.fixture(params=list(STORES))
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    return open_store(settings_for(tmp_path, request.param))


def built(tmp_path: Path, text: str, report_id: str | None = None, settings: BuildSettings = SETTINGS) -> BuiltReport:
    path = tmp_path / f"{abs(hash(text))}.md"
    path.write_text(text, encoding="utf-8")
    doc = load_document(path, report_id=report_id)
    chunks = chunk_document(doc, settings.chunk_tokens, settings.chunk_overlap)
    return embed_report(doc, chunks, FakeEmbedder(), settings)


def publish(store: Store, report: BuiltReport) -> str:
    return store.staging(report.report_id).publish(report, SETTINGS)


def ranked(store: Store, report: str, question: str) -> list[str]:
    version = store.open(report, store.current(report), SETTINGS)
    found = version.signals(question, FakeEmbedder().query(question), DEPTH)
    score = 0.5 * found.dense + 0.5 * found.best_sentence
    return [found.chunks[i].id for i in np.argsort(-score, kind="stable")]


def test_publish_serves_the_new_version(store: Store, tmp_path: Path):
    assert store.reports() == [] and store.current("2025") is None and store.current_manifest("2025") is None
    version = publish(store, built(tmp_path, REPORT_2025))
    assert store.reports() == ["2025"]
    assert store.current("2025") == version and store.versions("2025") == [version]
    manifest = store.current_manifest("2025")
    assert manifest["report"]["title"] == "Resultat Västerbotten 2025" and manifest["counts"]["chunks"] == 2


def test_signals_find_the_passage_and_its_sentence(store: Store, tmp_path: Path):
    publish(store, built(tmp_path, REPORT_2025))
    version = store.open("2025", store.current("2025"), SETTINGS)
    assert version.report_id == "2025" and version.title == "Resultat Västerbotten 2025"
    question = "Hur många invånare har befolkningen?"
    found = version.signals(question, FakeEmbedder().query(question), DEPTH)
    best = int(np.argmax(found.lexical))
    assert "283 500 invånare" in found.chunks[best].text and found.lexical[best] > 0
    spans, scores = found.sentences(best)
    start, end = spans[int(np.argmax(scores))]
    assert "invånare" in found.chunks[best].text[start:end]
    assert found.best_sentence[best] == pytest.approx(float(scores.max()), abs=1e-5)
    assert ranked(store, "2025", "nattåg mellan Umeå och Göteborg")[0] == "2025:0001"
    assert found.word_share == pytest.approx(2 / 3)  # "många" is not one of the report's words


def test_word_share_is_kept_with_the_index(store: Store, tmp_path: Path):
    """The report's words travel with its index (the analyser), so a served version can say how much of a
    question is asked in them (qa/scoring.py `hybrid`)."""
    publish(store, built(tmp_path, REPORT_2025))
    version = store.open("2025", store.current("2025"), SETTINGS)
    for question, share in [("invånare i Umeå", 1.0), ("elbilar i Umeå", 0.5), ("ostkaka", 0.0)]:
        assert version.signals(question, FakeEmbedder().query(question), DEPTH).word_share == share


def test_a_question_without_content_words_scores_no_bm25(store: Store, tmp_path: Path):
    publish(store, built(tmp_path, REPORT_2025))
    version = store.open("2025", store.current("2025"), SETTINGS)
    found = version.signals("och det är", FakeEmbedder().query("och det är"), DEPTH)
    assert len(found.chunks) == 2 and not found.lexical.any()


def test_neighbourhood(store: Store, tmp_path: Path):
    publish(store, built(tmp_path, REPORT_2025))
    version = store.open("2025", store.current("2025"), SETTINGS)
    first = version.neighbourhood("2025:0000")
    assert first.chunk.id == "2025:0000" and first.previous is None and first.next == "2025:0001"
    assert version.neighbourhood("2025:0001").previous == "2025:0000"
    assert version.neighbourhood("2025:9999") is None and version.neighbourhood('2025:"x') is None


def test_every_chunk_field_round_trips(store: Store, tmp_path: Path):
    """Other parts of the project add fields to Chunk: a store keeps the whole chunk."""
    report = built(tmp_path, REPORT_2025)
    rich = dataclasses.replace(report.chunks[0], kind="table", pdf_pages=(3,), page_source="printed",
                               boxes=((3, 10.0, 20.5, 300.0, 32.0),))
    report.chunks[0] = rich
    publish(store, report)
    version = store.open("2025", store.current("2025"), SETTINGS)
    assert version.neighbourhood(rich.id).chunk == rich
    assert isinstance(version.neighbourhood(rich.id).chunk, Chunk)


def test_hot_swap_keeps_the_old_version_searchable_until_pruned(store: Store, tmp_path: Path):
    first = publish(store, built(tmp_path, REPORT_2025))
    old = store.open("2025", first, SETTINGS)
    second = publish(store, built(tmp_path, REPORT_2025.replace("nattåg", "dagtåg")))
    assert store.current("2025") == second and store.versions("2025") == [first, second]
    assert "nattåg" in old.neighbourhood("2025:0001").chunk.text  # a search in flight keeps its snapshot
    new = store.open("2025", second, SETTINGS)
    assert "dagtåg" in new.neighbourhood("2025:0001").chunk.text
    assert store.prune(keep=1) == [f"2025/{first}"]
    assert store.versions("2025") == [second] and store.current("2025") == second
    assert store.prune(keep=1) == []
    with pytest.raises(ValueError):
        store.prune(keep=0)


def test_prune_never_removes_the_served_version(store: Store, tmp_path: Path):
    publish(store, built(tmp_path, FJÄLLRAPPORT))
    assert store.prune(keep=1) == [] and store.reports() == ["2023"]


def test_other_settings_are_refused_with_what_differs(store: Store, tmp_path: Path):
    version = publish(store, built(tmp_path, REPORT_2025))
    other = dataclasses.replace(SETTINGS, chunk_tokens=120)
    with pytest.raises(IndexMismatch, match="chunk_tokens: 300 → 120"):
        store.open("2025", version, other)


def test_a_failed_build_leaves_the_served_version_alone(store: Store, tmp_path: Path):
    served = publish(store, built(tmp_path, REPORT_2025))
    broken = built(tmp_path, REPORT_2025.replace("nattåg", "dagtåg"), settings=dataclasses.replace(SETTINGS, dim=32))
    with pytest.raises(IndexMismatch):  # read back with the running settings before it is served
        publish(store, broken)
    assert store.current("2025") == served and store.versions("2025") == [served]
    assert "nattåg" in store.open("2025", served, SETTINGS).neighbourhood("2025:0001").chunk.text


def test_report_ids_beyond_ascii(store: Store, tmp_path: Path):
    version = publish(store, built(tmp_path, FJÄLLRAPPORT, report_id="fjäll-2023_b"))
    assert store.reports() == ["fjäll-2023_b"] and store.current("fjäll-2023_b") == version


@pytest.mark.parametrize("name", ["local-ivf", "milvus"])
def test_approximate_stores_give_the_exact_signals(tmp_path: Path, name: str):
    report = built(tmp_path, REPORT_2025 + "\n" + FJÄLLRAPPORT.replace("# ", "## "))
    stores = [open_store(settings_for(tmp_path, n)) for n in ("local", name)]
    versions = [s.open("2025", publish(s, report), SETTINGS) for s in stores]
    for question in ["Hur många invånare?", "renskötsel och bete", "vandrare på Kungsleden", "xyzzy"]:
        exact, other = (v.signals(question, FakeEmbedder().query(question), DEPTH) for v in versions)
        assert [c.id for c in exact.chunks] == [c.id for c in other.chunks]
        assert other.dense == pytest.approx(exact.dense, abs=1e-5)
        assert other.lexical == pytest.approx(exact.lexical, rel=1e-5)
        assert other.word_share == exact.word_share
        # The local store keeps sentence vectors as float16 (sentences.npz), Milvus as float32.
        assert other.best_sentence == pytest.approx(exact.best_sentence, abs=1e-3)
        i = int(np.argmax(exact.dense))
        assert other.sentences(i)[0].tolist() == exact.sentences(i)[0].tolist()


def test_unknown_backend_is_refused_in_swedish(tmp_path: Path):
    with pytest.raises(UnknownBackend, match="Okänd lagring QA_BACKEND='qdrant'"):
        open_store(Settings(backend="qdrant"))
