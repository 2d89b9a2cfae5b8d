"""The whole chain for real: the bundled PDF ingested and indexed with the real
model, served over HTTP on loopback, asked real Swedish questions."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from qa.engine import Engine
from eval import runner
from eval.questions import DEFAULT_PATH
from eval.server import running_server
from index.store import embedding_text


def call(url: str, path: str, body: dict | list | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url + path, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.fixture(scope="module")
def server(report_engine: Engine):
    with running_server(report_engine.settings.index_dir) as url:
        yield url


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        # Refused from the refit on tune sets 21-23 (the question prior read the county's population like the
        # unanswerable "how many live in <municipality>" questions) until the query adapter's refit (README,
        # "A query adapter").
        ("Hur många invånare har Västerbotten?", "passerade under året 280 000 invånare"),
        ("Vilket län har lägst arbetslöshet?", "lägst arbetslöshet"),
        ("Vad är Guldmolnet för något?", "Guldmolnet"),
    ],
)
def test_swedish_question_finds_evidence_in_top_five(server: str, question: str, evidence: str):
    status, answer = call(server, "/ask", {"question": question, "k": 5})
    assert status == 200
    assert answer["answered"] is True
    assert any(evidence in p["text"] for p in answer["passages"])


def test_answer_shape_and_citation(server: str):
    status, answer = call(server, "/ask?" + urllib.parse.urlencode({"q": "Hur många invånare har Västerbotten?", "k": 3}))
    assert status == 200
    assert answer["question"] == "Hur många invånare har Västerbotten?"
    assert [p["rank"] for p in answer["passages"]] == [1, 2, 3]
    top = answer["passages"][0]
    assert "280 000" in top["text"] and "280 000" in top["highlight"]
    start, end = top["highlight_spans"][0]
    assert top["text"][start:end] in top["highlight"]
    assert top["page"] == 6 and top["pages"] == [6]
    assert top["section"][0] == "Översikt över rapporten"
    assert top["citation"].startswith("Resultat Västerbotten 2024, s. 6 – Översikt över rapporten › ")
    assert answer["took_ms"] > 0


def test_passage_reports_health(server: str):
    _, answer = call(server, "/ask", {"question": "Vad gör regionen för bredbandsutbyggnaden?"})
    passage_id = answer["passages"][0]["id"]
    status, view = call(server, f"/passages/{urllib.parse.quote(passage_id)}")
    assert status == 200 and view["passage"]["id"] == passage_id
    assert view["next"] or view["previous"]
    status, reports = call(server, "/reports")
    assert status == 200 and [r["id"] for r in reports] == ["2024"]
    manifest = reports[0]["manifest"]
    assert manifest["counts"]["pages"] == 131 and manifest["build"]["model"] == "intfloat/multilingual-e5-small"
    assert call(server, "/health") == (200, {"status": "ok", "reports": ["2024"], "model": "intfloat/multilingual-e5-small"})
    assert call(server, "/passages/2024:9999")[0] == 404


def test_contact_structure_and_outline_questions(server: str):
    _, answer = call(server, "/ask", {"question": "Vem är kontaktperson för turismen?", "k": 5})
    assert answer["answer_type"] == "contact" and answer["answered"] is True
    assert answer["passages"][0]["text"].startswith("Kontaktperson: Annika Sandström, Regionturismchef")
    _, answer = call(server, "/ask", {"question": "På vilken sida börjar kapitlet om kompetenser?", "k": 5})
    assert answer["answer_type"] == "page"
    # The chapter's passage or its first section's: the page where it really starts, and the TOC's.
    assert any("«Västerbotten – En region rik på kompetenser» börjar på s. 96 (s. 77 enligt innehållsförteckningen)"
               in p["text"] for p in answer["passages"][:3])
    status, outline = call(server, "/reports/2024/outline")
    assert status == 200 and outline["report"] == "2024"
    assert outline["entries"][0] == {"title": "Översikt över rapporten", "level": 1, "page": 5}
    assert sum(entry["level"] == 1 for entry in outline["entries"]) == 10
    assert call(server, "/reports/1999/outline")[0] == 404


def test_a_question_about_the_strategy_finds_the_front_matter(server: str):
    # Every chapter names the strategy's priorities; the strategy itself is laid out before the first.
    _, answer = call(server, "/ask", {"question": "Vilka tre inriktningar har strategin?", "k": 5})
    assert any("De tre inriktningarna är Sammanhållen region" in p["text"] for p in answer["passages"][:3])


def test_abstention_is_said_plainly_with_the_nearest_passages(server: str):
    _, answer = call(server, "/ask", {"question": "Hur många ben har en spindel?", "k": 3})
    assert answer["answered"] is False and len(answer["passages"]) == 3
    assert answer["message"].startswith("Rapporten verkar inte svara på den frågan.")


def test_off_topic_question_without_names_is_not_answered(server: str):
    """Refused since the abstention model reads the asked quantity (qa/quantity.py): no leading
    sentence puts a number before "ben" (0.02 against 0.19 with the boosted trees; 0.321 against
    0.324 before the asked quantity, and the linear model before that answered it at 0.49 against
    0.31)."""
    _, answer = call(server, "/ask", {"question": "Hur många ben har en spindel?", "k": 3})
    assert answer["answered"] is False


def test_off_topic_question_with_a_name_the_report_never_states_is_not_answered(server: str):
    """Answered from the asked-quantity refit (0.58 against 0.28) until the fit with the ninth tune
    set's off-topic questions (eval/questions_tune9.jsonl): 0.20 against 0.23, with the boosted trees
    0.03 against 0.19."""
    _, answer = call(server, "/ask", {"question": "Vem vann Melodifestivalen 2023?", "k": 3})
    assert answer["answered"] is False


@pytest.mark.xfail(strict=True, reason="known miss: 0.34 against 0.19 (README, Boosted trees)")
def test_off_topic_general_knowledge_question_is_not_answered(server: str):
    """No name to miss, no quantity asked: "huvudstaden" and "Frankrike" are no named terms the
    report lacks (Frankrike is named in a project's partner list), so only the similarity profile
    speaks, and answerable questions in residents' words look as remote (README): a fix must flip this."""
    _, answer = call(server, "/ask", {"question": "Vad är huvudstaden i Frankrike?", "k": 3})
    assert answer["answered"] is False


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"question": ""}, 422, "Frågan"),
        ({"question": "   \n\t "}, 422, "Frågan"),
        ({"question": "x" * 1001}, 422, "1000"),
        ({"question": "Vad?", "k": 0}, 422, "k måste"),
        ({"question": "Vad?", "k": 51}, 422, "k måste"),
        ({"question": "Vad?", "k": "många"}, 422, "k måste"),
        ({"question": "Vad?", "report": "1999"}, 404, "Okänd rapport"),
        ({}, 422, "Frågan"),
        ({"question": "Vad?", "report": 5}, 422, "rapport-id"),
        ([1, 2], 422, "Ogiltig begäran"),
    ],
)
def test_bad_input_gets_clear_4xx(server: str, body: dict | list, status: int, words: str):
    got, answer = call(server, "/ask", body)
    assert got == status
    assert words in answer["detail"]


def test_malformed_json_is_a_swedish_400(server: str):
    request = urllib.request.Request(server + "/ask", b"{not json", {"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=10)
    assert error.value.code == 400
    assert "inte giltig JSON" in json.loads(error.value.read())["detail"]


def test_no_index_yet_is_503_with_what_to_run(tmp_path):
    with running_server(tmp_path / "empty") as url:
        status, answer = call(url, "/ask", {"question": "Hur många invånare har Västerbotten?"})
        assert status == 503
        assert "qa ingest" in answer["detail"]
        assert call(url, "/health")[1]["status"] == "no_index"


def test_eval_runner_against_the_server_writes_json(server: str, tmp_path, capsys):
    subset = tmp_path / "questions.jsonl"
    subset.write_text("".join(DEFAULT_PATH.read_text(encoding="utf-8").splitlines(keepends=True)[:8]), encoding="utf-8")
    out = tmp_path / "report.json"
    assert runner.main(["--url", server, "--questions", str(subset), "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert len(report["server"]["items"]) == 8
    assert report["server"]["summary"]["overall"]["hit@10"] > 0.5
    assert "svarstid: p50" in capsys.readouterr().out


def test_eval_check_validates_the_bundled_set(capsys):
    assert runner.main(["--check"]) == 0
    assert "0 problem" in capsys.readouterr().out


def test_every_passage_fits_the_models_input(report_engine: Engine):
    """Chunk sizes are counted in tiktoken tokens; the model reads at most 512 of its own."""
    index = report_engine.retriever.indexes["2024"]
    longest = max(report_engine.embedder.count_tokens(embedding_text(c)) for c in index.chunks)
    assert longest <= report_engine.embedder.max_seq_length
