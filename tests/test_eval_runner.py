"""The runner's bookkeeping: halves kept apart, abstention scored, on a stand-in engine.

Retrieval itself is measured by tests/test_eval_gate.py on the real model;
here an engine that answers from a fixed table lets each figure be checked by hand.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from eval.runner import main, split_groups
from eval.questions import load_questions

SOURCE = (
    "Västerbottens ökande befolkning passerade under året 280 000 invånare och mer.\n"
    "Region Västerbotten har sedan 2015 haft ett kontor i Stockholm, mitt i huvudstaden.\n"
)
POPULATION = "Västerbottens ökande befolkning passerade under året 280 000 invånare"
OFFICE = "Region Västerbotten har sedan 2015 haft ett kontor i Stockholm"


def line(qid: str, question: str, split: str, evidence: str | None) -> str:
    fields = {"id": qid, "question": question, "language": "sv", "split": split,
              "evidence": [evidence] if evidence else [], "answer": "svar" if evidence else "",
              "chapter": "Kapitel" if evidence else None, "section": "Avsnitt" if evidence else None,
              "type": "number" if evidence else "unanswerable"}
    return json.dumps(fields, ensure_ascii=False) + "\n"


@pytest.fixture()
def sets(tmp_path: Path) -> tuple[Path, Path, Path]:
    first, new, source = tmp_path / "first.jsonl", tmp_path / "new.jsonl", tmp_path / "source.txt"
    first.write_text(
        line("q001", "Hur många bor i länet?", "tune", POPULATION)
        + line("q002", "Sedan när finns kontoret i huvudstaden?", "test", OFFICE)
        + line("q003", "Vad kostar ett månadskort?", "test", None),
        encoding="utf-8",
    )
    new.write_text(
        line("n001", "Hur stor är befolkningen nu?", "test", POPULATION)
        + line("n002", "Hur många bussar finns det?", "test", None),
        encoding="utf-8",
    )
    source.write_text(SOURCE, encoding="utf-8")
    return first, new, source


@dataclass
class Passage:
    text: str
    highlight: str | None


@dataclass
class Answer:
    passages: list[Passage]
    answered: bool
    confidence: float
    took_ms: float = 1.0


class TableEngine:
    """Answers each question from a table: the passages in order, and a confidence."""

    def __init__(self, table: dict[str, tuple[list[str], float]], threshold: float):
        self.table, self.threshold = table, threshold

    def ask(self, question: str, k: int, mode: str) -> Answer:
        texts, confidence = self.table[question]
        return Answer([Passage(t, t) for t in texts], confidence >= self.threshold, confidence)


ENGINE = TableEngine(
    {
        "Hur många bor i länet?": ([POPULATION], 0.9),
        "Sedan när finns kontoret i huvudstaden?": (["annat", OFFICE], 0.8),
        "Vad kostar ett månadskort?": (["annat"], 0.3),
        "Hur stor är befolkningen nu?": (["annat", "mer", "än", "så", POPULATION, "x"], 0.5),
        "Hur många bussar finns det?": (["annat"], 0.6),
    },
    threshold=0.55,
)


def run_json(sets: tuple[Path, Path, Path], tmp_path: Path, *extra: str) -> dict:
    first, new, source = sets
    out = tmp_path / "report.json"
    argv = ["--questions", str(first), "--questions", str(new), "--source", str(source), "--json", str(out), *extra]
    assert main(argv, ENGINE) == 0
    return json.loads(out.read_text(encoding="utf-8"))["hybrid"]


def test_split_groups_keep_halves_apart_and_show_each_file_of_a_shared_half(sets) -> None:
    first, new, _ = sets
    groups = split_groups({first: load_questions(first), new: load_questions(new)})
    assert groups == {
        "tune": {"q001"},
        "test": {"q002", "q003", "n001", "n002"},
        "test: first.jsonl": {"q002", "q003"},
        "test: new.jsonl": {"n001", "n002"},
    }


def test_each_half_is_scored_on_its_own_questions(sets, tmp_path: Path) -> None:
    halves = run_json(sets, tmp_path)["splits"]
    assert halves["tune"]["overall"]["hit@1"] == 1.0 and halves["tune"]["overall"]["n"] == 1
    test = halves["test"]["overall"]
    assert test["n"] == 2 and test["hit@1"] == 0.0 and test["hit@3"] == 0.5 and test["hit@5"] == 1.0
    assert test["mrr@10"] == pytest.approx((1 / 2 + 1 / 5) / 2)
    assert halves["test: new.jsonl"]["overall"]["mrr@10"] == pytest.approx(1 / 5)


def test_abstention_precision_recall_and_auroc_per_half(sets, tmp_path: Path) -> None:
    abstention = run_json(sets, tmp_path)["splits"]["test"]["abstention"]
    # Abstained: q003 (0.3, unanswerable) and n001 (0.5, answerable); n002 (0.6) was answered wrongly.
    assert abstention["abstained"] == 2 and abstention["wrongly_abstained"] == 1
    assert abstention["precision"] == 0.5 and abstention["recall"] == 0.5
    # Answerable confidences 0.8, 0.5 against unanswerable 0.3, 0.6: 3 of 4 pairs ordered right.
    assert abstention["auroc"] == 0.75


def test_split_option_runs_one_half_only(sets, tmp_path: Path) -> None:
    report = run_json(sets, tmp_path, "--split", "tune")
    assert set(report["splits"]) == {"tune"}
    assert [item["id"] for item in report["items"]] == ["q001"]
