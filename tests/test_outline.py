"""The report's structure as data: TOC lines kept, levelled, saved, served, and made passages."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
from fastapi import FastAPI
from fastapi.testclient import TestClient

from index.store import BuildSettings, embed_report
from index.stores.local import AnnParams, read_manifest, write_index
from ingest.chunk import chunk_document
from ingest.load import load_document
from ingest.model import Block, OutlineEntry
from ingest.structure import area_headings, chapter_areas, heading_outline, outline_passages, title_key, toc_levels
from ingest.pdf import read_pdf
from ingest.text import read_text
from qa.routes_outline import router
from tests.ingest_pdf_factory import make_pdf, sample_report

TOC_TEXT = """Testrapport 2030

Innehållsförteckning

Kapitel ett.....\t3
Bakgrund.....\t3
Samverkan.....\t4
Kapitel två\t6
Bakgrund\t6
Samverkan.....\t7

Kapitel ett

Bakgrund

Befolkningen ökar i hela länet.

Samverkan

Regionen samverkar med kommunerna.

Kapitel två

Bakgrund

Tre inriktningar styr arbetet.

Samverkan

Kommunerna träffas två gånger per år.
"""


def test_text_report_keeps_its_table_of_contents_with_levels_and_printed_pages() -> None:
    assert read_text(TOC_TEXT).outline == (
        OutlineEntry("Kapitel ett", 1, 3), OutlineEntry("Bakgrund", 2, 3), OutlineEntry("Samverkan", 2, 4),
        OutlineEntry("Kapitel två", 1, 6), OutlineEntry("Bakgrund", 2, 6), OutlineEntry("Samverkan", 2, 7),
    )


def test_pdf_table_of_contents_is_captured_and_levelled_by_the_headings_font_size() -> None:
    # A TOC of four lines has no repeated titles; the headings' sizes still tell chapter from section.
    assert read_pdf(make_pdf(sample_report())).outline == (
        OutlineEntry("Kapitel ett", 1, 12), OutlineEntry("Bakgrund", 2, 12),
        OutlineEntry("Kapitel två", 1, 14), OutlineEntry("Samverkan", 2, 15),
    )


def test_toc_levels_by_indentation_else_by_repetition() -> None:
    assert toc_levels([(0, "Del A"), (4, "Mål"), (0, "Del B")]) == {"del a": 1, "mål": 2, "del b": 1}
    assert toc_levels([(0, "Del A"), (0, "Mål"), (0, "Del B"), (0, "Mål")]) == {"del a": 1, "mål": 2, "del b": 1}


def test_report_without_toc_gets_its_heading_tree_as_outline(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text("# Rapport\n\n## Bakgrund\n\nText om bakgrund.\n\n## Mål\n\nText om mål.\n", encoding="utf-8")
    assert load_document(path).outline == (
        OutlineEntry("Rapport", 1, None), OutlineEntry("Bakgrund", 2, None), OutlineEntry("Mål", 2, None),
    )
    blocks = [Block("a", (4,), ("K1", "S1")), Block("b", (5,), ("K1", "S2")), Block("c", (6,), ("K1", "S2"))]
    assert heading_outline(blocks) == (OutlineEntry("K1", 1, 4), OutlineEntry("S1", 2, 4), OutlineEntry("S2", 2, 5))


def test_chapter_passage_names_the_chapter_its_real_start_page_and_the_toc_lines() -> None:
    outline = (OutlineEntry("Kompetens", 1, 77), OutlineEntry("Omvärldsanalys", 2, 77))
    blocks = [Block("Text.", (96,), ("Kompetens", "Omvärldsanalys"))]
    (text, pages, section), _ = outline_passages(outline, blocks)
    assert pages == (96,) and section == ("Innehållsförteckning", "Kompetens")
    # The printed TOC says 77; the heading stands on 96: the passage says both.
    assert text.splitlines() == [
        "Kapitlet «Kompetens» börjar på s. 96 (s. 77 enligt innehållsförteckningen).",
        "Avsnitt: Omvärldsanalys s. 96.", "Innehållsförteckning:", "Kompetens … 77", "Omvärldsanalys … 77",
    ]


def test_chapter_passage_quotes_the_toc_line_above_it_and_the_one_after_its_sections() -> None:
    outline = (OutlineEntry("Del ett", 1, 3), OutlineEntry("Mål", 2, 4), OutlineEntry("Kontakt", 1, 9))
    blocks = [Block("a", (3,), ("Del ett",)), Block("b", (4,), ("Del ett", "Mål")), Block("c", (9,), ("Kontakt",))]
    first, _, second = (text for text, _, _ in outline_passages(outline, blocks))
    assert first.splitlines() == [
        "Kapitlet «Del ett» börjar på s. 3.", "Innehållsförteckning:", "Del ett … 3", "Mål … 4", "Kontakt … 9",
    ]
    # Where the chapter ends: the next chapter's line after "Del ett"'s sections; where the one before
    # ends: the line a reader sees above "Kontakt" in the TOC.
    assert second.splitlines()[-3:] == ["Innehållsförteckning:", "Mål … 4", "Kontakt … 9"]


# Two chapters alike in their sections, told apart by the subheadings the body prints under them.
OUTLINE = (OutlineEntry("Resor", 1, 10), OutlineEntry("Bidrag", 2, 10), OutlineEntry("Samverkan", 2, 12),
           OutlineEntry("Kultur", 1, 20), OutlineEntry("Bidrag", 2, 20), OutlineEntry("Samverkan", 2, 22))
BLOCKS = [Block("Text.", (11,), ("Resor", "Bidrag", "Kollektivtrafik")),
          Block("Text.", (11,), ("Resor", "Bidrag", "Bredband")),
          Block("Text.", (13,), ("Resor", "Samverkan", "Kollektivtrafik")),
          Block("Text.", (14,), ("Resor", "Samverkan", "Trafikverket")),
          Block("Text.", (21,), ("Kultur", "Bidrag", "Bibliotek")),
          Block("Text.", (22,), ("Kultur", "Samverkan", "Kultur i norr"))]


def test_every_section_gets_a_passage_with_its_chapter_pages_subheadings_and_toc_lines() -> None:
    passages = outline_passages(OUTLINE, BLOCKS)
    assert [section for _, _, section in passages] == [
        ("Innehållsförteckning", "Resor"), ("Innehållsförteckning", "Resor", "Bidrag"),
        ("Innehållsförteckning", "Resor", "Samverkan"), ("Innehållsförteckning", "Kultur"),
        ("Innehållsförteckning", "Kultur", "Bidrag"), ("Innehållsförteckning", "Kultur", "Samverkan"),
    ]
    text, pages, _ = passages[2]
    assert pages == (13,)
    assert text.splitlines() == [
        # The chapter's areas (subheadings under several of its sections) say what "Resor" is about.
        "Avsnittet «Samverkan» i kapitlet «Resor» (om Kollektivtrafik) börjar på s. 13 "
        "(s. 12 enligt innehållsförteckningen).",
        "Avsnittet tar upp: Kollektivtrafik, Trafikverket.",
        # Its chapter's TOC line, and the lines above and below its own: where a reader finds it.
        "Innehållsförteckning:", "Resor … 10", "Bidrag … 10", "Samverkan … 12", "Kultur … 20",
    ]
    assert passages[5][0].splitlines()[0] == "Avsnittet «Samverkan» i kapitlet «Kultur» börjar på s. 22."
    # The chapter's line comes with the one above it, as in the chapter's own passage.
    assert passages[5][0].splitlines()[-4:] == [
        "Samverkan … 12", "Kultur … 20", "Bidrag … 20", "Samverkan … 22",
    ]


def test_chapter_areas_are_the_subheadings_that_recur_across_its_sections() -> None:
    # "Kollektivtrafik" stands under two sections of "Resor"; nothing recurs in "Kultur".
    assert chapter_areas(OUTLINE, BLOCKS) == {"resor": ["Kollektivtrafik"]}
    chapter, *_ = outline_passages(OUTLINE, BLOCKS)
    assert chapter[0].splitlines()[1] == "Kapitlet tar upp: Kollektivtrafik."
    assert "tar upp" not in outline_passages(OUTLINE, BLOCKS)[3][0]


def test_each_subheading_stands_under_the_last_area_heading_above_it_in_its_section() -> None:
    # The body prints "Kollektivtrafik" at the depth of the topics after it: they are its topics.
    assert area_headings(OUTLINE, BLOCKS, chapter_areas(OUTLINE, BLOCKS)) == {
        "resor": [("Kollektivtrafik", "Bredband"), ("Kollektivtrafik", "Trafikverket")],
        "kultur": [(None, "Bibliotek"), (None, "Kultur i norr")],
    }


def test_title_key_ignores_dashes_and_case() -> None:
    assert title_key("Uppdraget (RUS 2020-2030)") == title_key("uppdraget (RUS 2020–2030)") == "uppdragetrus20202030"


def test_text_without_pages_gets_no_outline_passages() -> None:
    outline = (OutlineEntry("Rapport", 1, None), OutlineEntry("Bakgrund", 2, None))
    assert outline_passages(outline, [Block("Text.", (), ("Rapport", "Bakgrund"))]) == []


def test_toc_passages_come_first_and_are_marked_toc(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(TOC_TEXT, encoding="utf-8")
    chunks = chunk_document(load_document(path), 300, 60)
    toc = [c for c in chunks if c.kind == "toc"]
    assert [c.section for c in toc] == [
        ("Innehållsförteckning", "Kapitel ett"), ("Innehållsförteckning", "Kapitel ett", "Bakgrund"),
        ("Innehållsförteckning", "Kapitel ett", "Samverkan"), ("Innehållsförteckning", "Kapitel två"),
        ("Innehållsförteckning", "Kapitel två", "Bakgrund"), ("Innehållsförteckning", "Kapitel två", "Samverkan"),
    ]
    assert chunks[:len(toc)] == toc
    assert [c.id for c in chunks] == [f"{chunks[0].report}:{i:04d}" for i in range(len(chunks))]
    assert "Samverkan … 7" in toc[3].text


def test_outline_is_served_from_the_versions_manifest(tmp_path: Path) -> None:
    entries = [{"title": "Kapitel ett", "level": 1, "page": 3}, {"title": "Bakgrund", "level": 2, "page": None}]
    app = FastAPI()
    app.include_router(router)
    index = SimpleNamespace(title="Testrapport 2030", version="v1", manifest={"outline": entries})
    app.state.engine = SimpleNamespace(retriever=SimpleNamespace(indexes={"2030": index}))
    client = TestClient(app)
    body = client.get("/reports/2030/outline").json()
    assert body["report"] == "2030" and body["title"] == "Testrapport 2030" and body["version"] == "v1"
    assert body["entries"] == [{"title": "Kapitel ett", "level": 1, "page": 3},
                               {"title": "Bakgrund", "level": 2, "page": None}]
    index.manifest = {}  # a version built before outlines were kept
    assert client.get("/reports/2030/outline").json()["entries"] == []
    missing = client.get("/reports/1999/outline")
    assert missing.status_code == 404 and "Okänd rapport '1999'" in missing.json()["detail"]


class _LetterCounts:
    """A small fake embedder: letter counts, normalised (unit tests need no model)."""

    dim = 26

    def passages(self, texts, on_batch=None) -> np.ndarray:
        vectors = np.array([[text.lower().count(chr(97 + i)) + 1e-3 for i in range(self.dim)] for text in texts],
                           dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_build_keeps_the_outline_in_the_manifest(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(TOC_TEXT, encoding="utf-8")
    doc = load_document(path)
    settings = BuildSettings("fake", "1", 26, 300, 60, "ngrams")
    built = embed_report(doc, chunk_document(doc, 300, 60), _LetterCounts(), settings)
    write_index(built, tmp_path / "v1", AnnParams(50_000, 4.0, 64, 0.8))
    assert read_manifest(tmp_path / "v1")["outline"][:2] == [
        {"title": "Kapitel ett", "level": 1, "page": 3}, {"title": "Bakgrund", "level": 2, "page": 3},
    ]
