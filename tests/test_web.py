"""The web page in a real browser: Debian's Chromium driven by Playwright,
against the real service on loopback. Screenshots land in test-output/."""
from __future__ import annotations

from pathlib import Path

import pytest

from eval.server import running_server
from index.embedder import Embedder
from qa.engine import Engine
from qa.settings import REPO_ROOT, Settings
from tests.sample_reports import FJÄLLRAPPORT, REPORT_2025

CHROMIUM = "/usr/bin/chromium"
SHOTS = REPO_ROOT / "test-output"
# No network beyond loopback here: keep Chromium from reaching for Google's services.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (make test installs it)")


@pytest.fixture(scope="module")
def site(report_engine: Engine):
    with running_server(report_engine.settings.index_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def ask(page, question: str) -> None:
    page.get_by_label("Din fråga").fill(question)
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('results').getAttribute('aria-busy') === 'false'"
                           " && document.getElementById('status').textContent !== 'Söker …'")


def test_question_gives_cited_passage_that_opens_in_context(site: str, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(site + "/")
    assert page.title() == "Fråga rapporten"
    # "länet", not "Västerbotten": the latter is found but refused since the refit on tune sets 21-23
    # (tests/test_e2e.py marks it); this test is about the answer's citation and the way into context.
    ask(page, "Hur många invånare har länet?")
    first = page.locator("#passages li").first
    assert "280 000" in first.locator(".answer").inner_text()
    assert "280 000" in first.locator("mark").inner_text()
    citation = first.locator(".citation a")
    assert "Resultat Västerbotten 2024, s. 6 – " in citation.inner_text()
    page.screenshot(path=SHOTS / "web-answer.png", full_page=True)

    text = first.locator(".text").inner_text()
    citation.click()  # the original page (tests/test_viewer.py), which links to the passage as text
    page.wait_for_selector("#as-text[href^='/passage/']")
    page.get_by_role("link", name="Avsnittet som text").click()
    page.wait_for_selector("#citation:not(:empty)")
    assert page.locator("#passage .text").inner_text() == text
    assert page.title().startswith("Resultat Västerbotten 2024, s. 6 – ")
    assert page.locator("#before .text, #after .text").count() >= 1
    assert page.locator("#next").is_visible() or page.locator("#previous").is_visible()
    page.screenshot(path=SHOTS / "web-passage.png", full_page=True)
    page.close()


def test_errors_and_abstention_are_shown(site: str, browser):
    page = browser.new_page()
    page.goto(site + "/")
    page.get_by_label("Din fråga").evaluate("node => node.removeAttribute('maxlength')")
    ask(page, "x" * 1001)
    assert "1000 tecken" in page.get_by_role("alert").inner_text()
    ask(page, "Hur många ben har en spindel?")
    assert "Rapporten verkar inte svara på den frågan" in page.locator("#status").inner_text()
    assert page.locator("#passages li").count() > 0
    assert page.locator("#passages .answer").count() == 0  # nearest passages, no answer presented
    assert page.get_by_role("alert").is_hidden()
    page.close()


def test_phone_width_has_no_horizontal_overflow(site: str, browser):
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto(site + "/")
    ask(page, "Vad gör regionen för kompetensförsörjningen?")
    assert page.locator("#passages li").count() == 5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=SHOTS / "web-phone.png", full_page=True)
    page.close()


def test_report_selector_only_with_several_reports(site: str, browser):
    page = browser.new_page()
    page.goto(site + "/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#report-choice").is_hidden()
    page.close()


def test_report_selector_limits_the_search_to_one_report(tmp_path: Path, embedder: Embedder, browser):
    engine = Engine(Settings(index_dir=tmp_path / "index"), embedder=embedder)
    for name, text in (("rv2025.md", REPORT_2025), ("fjall.md", FJÄLLRAPPORT)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        engine.ingest(tmp_path / name)
    with running_server(engine.settings.index_dir) as url:
        page = browser.new_page()
        page.goto(url + "/")
        selector = page.get_by_label("Rapport", exact=True)
        selector.wait_for()
        assert selector.locator("option").all_inner_texts() == [
            "Alla rapporter", "Fjällrapporten 2023", "Resultat Västerbotten 2025"]
        ask(page, "Hur många vandrare gick Kungsleden?")
        assert "Fjällrapporten 2023" in page.locator("#passages li .citation").first.inner_text()
        selector.select_option("2025")
        ask(page, "Hur många vandrare gick Kungsleden?")
        citations = page.locator("#passages li .citation").all_inner_texts()
        assert citations and all("Resultat Västerbotten 2025" in c for c in citations)
        page.close()
