from qa.citation import format_citation, format_pages


def test_single_page_citation_names_report_page_and_path():
    assert format_citation(
        "Resultat Västerbotten 2024", [37], ["Västerbotten – En nära tillgänglig region", "Samverkan"]
    ) == "Resultat Västerbotten 2024, s. 37 – Västerbotten – En nära tillgänglig region › Samverkan"


def test_page_range_and_no_pages():
    assert format_pages([12, 11, 13]) == "s. 11–13"
    assert format_citation("Rapport", [], ["Kapitel"]) == "Rapport – Kapitel"
