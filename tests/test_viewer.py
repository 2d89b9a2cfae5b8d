"""The citation viewer in a real browser (Debian's Chromium, Playwright, PDF.js), against the real
service on loopback: a citation opens the original PDF page, the passage and its answering sentence
highlighted where the text layer holds them; keyboard only; axe-core finds nothing serious.
Screenshots land in test-output/."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eval.server import running_server
from index.document import source_document
from index.embedder import Embedder
from ingest.locate import normalise
from qa.engine import Engine
from qa.settings import REPO_ROOT, Settings
from tests.ingest_pdf_factory import make_pdf, sample_report
from tests.sample_reports import REPORT_2025
from tests.test_web import CHROMIUM, SHOTS, ask, browser  # noqa: F401  (browser: the shared fixture)

AXE = REPO_ROOT / "qa" / "web" / "node_modules" / "axe-core" / "axe.min.js"
REAL_PDF = REPO_ROOT / "tests" / "data" / "viewer" / "mark-planbeskrivning-ubbhult.pdf"
SERIOUS = ("serious", "critical")

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)"),
    pytest.mark.skipif(not AXE.exists(), reason="npm packages missing: run `make install-test`"),
]

# (name, question, printed page the answer is on): the bundled report prints PDF page numbers;
# the Ubbhult plan prints "Sida N av 42" from the page after its cover, so s. 3 is PDF page 4.
CASES = [
    ("bundled", "Hur många invånare har Västerbotten?", 6),
    ("ubbhult", "Hur många bostäder ska planen möjliggöra?", 3),
]

# The text of the page's text layer lying under the given highlight boxes: what a reader sees marked.
HIGHLIGHTED = """selector => {
  const boxes = [...document.querySelectorAll(selector)].map((b) => b.getBoundingClientRect());
  const spans = [...document.querySelectorAll("#text-layer span")].filter((s) => !s.querySelector("span"));
  return spans.filter((s) => {
    const r = s.getBoundingClientRect(), middle = (r.top + r.bottom) / 2;
    return boxes.some((b) => middle > b.top && middle < b.bottom && r.right > b.left + 1 && r.left < b.right - 1);
  }).map((s) => s.textContent).join(" ");
}"""


@pytest.fixture(scope="module")
def sites(report_engine: Engine, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The bundled report's server, and one for the real PDF (its own index, so the page has one report)."""
    real = Engine(Settings(index_dir=tmp_path_factory.mktemp("ubbhult")), embedder=embedder)
    real.ingest(REAL_PDF)
    with running_server(report_engine.settings.index_dir) as bundled, running_server(real.settings.index_dir) as ubbhult:
        yield {"bundled": bundled, "ubbhult": ubbhult}


def tab_to(page, condition: str, limit: int = 40) -> None:
    """Press Tab until the focused element meets `condition` (JS, given `el`): keyboard only."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({condition}); }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def no_serious_axe_violations(page) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {runOnly: {type: 'tag', values: "
                           "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in SERIOUS]
    assert not serious, serious


def wait_for_viewer(page) -> None:
    page.wait_for_selector("#highlights .hl")
    page.wait_for_selector("#text-layer span")


def viewer_state(page) -> tuple[str, str, str]:
    """The page label, and the normalised text under the sentence's and under all highlights."""
    return (page.locator("#page-label").inner_text(), normalise(page.evaluate(HIGHLIGHTED, ".hl.strong"))[0],
            normalise(page.evaluate(HIGHLIGHTED, ".hl"))[0])


@pytest.mark.parametrize("name, question, printed", CASES, ids=[c[0] for c in CASES])
def test_citation_opens_the_original_page_with_the_passage_highlighted(sites, browser, name, question, printed):
    url = sites[name]
    first = httpx.post(url + "/ask", json={"question": question, "k": 5}, timeout=30).json()["passages"][0]
    assert first["page"] == printed and first["highlight"]

    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(url + "/")
    tab_to(page, "el.id === 'question'")
    page.keyboard.type(question)
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('status').textContent.includes('avsnitt')")
    no_serious_axe_violations(page)
    tab_to(page, "el.matches('#passages li:first-child .citation a')")
    page.keyboard.press("Enter")
    wait_for_viewer(page)

    label, strong, marked = viewer_state(page)
    assert label == f"s. {printed}"
    assert normalise(first["highlight"])[0] in strong
    passage = normalise(first["text"])[0]
    assert passage[:40] in marked or passage[-40:] in marked  # a passage over two pages shows one half here
    assert page.evaluate("document.querySelector('#highlights .strong').getBoundingClientRect().top") < 900
    page.screenshot(path=SHOTS / f"viewer-{name}.png")
    no_serious_axe_violations(page)

    shared = page.url
    assert f"/view/{first['id']}" in shared.replace("%3A", ":")
    again = browser.new_page(viewport={"width": 1100, "height": 900})
    again.goto(shared)
    wait_for_viewer(again)
    assert viewer_state(again) == (label, strong, marked)
    again.close()

    tab_to(page, "el.id === 'next-page'")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.getElementById('page-label').textContent === 's. {printed + 1}'")
    assert f"page={first['pdf_pages'][0] + 1}" in page.url or len(first["pdf_pages"]) > 1
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == "previous-page"
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.getElementById('page-label').textContent === 's. {printed}'")
    wait_for_viewer(page)
    assert viewer_state(page)[1] == strong
    page.close()


def test_text_report_citation_falls_back_to_the_passage_view(tmp_path: Path, embedder: Embedder, browser):
    engine = Engine(Settings(index_dir=tmp_path / "index"), embedder=embedder)
    (tmp_path / "rv2025.md").write_text(REPORT_2025, encoding="utf-8")
    engine.ingest(tmp_path / "rv2025.md")
    with running_server(engine.settings.index_dir) as url:
        page = browser.new_page()
        page.goto(url + "/")
        ask(page, "Hur många invånare har Västerbotten?")
        link = page.locator("#passages li .citation a").first
        assert link.get_attribute("href").startswith("/passage/")
        chunk = engine.retriever.indexes["2025"].chunks[0]
        page.goto(f"{url}/view/{chunk.id}")
        page.wait_for_selector("#citation:not(:empty)")
        assert "/passage/" in page.url and page.locator("#passage .text").inner_text() == chunk.text
        page.close()


def test_a_version_without_its_pdf_shows_why_and_the_passage_as_text(tmp_path: Path, embedder: Embedder, browser):
    engine = Engine(Settings(index_dir=tmp_path / "index"), embedder=embedder)
    (tmp_path / "testrapport.pdf").write_bytes(make_pdf(sample_report(), title="Testrapport 2030"))
    engine.ingest(tmp_path / "testrapport.pdf")
    index = engine.retriever.indexes["2030"]
    source_document(engine.settings.index_dir, index.manifest)[0].unlink()  # as in a version built before the viewer
    with running_server(engine.settings.index_dir) as url:
        page = browser.new_page()
        page.goto(f"{url}/view/{index.chunks[0].id}")
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert "sparades inte med indexet" in alert.inner_text() and "qa ingest testrapport.pdf" in alert.inner_text()
        assert page.locator(".current .text").inner_text() == index.chunks[0].text
        page.close()
