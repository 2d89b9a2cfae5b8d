"""CI gate: retrieval quality on the test half must not fall below the floors.

The test half is what no weight or threshold was chosen on (eval/split.py):
the first set's test questions plus every question of eval/questions_new.jsonl,
eval/questions_test2.jsonl, eval/questions_test3.jsonl, eval/questions_test4.jsonl, eval/questions_test5.jsonl, eval/questions_test6.jsonl, eval/questions_test7.jsonl and eval/questions_test8.jsonl.
Floors sit a few points under the figures measured when they were set
(README, "Quality", 2026-12-07, after "More questions for the prior", with the fifth test set: hit@5 0.939,
MRR@10 0.834, English 0.959; abstention recall 0.45 (55 of 123 unanswerable), AUROC 0.921, 14 wrong abstentions
on 427 answerable questions, 3.3 %; since refitted twice, after "Three sets more": recall 0.44, AUROC 0.927,
2.3 %; with the sixth test set, 469 / 152: hit@5 0.940, MRR@10 0.832, English 0.940, recall 0.45, AUROC 0.931,
2.8 %; after "A question prior", without the fifth test set: 0.940, 0.838, 0.967, recall 0.49
(47 of 95), AUROC 0.927, 3.4 %; before it, after "An eleventh tune set, and where the
threshold sits": hit@5 0.931, MRR@10 0.833, English hit@5 0.960; abstention
recall 0.36 (26 of 72 unanswerable), AUROC 0.857, 10 wrong abstentions on 348
answerable questions, 2.9 %; with the threshold read at 3 % of tune's answerable
questions instead of 2 %, 0.46, 0.857 and 5.2 %; with the fourth test set, written after that choice,
hit@5 0.938, MRR@10 0.839, English 0.967, recall 0.38, AUROC 0.848, 3.1 %; first set 2026-11-27 at 0.80 /
0.72 / 0.80, recall 0.15, 10 %). The wrong-abstention bound is the issue's 5 %.
Raise them as the test-half figures rise; never gate on the tune half, which
the weights fit.
"""
from eval.questions import DEFAULT_PATHS, load_questions
from eval.runner import library_asker, run, summarise
from qa.engine import Engine

FLOORS = {"hit@5": 0.91, "mrr@10": 0.80}
ENGLISH_HIT5_FLOOR = 0.90
ABSTENTION_RECALL_FLOOR = 0.40
ABSTENTION_AUROC_FLOOR = 0.88
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
