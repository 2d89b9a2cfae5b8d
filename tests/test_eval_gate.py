"""CI gate: retrieval quality on the bundled report must not fall below the
floors, set a few points under the figures measured when they were set
(README, "Kvalitet"): hit@5 0.950, MRR@10 0.856, English hit@5 0.929."""
from eval.questions import load_questions
from eval.runner import library_asker, run, summarise
from qa.engine import Engine

FLOORS = {"hit@5": 0.92, "mrr@10": 0.82}
ENGLISH_HIT5_FLOOR = 0.85


def test_retrieval_quality_floors(report_engine: Engine):
    summary = summarise(run(load_questions(), library_asker(report_engine)))
    for metric, floor in FLOORS.items():
        assert summary["overall"][metric] >= floor, (metric, summary["overall"])
    assert summary["by_language"]["en"]["hit@5"] >= ENGLISH_HIT5_FLOOR
    # Abstention must do something, and not swallow answerable questions wholesale.
    abstention = summary["abstention"]
    assert abstention["recall"] > 0
    assert abstention["wrongly_abstained"] <= 0.1 * summary["overall"]["n"]
