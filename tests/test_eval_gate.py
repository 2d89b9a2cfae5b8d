"""CI gate: retrieval quality on the test half must not fall below the floors.

The test half is what no weight or threshold was chosen on (eval/split.py):
the first set's test questions plus every question of eval/questions_new.jsonl and of
eval/questions_test2.jsonl to eval/questions_test12.jsonl.
Floors sit a few points under the figures measured when they were last set (README, "Quality", 2026-12-07,
after "A query adapter", with the eleventh test set, 709 answerable / 255 unanswerable: hit@5 0.945, MRR@10
0.870, English 0.951; abstention recall 0.71 (181 of 255), AUROC 0.954, 26 wrong abstentions, 3.7 %; with the
twelfth, 755 / 266: 0.946, 0.872, 0.955, recall 0.72, AUROC 0.956, 3.6 %).
The README's gate paragraph keeps the floors' history. The wrong-abstention bound is the issue's 5 %.
Raise them as the test-half figures rise; never gate on the tune half, which the weights fit.
"""
from eval.questions import DEFAULT_PATHS, load_questions
from eval.runner import library_asker, run, summarise
from qa.engine import Engine

FLOORS = {"hit@5": 0.93, "mrr@10": 0.85}
ENGLISH_HIT5_FLOOR = 0.93
ABSTENTION_RECALL_FLOOR = 0.65
ABSTENTION_AUROC_FLOOR = 0.93
MAX_WRONG_ABSTENTION_SHARE = 0.05


def test_retrieval_quality_floors_on_the_test_half(report_engine: Engine):
    test_half = [q for path in DEFAULT_PATHS for q in load_questions(path) if q.split == "test"]
    summary = summarise(run(test_half, library_asker(report_engine)))
    for metric, floor in FLOORS.items():
        assert summary["overall"][metric] >= floor, (metric, summary["overall"])
    assert summary["by_language"]["en"]["hit@5"] >= ENGLISH_HIT5_FLOOR
    # Abstention must catch some unanswerable questions, and not swallow answerable ones wholesale.
    abstention = summary["abstention"]
    assert abstention["recall"] >= ABSTENTION_RECALL_FLOOR, abstention
    assert abstention["auroc"] >= ABSTENTION_AUROC_FLOOR, abstention
    assert abstention["wrongly_abstained"] <= MAX_WRONG_ABSTENTION_SHARE * summary["overall"]["n"]
